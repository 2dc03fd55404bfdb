import { describe, expect, it } from 'vitest';
import { compile, definitionJson } from '../../lib/compile.js';
import { PodStack } from '../../lib/aws/pod-stack.js';
import { estimateStack, jsonStringLength, LIMITS } from '../../lib/model/limits.js';
import type { Executor } from '../../lib/model/workflow.js';
import { testApp } from '../aws/synth.js';

/** A pod of `n` containers on one executor; `rich` ones read Secrets and ConfigMaps and carry env. */
function spec(executor: Executor, n: number, rich: boolean): string {
  const container = (name: string) =>
    rich
      ? `  - {name: ${name}, image: alpine, command: [sh, -c, 'echo ${name} && sleep 1'], env: [` +
        `{name: A, valueFrom: {secretKeyRef: {name: s-${name}, key: k}}}, ` +
        `{name: B, valueFrom: {configMapKeyRef: {name: m, key: k}}}, ` +
        `{name: PLAIN, value: '${'x'.repeat(200)}'}], envFrom: [{configMapRef: {name: all-${name}}}]}`
      : `  - {name: ${name}, image: alpine, command: [sh, -c, 'echo ${name}']}`;
  const init = Math.floor(n / 2);
  return [
    'apiVersion: v1',
    'kind: Pod',
    `metadata: {name: p, annotations: {pod2sfn.dev/executor: ${executor}}}`,
    'spec:',
    '  restartPolicy: OnFailure',
    ...(init > 0 ? ['  initContainers:', ...Array.from({ length: init }, (_, i) => container(`init-${i}`))] : []),
    '  containers:',
    ...Array.from({ length: n - init }, (_, i) => container(`app-container-${i}`)),
  ].join('\n');
}

function synthesize(text: string, auth: 'iam' | 'apiKey' = 'iam') {
  const result = compile(text);
  if (!result.compiled) throw new Error(JSON.stringify(result.diagnostics));
  const app = testApp({ 'aws:cdk:bundling-stacks': [] });
  new PodStack(app, 'Sized', { compiled: result.compiled, authorization: auth });
  const template = app.synth().getStackByName('Sized').template as { Resources: object; Outputs?: object };
  return {
    estimate: estimateStack(result.compiled.workflow, definitionJson(result.compiled)),
    actual: {
      resources: Object.keys(template.Resources).length,
      outputs: Object.keys(template.Outputs ?? {}).length,
      // What `cdk deploy` uploads: the template as the CDK writes it (one-space indent).
      templateBytes: Buffer.byteLength(JSON.stringify(template, undefined, 1)),
    },
  };
}

describe('the stack estimate (lib/model/limits.ts) against stacks the CDK synthesizes', () => {
  const cases: Array<[Executor, number, boolean]> = [
    ['lambda', 1, false],
    ['lambda', 6, true],
    ['ecs', 1, false],
    ['ecs', 6, true],
    ['activity', 1, false],
    ['activity', 12, true],
  ];
  it.each(cases)('%s executor, %i containers (rich: %s): an upper bound, and close', (executor, n, rich) => {
    // GIVEN a pod of n containers on one executor / WHEN its stack is estimated and synthesized
    const { estimate, actual } = synthesize(spec(executor, n, rich));
    // THEN the estimate is never below the real stack, and at most a little above it
    expect(estimate.resources).toBeGreaterThanOrEqual(actual.resources);
    expect(estimate.resources - actual.resources).toBeLessThanOrEqual(5);
    expect(estimate.outputs).toBeGreaterThanOrEqual(actual.outputs);
    expect(estimate.outputs - actual.outputs).toBeLessThanOrEqual(1);
    expect(estimate.templateBytes).toBeGreaterThanOrEqual(actual.templateBytes);
    expect(estimate.templateBytes).toBeLessThanOrEqual(actual.templateBytes * 1.25);
  });

  it('stays an upper bound with an API key (more resources and an output)', () => {
    // GIVEN -c auth=apiKey / WHEN synthesized / THEN the options margin covers it
    const { estimate, actual } = synthesize(spec('activity', 2, false), 'apiKey');
    expect(estimate.resources).toBeGreaterThanOrEqual(actual.resources);
    expect(estimate.outputs).toBeGreaterThanOrEqual(actual.outputs);
    expect(estimate.templateBytes).toBeGreaterThanOrEqual(actual.templateBytes);
  });
});

