import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { placeholdersIn, substitute } from '../../lib/asl/substitutions.js';
import { decodeContainer, type WireContainer } from '../../lib/asl/task-input.js';
import type { StateMachineDefinition } from '../../lib/asl/types.js';
import { addPodStacks } from '../../lib/aws/app.js';
import type { Executor } from '../../lib/model/workflow.js';
import { allStates } from '../helpers/asl.js';
import { specFile, tempDir } from '../helpers/run-cli.js';
import { CORPUS_DIR, corpusFiles } from '../helpers/corpus.js';
import { cdkJsonContext, fakeResolve, type TemplateJson } from './synth.js';

/**
 * A user's `${NAME}` is shell text, never a definition placeholder (issue 14 §2): through the CDK app
 * (`cdk synth -c spec=...`) and CloudFormation's definitionSubstitutions, it reaches the deployed
 * definition as written.
 */
function deployedDefinition(file: string, executor: Executor): StateMachineDefinition {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], spec: file, executor } });
  const [stack] = addPodStacks(app);
  const template = app.synth().getStackByName(stack!.stackName).template as { Resources: Record<string, TemplateJson> };
  const machine = Object.values(template.Resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine')!;
  const text = machine.Properties.DefinitionString as string;
  const subs = Object.fromEntries(
    Object.entries(machine.Properties.DefinitionSubstitutions as object).map(([k, v]) => [k, fakeResolve(v)]),
  );
  // What CloudFormation does: every `${Key}` of the raw text replaced; all of them have a value.
  expect(Object.keys(subs).sort()).toEqual(placeholdersIn(text));
  return JSON.parse(substitute(text, subs)) as StateMachineDefinition;
}

function commands(definition: StateMachineDefinition): string[][] {
  type Parameters = { container?: WireContainer; Payload?: { container?: WireContainer } };
  return allStates(definition)
    .map(([, state]) => (state as { Parameters?: Parameters }).Parameters)
    .map((p) => p?.container ?? p?.Payload?.container)
    .filter((c): c is WireContainer => c?.command !== undefined)
    .map((c) => decodeContainer(c).command as string[]);
}

const corpus = corpusFiles().filter(({ text }) => text.includes('${'));

describe.skipIf(corpus.length === 0)('shell ${VAR} in a corpus manifest', () => {
  it.each(['lambda', 'activity'] as const)('synthesizes on %s and deploys the command as written', (executor) => {
    // GIVEN kong's migrations Job, whose command says `${KONG_PG_HOST}` to bash
    const file = join(CORPUS_DIR, 'kong-migrations-job.yaml');
    // WHEN the CDK app synthesizes it and CloudFormation's substitutions are applied
    const definition = deployedDefinition(file, executor);
    // THEN the container's command reaches Step Functions unchanged
    expect(commands(definition).flat().join('\n')).toContain('bash 9<>/dev/tcp/${KONG_PG_HOST}/${KONG_PG_PORT}; do');
  });
});

describe('a user ${Activity_x}', () => {
  it('stays literal while the real placeholder becomes the ARN', () => {
    // GIVEN a pod on the activity executor whose command names the placeholder of its own activity
    const dir = tempDir();
    const file = specFile(
      dir,
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: sneaky}',
        'spec:',
        '  restartPolicy: Never',
        '  containers:',
        "    - {name: x, image: alpine, command: [sh, -c, 'echo ${Activity_x} $${EcsCluster} \\${Lambda_x}']}",
      ].join('\n'),
    );
    // WHEN synthesized and substituted
    const definition = deployedDefinition(file, 'activity');
    // THEN the command is the user's text, and only the Task's Resource was filled
    expect(commands(definition)).toEqual([['sh', '-c', 'echo ${Activity_x} $${EcsCluster} \\${Lambda_x}']]);
    const [, task] = allStates(definition).find(([, s]) => s.Type === 'Task')!;
    expect((task as { Resource: string }).Resource).toMatch(/^arn:fake:/);
  });
});
