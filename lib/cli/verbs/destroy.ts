import { STACK_DESCRIPTIONS, STACK_OPTIONS } from '../flags.js';
import type { LazyVerb } from '../verb.js';

export const verb: LazyVerb = {
  name: 'destroy',
  summary: "Delete the pod's deployed stack and everything in it (state machine, runs API, functions, logs).",
  usage: 'pod2sfn destroy FILE [--endpoint URL] [--cdk-out DIR]',
  options: STACK_OPTIONS,
  descriptions: STACK_DESCRIPTIONS,
  details:
    'Does not ask: like `kubectl delete`. Also removes a stack that a failed deploy or delete left behind\n' +
    '(ROLLBACK_COMPLETE, DELETE_FAILED); resources CloudFormation cannot delete are retained and named on\n' +
    'stderr. A stack that does not exist is not an error. Stop running executions first if they must end cleanly.',
  implementation: () => import('../actions/destroy.js'),
};
