import { openStack } from '../cdk-toolkit.js';
import { EXIT } from '../io.js';
import { cloudFormationStacks, removeStuckStack } from '../stuck-stack.js';
import type { Invocation } from '../verb.js';

/** `pod2sfn destroy` (its flags and help: lib/cli/verbs/destroy.ts). */
export async function run(invocation: Invocation): Promise<number> {
  const { io } = invocation;
  const target = await openStack(invocation, 'destroy');
  const stacks = await cloudFormationStacks(await target.cloudFormation());
  const status = await stacks.status(target.stack);
  if (status === undefined) {
    io.stderr.write(`pod2sfn destroy: stack ${target.stack} does not exist; nothing to delete\n`);
    return EXIT.ok;
  }
  if (!(await removeStuckStack(stacks, target.stack, io))) await target.toolkit.destroy(target.assembly);
  io.stderr.write(`pod2sfn destroy: stack ${target.stack} deleted\n`);
  return EXIT.ok;
}
