import { openStack, STACK_DESCRIPTIONS, STACK_OPTIONS } from '../cdk-toolkit.js';
import { EXIT } from '../io.js';
import { cloudFormationStacks, removeStuckStack } from '../stuck-stack.js';
import type { Verb } from '../verb.js';

export const verb: Verb = {
  name: 'destroy',
  summary: "Delete the pod's deployed stack and everything in it (state machine, runs API, functions, logs).",
  usage: 'pod2sfn destroy FILE [--endpoint URL] [--cdk-out DIR]',
  options: STACK_OPTIONS,
  descriptions: STACK_DESCRIPTIONS,
  details:
    'Does not ask: like `kubectl delete`. Also removes a stack that a failed deploy or delete left behind\n' +
    '(ROLLBACK_COMPLETE, DELETE_FAILED); resources CloudFormation cannot delete are retained and named on\n' +
    'stderr. A stack that does not exist is not an error. Stop running executions first if they must end cleanly.',
  async run(invocation) {
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
  },
};
