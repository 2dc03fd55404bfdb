/**
 * The core/v1 and batch/v1 shapes pod2sfn writes and reads, as `kubectl get -o json` spells them.
 * Optional where the API omits empty values, so that any Pod a cluster returns fits them too.
 */
export interface ContainerStateWaiting {
  readonly reason?: string;
  readonly message?: string;
}
export interface ContainerStateRunning {
  readonly startedAt?: string;
}
export interface ContainerStateTerminated {
  readonly exitCode: number;
  readonly signal?: number;
  readonly reason?: string;
  readonly message?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
}
export interface ContainerState {
  readonly waiting?: ContainerStateWaiting;
  readonly running?: ContainerStateRunning;
  readonly terminated?: ContainerStateTerminated;
}
export interface ContainerStatus {
  readonly name: string;
  readonly image?: string;
  readonly imageID?: string;
  readonly ready: boolean;
  readonly started?: boolean;
  readonly restartCount: number;
  readonly state: ContainerState;
  readonly lastState: ContainerState;
}
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
export type ConditionStatus = 'True' | 'False' | 'Unknown';
export interface PodCondition {
  /** PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled, or a readiness gate's. */
  readonly type: string;
  readonly status: ConditionStatus;
  readonly lastTransitionTime?: string;
  readonly reason?: string;
  readonly message?: string;
}
export interface PodStatus {
  readonly phase?: PodPhase | string;
  readonly reason?: string;
  readonly message?: string;
  readonly conditions?: readonly PodCondition[];
  readonly startTime?: string;
  readonly podIPs?: ReadonlyArray<{ readonly ip: string }>;
  readonly nominatedNodeName?: string;
  readonly initContainerStatuses?: readonly ContainerStatus[];
  readonly containerStatuses?: readonly ContainerStatus[];
}
/** What the status rules read of a container in the spec. */
export interface SpecContainer {
  readonly name: string;
  readonly image?: string;
  /** `Always` on an init container makes it a native sidecar (a restartable init container). */
  readonly restartPolicy?: string;
}
export interface PodSpec {
  readonly restartPolicy?: string;
  readonly initContainers?: readonly SpecContainer[];
  readonly containers?: readonly SpecContainer[];
  readonly nodeName?: string;
  readonly readinessGates?: ReadonlyArray<{ readonly conditionType: string }>;
}
export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly creationTimestamp?: string;
  /** Set once the pod is being stopped: kubectl then prints Terminating until the phase is terminal. */
  readonly deletionTimestamp?: string;
}
export interface Pod {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: ObjectMeta;
  readonly spec?: PodSpec;
  readonly status?: PodStatus;
}

export interface JobCondition {
  /** Complete, Failed, FailureTarget, SuccessCriteriaMet, Suspended. */
  readonly type: string;
  readonly status: ConditionStatus;
  readonly lastProbeTime?: string;
  readonly lastTransitionTime?: string;
  readonly reason?: string;
  readonly message?: string;
}
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<{
    readonly key: string;
    readonly operator: string;
    readonly values?: readonly string[];
  }>;
}
export interface Job {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: ObjectMeta;
  readonly spec?: {
    readonly completions?: number;
    readonly parallelism?: number;
    readonly backoffLimit?: number;
    readonly selector?: LabelSelector;
    readonly template?: { readonly metadata?: ObjectMeta; readonly spec?: PodSpec };
    readonly [key: string]: unknown;
  };
  readonly status?: {
    readonly conditions?: readonly JobCondition[];
    readonly startTime?: string;
    readonly completionTime?: string;
    readonly active?: number;
    readonly succeeded?: number;
    readonly failed?: number;
    readonly ready?: number;
    readonly terminating?: number;
  };
}

/** Kubernetes timestamps: RFC 3339, whole seconds. */
export function timestamp(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}
