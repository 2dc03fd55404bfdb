import { parseObject } from '../json.js';

/**
 * Error names shared by every executor, so that Retry and Catch behave alike whichever runs a
 * container (docs/design.md §2). The Lambda runner throws them, the activity agent sends them with
 * SendTaskFailure, the ECS exit-code check raises them from a Fail state, the local runtime throws them.
 */
export const ERRORS = {
  /** A container exited non-zero. Its Cause is JSON: {"container", "exitCode", "message"}. */
  containerFailed: 'Pod2sfn.ContainerFailed',
  /** The container never ran (its ECS task stopped with no exit code, e.g. the image could not be pulled). */
  containerNotStarted: 'Pod2sfn.ContainerNotStarted',
  /** An ECS task failed with a Step Functions error (States.Permissions, ...): its name and cause are in the Cause. */
  ecsTaskError: 'Pod2sfn.EcsTaskError',
  /** An emptyDir could not be restored before the container ran (docs/design.md §9): retried as transient. */
  volumeRestoreFailed: 'Pod2sfn.VolumeRestoreFailed',
  /** An emptyDir could not be saved after the container exited (docs/design.md §9): retried as transient. */
  volumeSaveFailed: 'Pod2sfn.VolumeSaveFailed',
  /** An emptyDir held more than its sizeLimit when saved: the pod fails, as the kubelet evicts it. Not retried. */
  volumeSizeLimitExceeded: 'Pod2sfn.VolumeSizeLimitExceeded',
  /** The activity worker stopped (SIGTERM) while it held the task: another worker may take it. */
  workerStopped: 'Pod2sfn.WorkerStopped',
  /** A Job's podFailurePolicy said FailJob: not retried. */
  jobFailed: 'Pod2sfn.JobFailed',
  /** A Job's podFailurePolicy said Ignore: retried without counting against backoffLimit. */
  podFailureIgnored: 'Pod2sfn.PodFailureIgnored',
} as const;

/** The Cause carried by `Pod2sfn.ContainerFailed`. */
export interface ContainerFailureCause {
  readonly container: string;
  readonly exitCode: number;
  readonly message: string;
}

/**
 * A Pod2sfn.ContainerFailed Cause as it arrives: our JSON directly (activity, local, the ECS check),
 * or inside a Lambda error's `errorMessage` (Step Functions wraps what the runner throws).
 */
export function parseContainerFailureCause(cause: string | undefined): ContainerFailureCause | undefined {
  const outer = parseObject(cause);
  const inner = outer && typeof outer.errorMessage === 'string' ? parseObject(outer.errorMessage) : outer;
  if (!inner || typeof inner.exitCode !== 'number') return undefined;
  return {
    container: typeof inner.container === 'string' ? inner.container : '',
    exitCode: inner.exitCode,
    message: typeof inner.message === 'string' ? inner.message : '',
  };
}
