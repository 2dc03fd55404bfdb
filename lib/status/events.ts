/**
 * What happened to a pod's containers, in the order it happened: the one input of the status
 * mapper. Every runtime speaks it: the local runtime from its own per-attempt records, the AWS path
 * by translating GetExecutionHistory (./history.ts). Container names are the spec's names.
 */
export type PodEvent =
  /** The execution started: the pod is scheduled. */
  | { readonly type: 'PodStarted'; readonly at: Date }
  /** An attempt of a container began running (attempt 0 is the first run; n > 0 is restart n). */
  | { readonly type: 'ContainerStarted'; readonly container: string; readonly at: Date; readonly attempt: number }
  /** An attempt ended. */
  | {
      readonly type: 'ContainerExited';
      readonly container: string;
      readonly at: Date;
      readonly exitCode: number;
      /** The signal that ended it, when known; else read from an exit code 128 + n. */
      readonly signal?: number;
      /** The termination message (≤ 4 KiB), or the log tail under FallbackToLogsOnError. */
      readonly message?: string;
      /**
       * Kubernetes' reason: Completed, Error, OOMKilled, DeadlineExceeded, ...
       * @default Completed/Error by exit code
       */
      readonly reason?: string;
    }
  /** Waiting before a restart (CrashLoopBackOff) or before the container could start (ImagePullBackOff, ...). */
  | {
      readonly type: 'ContainerWaiting';
      readonly container: string;
      readonly at: Date;
      readonly reason: string;
      readonly message?: string;
    }
  /**
   * The run is being stopped, its containers killed: past its deadline (the pod fails now, as the
   * kubelet fails it), or interrupted (the pod is being deleted: Terminating).
   */
  | { readonly type: 'PodStopping'; readonly at: Date; readonly reason: 'DeadlineExceeded' | 'Interrupted' }
  /** The run is over (./outcome.ts says how). */
  | {
      readonly type: 'PodFinished';
      readonly at: Date;
      readonly phase: 'Succeeded' | 'Failed';
      /** The pod's reason: DeadlineExceeded, or none. */
      readonly reason?: string;
      readonly message?: string;
      /** A Job's: BackoffLimitExceeded, PodFailurePolicy, DeadlineExceeded (Kubernetes says them on the Job). */
      readonly job?: { readonly reason: string; readonly message: string };
    };

export type PodEventType = PodEvent['type'];
