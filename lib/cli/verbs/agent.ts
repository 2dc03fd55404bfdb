import { RUNTIMES, VALUES_DESCRIPTIONS, VALUES_OPTIONS } from '../flags.js';
import type { LazyVerb } from '../verb.js';

export const verb: LazyVerb = {
  name: 'agent',
  summary: "Run the containers of deployed pods' activity executor on this machine: pod2sfn's kubelet.",
  usage:
    'pod2sfn agent (--stack NAME | --activity ARN)... [--log-group NAME] [--concurrency N] ' +
    '[--runtime host|docker] [--work-dir DIR] [--values-file FILE] [--secrets-dir DIR]',
  options: {
    stack: { type: 'string', multiple: true },
    activity: { type: 'string', multiple: true },
    'log-group': { type: 'string' },
    concurrency: { type: 'string' },
    runtime: { type: 'string' },
    'work-dir': { type: 'string' },
    ...VALUES_OPTIONS,
    'grace-period': { type: 'string' },
    'worker-name': { type: 'string' },
  },
  descriptions: {
    stack: 'a stack deployed by pod2sfn: serve all of its activities (repeatable)',
    activity: 'an activity ARN to serve (repeatable)',
    'log-group': "ship containers' output there too (default: the --stack's log group; none: printed only)",
    concurrency: 'containers run at the same time (default 2)',
    runtime: `container runtime: ${RUNTIMES.join('|')} (default: docker when it answers, else host)`,
    'work-dir': "this agent's own disk for volumes, locked against other agents (default: a fresh private temp dir)",
    ...VALUES_DESCRIPTIONS,
    'grace-period': 'seconds a running container may finish after SIGTERM before its task is failed (default 30)',
    'worker-name': 'shown in the execution history (default: this host name)',
  },
  details:
    "Polls each activity, runs the container, heartbeats every third of the Task's HeartbeatSeconds, and\n" +
    'answers SendTaskSuccess or SendTaskFailure(Pod2sfn.ContainerFailed) so Retry and Catch behave as\n' +
    'with the other executors. On SIGTERM or Ctrl-C it aborts its polls and lets running containers\n' +
    'finish for the grace period; a container still running then is stopped and its task failed with\n' +
    'Pod2sfn.WorkerStopped (retried). A task whose worker is lost is run again after HeartbeatSeconds\n' +
    "(docs/agent.md). emptyDir volumes are restored from and saved to the stack's volume bucket, so\n" +
    'agents on other machines (or another executor) hand them over. Exits 1 when none of its activities\n' +
    'exists any more. Uses the usual AWS environment and AWS_ENDPOINT_URL (LocalStack).',
  implementation: () => import('../actions/agent.js'),
};
