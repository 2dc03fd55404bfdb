import { ERRORS } from '../../asl/errors.js';
import { SUBSTITUTIONS, placeholder } from '../../asl/substitutions.js';
import { withExecution, type ExecutorEmitter } from '../contract.js';

/** A worker the user runs (`pod2sfn agent`) polls the container's Activity and heartbeats while it runs. */
export const ACTIVITY_HEARTBEAT_SECONDS = 60;

export const activityExecutor: ExecutorEmitter = {
  // A missed heartbeat means the worker died, like a lost node; a stopped worker says so; a container
  // that could not start (image pull, missing secret) is kubelet's retried-regardless case. Another
  // attempt follows, and it is not counted as a restart.
  transientErrors: ['States.HeartbeatTimeout', ERRORS.workerStopped, ERRORS.containerNotStarted],
  run: (step, input) => ({
    Type: 'Task',
    Resource: placeholder(SUBSTITUTIONS.activity(step)),
    Parameters: { action: 'run', ...withExecution(input) },
    HeartbeatSeconds: ACTIVITY_HEARTBEAT_SECONDS,
    ResultSelector: { 'exitCode.$': '$.exitCode', 'message.$': '$.message' },
  }),
  startSidecar: (step, input) => ({
    Type: 'Task',
    Resource: placeholder(SUBSTITUTIONS.activity(step)),
    Parameters: { action: 'start', ...withExecution(input) },
    HeartbeatSeconds: ACTIVITY_HEARTBEAT_SECONDS,
    ResultSelector: { 'handle.$': '$.handle' },
  }),
  stopSidecar: (step, startedAt) => ({
    Type: 'Task',
    Resource: placeholder(SUBSTITUTIONS.activity(step)),
    Parameters: { action: 'stop', container: { name: step.container.name }, 'handle.$': `${startedAt}.handle`, 'execution.$': '$$.Execution.Name' },
    HeartbeatSeconds: ACTIVITY_HEARTBEAT_SECONDS,
  }),
};
