/**
 * The target-neutral model of a pod run: what runs, in which order, how it restarts, and on what.
 * Pure data. Built by ./plan.ts from a validated pod; read by the ASL emitter, the runtimes and the
 * status mapper. Imports nothing from zod, ASL or CDK (docs/design.md §1).
 */
import type { Executor } from './executor.js';

export type { Executor };

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

/** Where a container stands in the pod. */
export type Role =
  /** Runs to completion, one at a time, in spec order, before the app containers. */
  | 'init'
  /** A native sidecar: an init container with `restartPolicy: Always`, started and left running. */
  | 'sidecar'
  /** Runs beside the other app containers once every init container has succeeded. */
  | 'app';

/** A retry policy in Step Functions terms (docs/design.md §3 limits apply). */
export interface Backoff {
  readonly intervalSeconds: number;
  readonly backoffRate: number;
  readonly maxDelaySeconds: number;
  /** Retries after the first attempt; 0 means none. */
  readonly maxAttempts: number;
}

/** One environment variable as the container will see it; references are resolved at run time. */
export type EnvSource =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly secretKeyRef: KeyRef }
  | { readonly name: string; readonly configMapKeyRef: KeyRef }
  /** Known only when the run starts (pod IP and the like). */
  | { readonly name: string; readonly runtimeField: string };

export interface KeyRef {
  readonly name: string;
  readonly key: string;
  readonly optional: boolean;
}

export interface EnvFrom {
  readonly kind: 'configMap' | 'secret';
  readonly name: string;
  readonly prefix: string;
  readonly optional: boolean;
}

export interface Mount {
  readonly volume: string;
  readonly mountPath: string;
  readonly subPath?: string;
  readonly readOnly: boolean;
}

/** What a runtime needs to run one container. Carried in the ASL task input, so no secret values. */
export interface ContainerRun {
  readonly name: string;
  readonly image: string;
  /** The image's entrypoint is used when empty. */
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly env: readonly EnvSource[];
  readonly envFrom: readonly EnvFrom[];
  readonly workingDir?: string;
  readonly mounts: readonly Mount[];
  readonly terminationMessagePath: string;
  readonly terminationMessagePolicy: 'File' | 'FallbackToLogsOnError';
}

export interface LambdaSize {
  /** 128–10,240 MB. */
  readonly memoryMiB: number;
  /** /tmp, 512–10,240 MB. */
  readonly ephemeralStorageMiB: number;
  readonly timeoutSeconds: number;
}

export interface FargateSize {
  /** CPU units: 256, 512, 1024, 2048, 4096. */
  readonly cpu: number;
  readonly memoryMiB: number;
  /** 21–200 GiB. */
  readonly ephemeralStorageGiB: number;
}

export interface Step {
  /** Unique within the workflow, [a-z0-9_]: a key for output paths and substitutions. */
  readonly id: string;
  readonly role: Role;
  /** 0-based position among containers of the same role group (init+sidecar, or app). */
  readonly index: number;
  readonly container: ContainerRun;
  readonly executor: Executor;
  /** Restarts on a non-zero exit; undefined when the container is never restarted. */
  readonly restart?: Backoff;
  /** `Ignore` lets the pod go on past a failed init container (seed extension). */
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly lambda: LambdaSize;
  readonly fargate: FargateSize;
  /** The activity executor's timeouts (docs/agent.md): only on a step that runs on `pod2sfn agent`. */
  readonly activity?: ActivityTimeouts;
}

/** How long an activity Task waits for its worker: what bounds a lost or absent `pod2sfn agent`. */
export interface ActivityTimeouts {
  /** The Task's HeartbeatSeconds: a worker silent this long is lost, and the task is run again. */
  readonly heartbeatSeconds: number;
  /** The Task's TimeoutSeconds: the pod's deadline, else a day; always above heartbeatSeconds. */
  readonly timeoutSeconds: number;
}

export type VolumeKind = 'emptyDir' | 'configMap' | 'secret' | 'persistentVolumeClaim' | 'scratch';

export interface Volume {
  readonly name: string;
  readonly kind: VolumeKind;
  /** The ConfigMap, Secret or claim it comes from. */
  readonly source?: string;
  readonly items?: ReadonlyArray<{ readonly key: string; readonly path: string }>;
  readonly optional: boolean;
  /** An emptyDir's `sizeLimit`, in bytes. */
  readonly sizeLimitBytes?: number;
  /** An emptyDir's `medium: Memory`: tmpfs where the runtime has one. */
  readonly medium?: 'Memory';
}

/** A Job's podFailurePolicy rule on exit codes (onPodConditions has no meaning here). */
export interface ExitCodeRule {
  readonly action: 'FailJob' | 'Ignore' | 'Count';
  readonly containerName?: string;
  readonly operator: 'In' | 'NotIn';
  readonly values: readonly number[];
}

export interface Workflow {
  readonly name: string;
  readonly namespace: string;
  readonly kind: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly restartPolicy: RestartPolicy;
  /** Init containers and native sidecars, in spec order. */
  readonly init: readonly Step[];
  readonly app: readonly Step[];
  readonly volumes: readonly Volume[];
  /** activeDeadlineSeconds (the Job's when it has one): the whole run, init time included. */
  readonly deadlineSeconds?: number;
  readonly terminationGracePeriodSeconds: number;
  /**
   * A Job whose pod has restartPolicy Never replaces a failed pod with a new one: the whole pod is
   * retried, init containers included, up to backoffLimit times.
   */
  readonly podRetry?: Backoff;
  readonly podFailurePolicy: readonly ExitCodeRule[];
}

/** A step's id: its container's name with `_` for `-`, since JSONPath keys and substitutions cannot hold a hyphen. */
export function stepIdOf(containerName: string): string {
  return containerName.replaceAll('-', '_');
}

export function allSteps(workflow: Workflow): Step[] {
  return [...workflow.init, ...workflow.app];
}