describe('the definition as a string inside the template', () => {
  it('is as long as JSON.stringify writes it, whatever the spec holds', () => {
    // GIVEN definitions whose text holds quotes, backslashes, escapes, a user ${, non-ASCII and U+2028
    const commands = [`echo "a\\b" '\${HOME}' \\n`, 'printf "\\t\\u0041" é 🙂 \u2028 \t', 'plain'];
    for (const command of commands) {
      const text = definitionJson(
        compile(spec('lambda', 2, false).replace(/'echo [^']*'/g, JSON.stringify(command))).compiled!,
      );
      // WHEN measured / THEN the count is JSON.stringify's length
      expect(jsonStringLength(text)).toBe(JSON.stringify(text).length);
    }
  });
});

describe('validate refuses a pod that cannot deploy, saying the limit and the count', () => {
  function errors(text: string, executor?: Executor) {
    return compile(text, executor ? { executor } : {}).diagnostics.filter((d) => d.severity === 'error');
  }

  it('refuses more CloudFormation resources than a stack holds', () => {
    // GIVEN 130 containers on the lambda executor (4 resources each) / WHEN compiled
    const found = errors(spec('lambda', 130, false));
    // THEN one error at spec names the count and the limit
    expect(found).toHaveLength(1);
    expect(found[0]!.path).toBe('spec');
    expect(found[0]!.message).toMatch(
      /^Too many: the stack would have about 5\d\d CloudFormation resources .*may not have more than 500/,
    );
  });

  it('refuses more outputs than a stack holds (one per activity container)', () => {
    const found = errors(spec('activity', 220, false));
    expect(found.map((d) => d.message)).toContainEqual(
      expect.stringMatching(/about 22\d outputs .*may not have more than 200/),
    );
  });

  it('lets pod2sfn run run a pod whose stack could not deploy, with a warning saying so', () => {
    // GIVEN the same 130 lambda containers / WHEN compiled for a local run
    const result = compile(spec('lambda', 130, false), { target: 'local' });
    // THEN it compiles, and the stack limit is a warning that names the limit and what it means
    expect(result.compiled).toBeDefined();
    const warnings = result.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message);
    expect(warnings).toContainEqual(
      expect.stringMatching(/may not have more than 500 .*it runs here, but cannot deploy as one stack$/),
    );
  });

  it('refuses a definition over 1,048,576 characters', () => {
    // GIVEN one container with 5,000 env values of 300 characters / WHEN compiled
    const env = Array.from({ length: 5_000 }, (_, i) => `{name: V${i}, value: '${'v'.repeat(300)}'}`).join(', ');
    const text =
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n` +
      `  - {name: c, image: i, command: [x], env: [${env}]}\n`;
    // THEN the error says how long it would be and the limit
    const messages = errors(text, 'activity').map((d) => d.message);
    expect(messages).toContainEqual(
      expect.stringMatching(/definition would be about \d{7} characters once deployed: may not be more than 1048576/),
    );
  });

  it('accepts a pod just under the limits', () => {
    expect(errors(spec('lambda', 100, false))).toEqual([]);
    expect(LIMITS.resources).toBe(500);
  });

  it('refuses a backoffLimit whose Retry MaxAttempts Step Functions would refuse', () => {
    const job =
      `apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  backoffLimit: 100000000\n` +
      `  template:\n    spec:\n      restartPolicy: OnFailure\n      containers: [{name: c, image: i}]\n`;
    expect(errors(job).map((d) => `${d.path}: ${d.message}`)).toEqual([
      'spec.backoffLimit: Invalid value: 100000000: must be less than or equal to 99999999',
    ]);
  });
});
