import { describe, expect, it } from 'vitest';
import { describeTemplate, eventsTemplate, listTemplate, startTemplate } from '../../lib/aws/pod-runs-api.js';

/**
 * The runs API's mapping templates as text: what runs on AWS (Velocity) cannot run here, so the rules
 * that make them right on both Velocity and LocalStack's airspeed are asserted on the text
 * (test/e2e/agent-runs-api.test.ts runs them through LocalStack's API Gateway).
 */
describe('POST /runs request template', () => {
  const template = startTemplate('arn:aws:states:us-east-1:000000000000:stateMachine:m');

  it('embeds the input with literal replacements of backslash and quote, never $util.escapeJavaScript', () => {
    // GIVEN the template WHEN its input line is read THEN it escapes \ then " and nothing else
    expect(template).toContain(`#set($bs = '\\')`);
    expect(template).toContain(`$runInput.replace($bs, "$bs$bs").replace($q, "$bs$q")`);
    // escapeJavaScript writes \' (not JSON) on AWS, not on LocalStack: no repair is right on both
    expect(template).not.toContain('escapeJavaScript');
    expect(template).not.toContain('replaceAll');
  });

  it('checks the name with a whole-string match, which a trailing newline fails (unlike the model pattern)', () => {
    // GIVEN the model's ^...$ pattern, which Java and Python let a trailing newline through
    // WHEN the template checks the name THEN it uses String.matches, a whole-string match in both
    expect(template).toContain(`!$name.matches('[A-Za-z0-9_-]{1,80}')`);
    expect(template).toContain(`#if($valid && $name != "")"name": "$name",#end`);
  });

  it('refuses an empty body or a bad name by an input that is not JSON (InvalidExecutionInput → 400)', () => {
    // GIVEN a request that is not a run WHEN the template is rendered THEN the input it sends is not JSON
    expect(template).toContain(`#if("$!input.path('$')" == "" || "$!input.body" == "")#set($valid = false)#end`);
    expect(template).toContain('#{else}pod2sfn: not a run request#end');
  });
});

describe('GET /runs/{id} request template', () => {
  it('accepts a name or an ARN of this state machine only, and sends anything else as an ARN that cannot exist', () => {
    // GIVEN this state machine's execution prefix WHEN the template is built THEN only names under it pass
    const template = describeTemplate('arn:aws:states:us-east-1:000000000000:execution:m:');
    expect(template).toContain(`#if($id.startsWith($prefix))#set($id = $id.substring($prefix.length()))#end`);
    expect(template).toContain(
      `#if($id.matches('[A-Za-z0-9_-]{1,80}'))arn:aws:states:us-east-1:000000000000:execution:m:$id` +
        `#{else}not-a-run-of-this-state-machine#end`,
    );
    expect(template).not.toMatch(/startsWith\('arn:'\)/);
  });
});

describe('the paged GET request templates', () => {
  const prefix = 'arn:aws:states:us-east-1:000000000000:execution:m:';

  it('GET /runs lists this state machine only, a page of 100, with the nextToken when one is given', () => {
    // GIVEN the state machine WHEN the list template is built THEN it names it and passes the token escaped
    expect(listTemplate('arn:aws:states:us-east-1:000000000000:stateMachine:m').split('\n').slice(2)).toEqual([
      `#set($token = "$!input.params('nextToken')")`,
      '{"stateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:m", "maxResults": 100' +
        `#if($token != ""), "nextToken": "$token.replace($bs, "$bs$bs").replace($q, "$bs$q")"#end}`,
    ]);
  });

  it('GET /runs/{id}/events reads the history of a run of this state machine, with its data, page by page', () => {
    // GIVEN this state machine's execution prefix WHEN the events template is built
    const template = eventsTemplate(prefix);
    // THEN the id is checked as GET /runs/{id} checks it, and the history is asked for with inputs and outputs
    expect(template).toContain(`#if($id.matches('[A-Za-z0-9_-]{1,80}'))${prefix}$id`);
    expect(template).toContain('"maxResults": 1000, "includeExecutionData": true#if($token != "")');
    expect(template).toContain(describeTemplate(prefix).split('\n').slice(0, 3).join('\n'));
  });
});
