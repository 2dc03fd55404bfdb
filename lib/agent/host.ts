import type { ContainerTaskInput } from '../asl/task-input.js';

export interface RunOutcome {
  readonly exitCode: number;
  /** The termination message (or the log tail under FallbackToLogsOnError). */
  readonly message: string;
}

/** Where the agent's containers run: the local container runtime of `pod2sfn run`. */
export interface ContainerHost {
  /** Runs the container to completion; rejects only when it could not start (image, missing secret). */
  run(input: ContainerTaskInput, context: RunContext): Promise<RunOutcome>;
  /** Starts a native sidecar in the background; the handle names it to `stopSidecar`. */
  startSidecar(input: ContainerTaskInput, context: RunContext): Promise<string>;
  stopSidecar(handle: string): Promise<void>;
  /** Stops every sidecar still running (the agent is shutting down). */
  close(): Promise<void>;
}

export interface RunContext {
  /** Aborted when the task must stop: the agent stops, or Step Functions no longer wants the result. */
  readonly signal: AbortSignal;
  /** One line of the container's output. */
  readonly log: (line: string) => void;
}
