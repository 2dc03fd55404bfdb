import { ERRORS, type ContainerFailureCause } from '../asl/errors.js';

/**
 * The runner's errors. Their names are the ones the state machine's Retry and Catch match
 * (docs/design.md §2), whichever executor raises them.
 */

/** A container that could not be created (a missing Secret, no command): Kubernetes' CreateContainerConfigError. */
export class ContainerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}

/** A non-zero exit: the error the state machine's Retry and Catch match; its message is the JSON Cause. */
export class ContainerFailed extends Error {
  constructor(readonly failure: ContainerFailureCause) {
    super(JSON.stringify(failure));
    this.name = ERRORS.containerFailed;
  }
}

/** The container could not start (a missing Secret key, no command): not a restartable failure. */
export class ContainerNotStarted extends Error {
  constructor(message: string) {
    super(message);
    this.name = ERRORS.containerNotStarted;
  }
}

/** The volume errors every executor raises (docs/design.md §9), by the name Retry and Catch match. */
type VolumeErrorName =
  typeof ERRORS.volumeRestoreFailed | typeof ERRORS.volumeSaveFailed | typeof ERRORS.volumeSizeLimitExceeded;

/**
 * An emptyDir that could not be restored or saved (the store failed: not the container's failure,
 * retried apart from restarts), or one over its sizeLimit (the pod fails, as the kubelet evicts it).
 */
export class VolumeError extends Error {
  constructor(name: VolumeErrorName, message: string) {
    super(message);
    this.name = name;
  }
}
