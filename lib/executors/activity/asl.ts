import { ERRORS } from '../../asl/errors.js';
import { SUBSTITUTIONS, placeholder } from '../../asl/substitutions.js';
import { ACTIVITY_TIMEOUT_WITHOUT_DEADLINE, DEFAULT_HEARTBEAT_SECONDS } from '../../model/plan.js';
import type { ActivityTimeouts, Step } from '../../model/workflow.js';
import { withExecution, type ExecutorEmitter } from '../contract.js';

/**
 * The names a lost worker raises. A heartbeat timeout is `States.Timeout` on LocalStack and matches
 * both `States.HeartbeatTimeout` and `States.Timeout` on AWS; the Task's own TimeoutSeconds (the
 * deadline) raises `States.Timeout` too, but then the execution's deadline has fired as well.
 */
const LOST_WORKER_ERRORS = ['States.HeartbeatTimeout', 'States.Timeout'] as const;

/**
 * HeartbeatSeconds and TimeoutSeconds of every activity Task (docs/agent.md): the task input carries
 * the heartbeat too, so that the agent heartbeats well within it. The plan gives every step on
 * `pod2sfn agent` its timeouts; a Workflow built by hand without them gets the plan's defaults.
 */
function timeouts(step: Step): { HeartbeatSeconds: number; TimeoutSeconds: number } {
  const t: ActivityTimeouts = step.activity ?? {
    heartbeatSeconds: DEFAULT_HEARTBEAT_SECONDS,
    timeoutSeconds: ACTIVITY_TIMEOUT_WITHOUT_DEADLINE,
  };
  return { HeartbeatSeconds: t.heartbeatSeconds, TimeoutSeconds: t.timeoutSeconds };
}

export const activityExecutor: ExecutorEmitter = {
  // A missed heartbeat means the worker died or was cut off, like a lost node; a stopped worker says
  // so; a container that could not start (image pull, missing secret) is kubelet's retried-regardless
  // case. Another attempt follows, on whichever worker polls next, and it is not counted as a restart.
  transientErrors: [
    ...LOST_WORKER_ERRORS,
    ERRORS.workerStopped,
    ERRORS.containerNotStarted,
    ERRORS.volumeRestoreFailed,
    ERRORS.volumeSaveFailed,
  ],
  run: (step, input) => ({
    Type: 'Task',
    Resource: placeholder(SUBSTITUTIONS.activity(step)),
    Parameters: { action: 'run', ...withExecution(input), heartbeatSeconds: timeouts(step).HeartbeatSeconds },
    ...timeouts(step),
    ResultSelector: { 'exitCode.$': '$.exitCode', 'message.$': '$.message' },
  }),
  startSidecar: (step, input) => ({
    Type: 'Task',
    Resource: placeholder(SUBSTITUTIONS.activity(step)),
    Parameters: { action: 'start', ...withExecution(input), heartbeatSeconds: timeouts(step).HeartbeatSeconds },
    ...timeouts(step),
    ResultSelector: { 'handle.$': '$.handle' },
  }),
  stopSidecar: (step, startedAt) => ({
    Type: 'Task',
    Resource: placeholder(SUBSTITUTIONS.activity(step)),
    Parameters: {
      action: 'stop',
      container: { name: step.container.name },
      'handle.$': `${startedAt}.handle`,
      'execution.$': '$$.Execution.Name',
      heartbeatSeconds: timeouts(step).HeartbeatSeconds,
    },
    ...timeouts(step),
  }),
};
