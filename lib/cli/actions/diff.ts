import type { StackDiff } from '@aws-cdk/toolkit-lib';
import { openStack } from '../cdk-toolkit.js';
import { EXIT } from '../io.js';
import type { Invocation } from '../verb.js';

/** `kubectl diff` exits 1 when there are differences. */
const DIFFERENCES = 1;

/** `pod2sfn diff` (its flags and help: lib/cli/verbs/diff.ts). */
export async function run(invocation: Invocation): Promise<number> {
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
}
