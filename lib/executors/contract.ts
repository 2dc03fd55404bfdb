import type { Step } from '../model/workflow.js';
import type { ContainerTaskInput } from '../asl/task-input.js';

export type { ContainerTaskInput };
import type { ParallelState, TaskState } from '../asl/types.js';
import type { StateNames } from '../asl/names.js';

/** A Task (or a Parallel around one) before the emitter adds ResultPath, Retry, Catch and Next. */
export type RunState = Omit<TaskState, 'Next' | 'End' | 'ResultPath' | 'Retry' | 'Catch'> | Omit<ParallelState, 'Next' | 'End' | 'ResultPath' | 'Retry' | 'Catch'>;


/** One executor (kompose-style emitter): how its Task states look. */
export interface ExecutorEmitter {
  /** Errors of the infrastructure, retried apart from restarts and never counted as one. */
  readonly transientErrors: readonly string[];
  /** Runs the container to completion; its result is `{exitCode, message?}`. */
  run(step: Step, input: ContainerTaskInput, names: StateNames): RunState;
  /** Starts a native sidecar without waiting for it; its result is kept to stop it later. */
  startSidecar?(step: Step, input: ContainerTaskInput): RunState;
  /** Stops a sidecar that `startSidecar` started; `startedAt` is the JSONPath of that result. */
  stopSidecar?(step: Step, startedAt: string): RunState;
}

/** The task input with the execution's name added, which the workers log and use as a run id. */
export function withExecution(input: ContainerTaskInput): Record<string, unknown> {
  return { ...input, 'execution.$': '$$.Execution.Name' };
}
