import type { StackDiff } from '@aws-cdk/toolkit-lib';
import { openStack, STACK_DESCRIPTIONS, STACK_OPTIONS } from '../cdk-toolkit.js';
import { EXIT } from '../io.js';
import type { Verb } from '../verb.js';

/** `kubectl diff` exits 1 when there are differences. */
const DIFFERENCES = 1;

export const verb: Verb = {
  name: 'diff',
  summary: "Show what `pod2sfn deploy FILE` would change in the pod's deployed stack.",
  usage: 'pod2sfn diff FILE [--endpoint URL] [--executor lambda|ecs|activity] [--cdk-out DIR]',
  options: STACK_OPTIONS,
  descriptions: STACK_DESCRIPTIONS,
  details:
    "Compares the stack FILE compiles to with the deployed stack's template (a stack not yet deployed: against\n" +
    'nothing). The differences go to stdout. Exit codes, as `kubectl diff`: 0 no differences, 1 differences,\n' +
    '2 invalid input or usage, 70 the comparison failed (AWS credentials, network).',
  async run(invocation) {
    const { io } = invocation;
    let text = '';
    const { toolkit, assembly } = await openStack(invocation, 'diff', {
      onResult(message) {
        if (message.code !== 'CDK_TOOLKIT_I4002') return;
        const { security, diff } = (message.data as StackDiff).formattedDiff;
        // The IAM and security-group changes (a table), then every other change.
        text += `${security ? `${security.trimEnd()}\n` : ''}${diff}`;
      },
    });
    const { DiffMethod } = await import('@aws-cdk/toolkit-lib');
    // The template, not a change set: a diff creates nothing, and needs no bootstrap role.
    const diffs = await toolkit.diff(assembly, { method: DiffMethod.TemplateOnly() });
    const changes = Object.values(diffs).reduce((n, d) => n + d.differenceCount, 0);
    io.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
    return changes > 0 ? DIFFERENCES : EXIT.ok;
  },
};
