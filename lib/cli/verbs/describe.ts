import { RUN_DESCRIPTIONS, RUN_OPTIONS } from '../flags.js';
import type { LazyVerb } from '../verb.js';

export const verb: LazyVerb = {
  name: 'describe',
  summary: "Describe a run of a deployed pod in kubectl describe pod's layout: containers, conditions, events.",
  usage: 'pod2sfn describe pod (EXECUTION_ARN | RUN -f FILE | RUN --stack NAME | RUN --api URL)',
  options: RUN_OPTIONS,
  descriptions: RUN_DESCRIPTIONS,
  details:
    "Each container's state, last state, exit code, restarts and termination message; the pod's conditions;\n" +
    'the Events table from the execution history; and the pod2sfn logs command of each container.',
  implementation: () => import('../actions/describe.js'),
};
