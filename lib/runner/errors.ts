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

/** The volume store failed a restore or a save: not the container's failure, retried apart from restarts. */
export class VolumeHandoffFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = ERRORS.volumeHandoffFailed;
  }
}
