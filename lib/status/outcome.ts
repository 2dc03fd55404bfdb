/**
 * How a run ended → the final phase, reason and message of its pod (and of its Job): one place for
 * `run` (the embedded engine's result), `status` (the execution history's last event) and the agent,
 * so that the same ending reads the same wherever it happened.
 */
import { ERRORS, parseContainerFailureCause } from '../asl/errors.js';
import type { PodShape } from '../model/pod-shape.js';
import type { PodEvent } from './events.js';
import { DEADLINE_MESSAGE } from './pod-status.js';

/** How the state machine's execution ended, in the words both runtimes can say. */
export type RunEnding =
  | { readonly status: 'succeeded' }
  /** The error and cause of the execution's failure (ExecutionFailed, or the engine's). */
  | { readonly status: 'failed'; readonly error: string; readonly cause: string }
  /** activeDeadlineSeconds: the machine's TimeoutSeconds, or the local runtime's deadline. */
  | { readonly status: 'timedOut' }
  /** Stopped from outside: Ctrl-C, StopExecution. */
  | { readonly status: 'aborted'; readonly message: string };

export type PodOutcome = Omit<Extract<PodEvent, { type: 'PodFinished' }>, 'type' | 'at'>;

/** The Job controller's messages (pkg/controller/job/job_controller.go). */
export const JOB_MESSAGES = {
  backoffLimitExceeded: 'Job has reached the specified backoff limit',
  deadlineExceeded: 'Job was active longer than specified deadline',
} as const;

export function podOutcome(shape: PodShape, ending: RunEnding): PodOutcome {
  const isJob = shape.kind === 'Job' || shape.kind === 'CronJob';
  switch (ending.status) {
    case 'succeeded':
      return { phase: 'Succeeded' };
    case 'timedOut':
      return {
        phase: 'Failed',
        reason: 'DeadlineExceeded',
        message: DEADLINE_MESSAGE,
        ...(isJob && { job: { reason: 'DeadlineExceeded', message: JOB_MESSAGES.deadlineExceeded } }),
      };
    case 'aborted':
      return { phase: 'Failed', message: ending.message };
    case 'failed': {
      const containerError = ending.error === ERRORS.containerFailed || ending.error === ERRORS.jobFailed;
      const failure = containerError ? parseContainerFailureCause(ending.cause) : undefined;
      // A container's failure is in its own status (exit code, message), as the kubelet leaves it;
      // anything else (a States.* error) is said on the pod as it came.
      const message = failure ? undefined : [ending.error, ending.cause].filter(Boolean).join(': ');
      const job = !isJob
        ? undefined
        : ending.error === ERRORS.jobFailed
          ? {
              reason: 'PodFailurePolicy',
              message: failure
                ? `Container ${failure.container} for pod ${shape.namespace}/${shape.name} failed with exit code ` +
                  `${failure.exitCode} matching FailJob rule`
                : 'Pod failed matching a FailJob rule',
            }
          : { reason: 'BackoffLimitExceeded', message: JOB_MESSAGES.backoffLimitExceeded };
      return { phase: 'Failed', ...(message && { message }), ...(job && { job }) };
    }
  }
}

/** The PodFinished event of an ending. */
export function finishedEvent(shape: PodShape, ending: RunEnding, at: Date): PodEvent {
  return { type: 'PodFinished', at, ...podOutcome(shape, ending) };
}
