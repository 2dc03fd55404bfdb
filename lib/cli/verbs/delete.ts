import { RUN_DESCRIPTIONS, RUN_OPTIONS } from '../flags.js';
import type { LazyVerb } from '../verb.js';

export const verb: LazyVerb = {
  name: 'delete',
  summary: 'Stop a run of a deployed pod and its running containers, as kubectl delete pod stops a pod.',
  usage: 'pod2sfn delete pod (EXECUTION_ARN | RUN -f FILE | RUN --stack NAME) [--grace-period N]',
  options: { ...RUN_OPTIONS, 'grace-period': { type: 'string' } },
  descriptions: {
    ...RUN_DESCRIPTIONS,
    api: 'not for delete: stopping a run takes Step Functions (and ECS) itself',
    'grace-period':
      'seconds the containers get to stop after SIGTERM: the pod reads Terminating that long, then Failed ' +
      "(default: the spec's terminationGracePeriodSeconds, else 30)",
  },
  details:
    'StopExecution, then what runs is stopped: an ECS task by StopTask (SIGTERM, SIGKILL after its stopTimeout);\n' +
    "a container on the pod2sfn agent at the agent's next heartbeat, which Step Functions refuses (SIGTERM, SIGKILL\n" +
    "after the agent's --grace-period); a Lambda invocation cannot be stopped (it runs to its end or its timeout,\n" +
    'and its answer is dropped). Exit 0 once the run is stopped or had already ended; 2 for a run that is not there.',
  implementation: () => import('../actions/delete.js'),
};
