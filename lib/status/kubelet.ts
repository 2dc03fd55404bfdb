/**
 * The kubelet's status rules, ported: the conditions of pkg/kubelet/status/generate.go, the phase of
 * getPhase and the container defaults of convertToAPIContainerStatuses (pkg/kubelet/kubelet_pods.go),
 * and `ready`/`started` as the prober manager sets them (pkg/kubelet/prober/prober_manager.go) for
 * containers without probes (pod2sfn ignores probes, with a warning). Functions of core/v1 objects,
 * so that upstream's own table tests apply to them unchanged (test/status/kubelet.test.ts).
 */
import type { ContainerState, ContainerStatus, PodCondition, PodPhase, PodSpec, SpecContainer } from './core-v1.js';

export const REASONS = {
  unknownContainerStatuses: 'UnknownContainerStatuses',
  podCompleted: 'PodCompleted',
  podFailed: 'PodFailed',
  containersNotReady: 'ContainersNotReady',
  containersNotInitialized: 'ContainersNotInitialized',
  readinessGatesNotReady: 'ReadinessGatesNotReady',
  /** convertToAPIContainerStatuses' default waiting reasons. */
  containerCreating: 'ContainerCreating',
  podInitializing: 'PodInitializing',
} as const;

/** A condition as generated, before its lastTransitionTime is known. */
export type GeneratedCondition = Omit<PodCondition, 'lastTransitionTime'>;

export function isRestartableInitContainer(container: SpecContainer | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

const indexes = new WeakMap<readonly ContainerStatus[], Map<string, ContainerStatus>>();

/**
 * podutil.GetContainerStatus for every name at once: the first status of each name. Kept per list,
 * so that the rules run over one pod's statuses index them once.
 */
function byName(statuses: readonly ContainerStatus[]): Map<string, ContainerStatus> {
  let index = indexes.get(statuses);
  if (!index) {
    index = new Map();
    for (const s of statuses) if (!index.has(s.name)) index.set(s.name, s);
    indexes.set(statuses, index);
  }
  return index;
}

/** Go prints a []string as `[a b]`. */
function list(names: readonly string[]): string {
  return `[${names.join(' ')}]`;
}

function condition(
  type: string,
  status: PodCondition['status'],
  reason?: string,
  message?: string,
): GeneratedCondition {
  return { type, status, ...(reason && { reason }), ...(message && { message }) };
}

/** GenerateContainersReadyCondition: True when every app container and native sidecar is ready. */
export function generateContainersReadyCondition(
  spec: PodSpec,
  statuses: readonly ContainerStatus[] | undefined,
  phase: PodPhase | string | undefined,
): GeneratedCondition {
  if (statuses === undefined) return condition('ContainersReady', 'False', REASONS.unknownContainerStatuses);
  const unknown: string[] = [];
  const unready: string[] = [];
  const index = byName(statuses);
  const check = (name: string) => {
    const s = index.get(name);
    if (!s) unknown.push(name);
    else if (!s.ready) unready.push(name);
  };
  for (const c of spec.initContainers ?? []) if (isRestartableInitContainer(c)) check(c.name);
  for (const c of spec.containers ?? []) check(c.name);
  if (phase === 'Succeeded' && unknown.length === 0) return condition('ContainersReady', 'False', REASONS.podCompleted);
  if (phase === 'Failed') return condition('ContainersReady', 'False', REASONS.podFailed);
  const messages = [
    ...(unknown.length > 0 ? [`containers with unknown status: ${list(unknown)}`] : []),
    ...(unready.length > 0 ? [`containers with unready status: ${list(unready)}`] : []),
  ];
  if (messages.length > 0)
    return condition('ContainersReady', 'False', REASONS.containersNotReady, messages.join(', '));
  return condition('ContainersReady', 'True');
}

/** GeneratePodReadyCondition: ContainersReady, and every readiness gate's condition True. */
export function generatePodReadyCondition(
  spec: PodSpec,
  conditions: readonly Pick<PodCondition, 'type' | 'status'>[] | undefined,
  statuses: readonly ContainerStatus[] | undefined,
  phase: PodPhase | string | undefined,
): GeneratedCondition {
  const containersReady = generateContainersReadyCondition(spec, statuses, phase);
  if (containersReady.status !== 'True') return { ...containersReady, type: 'Ready' };
  const messages: string[] = [];
  for (const gate of spec.readinessGates ?? []) {
    const c = conditions?.find((x) => x.type === gate.conditionType);
    if (!c) messages.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== 'True')
      messages.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
  }
  if (messages.length > 0) return condition('Ready', 'False', REASONS.readinessGatesNotReady, messages.join(', '));
  return condition('Ready', 'True');
}

/** A regular init container counts once it is ready (exited 0), a native sidecar once it has started. */
function isInitContainerInitialized(container: SpecContainer, status: ContainerStatus): boolean {
  return isRestartableInitContainer(container) ? status.started === true : status.ready;
}

/** kubecontainer.HasAnyRegularContainerStarted: an app container is, or was, running. */
export function hasAnyRegularContainerStarted(spec: PodSpec, statuses: readonly ContainerStatus[]): boolean {
  const names = new Set((spec.containers ?? []).map((c) => c.name));
  return statuses.some((s) => names.has(s.name) && (s.state.running !== undefined || s.state.terminated !== undefined));
}

/** GeneratePodInitializedCondition. */
export function generatePodInitializedCondition(
  spec: PodSpec,
  statuses: readonly ContainerStatus[] | undefined,
  phase: PodPhase | string | undefined,
): GeneratedCondition {
  const inits = spec.initContainers ?? [];
  if (statuses === undefined && inits.length > 0)
    return condition('Initialized', 'False', REASONS.unknownContainerStatuses);
  const all = statuses ?? [];
  const index = byName(all);
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of inits) {
    const s = index.get(c.name);
    if (!s) unknown.push(c.name);
    else if (!isInitContainerInitialized(c, s)) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return condition('Initialized', 'True', REASONS.podCompleted);
  // An app container ran: the pod was initialized, whatever its native sidecars do since.
  if (hasAnyRegularContainerStarted(spec, all)) return condition('Initialized', 'True');
  const messages = [
    ...(unknown.length > 0 ? [`containers with unknown status: ${list(unknown)}`] : []),
    ...(incomplete.length > 0 ? [`containers with incomplete status: ${list(incomplete)}`] : []),
  ];
  if (messages.length > 0)
    return condition('Initialized', 'False', REASONS.containersNotInitialized, messages.join(', '));
  return condition('Initialized', 'True');
}

/** What the kubelet knows of a pod sandbox; for pod2sfn, the execution that hosts the containers. */
export interface Sandbox {
  readonly ready: boolean;
  readonly ip?: string;
}

/**
 * GeneratePodReadyToStartContainersCondition: True when no new sandbox is needed (runtimeutil
 * PodSandboxChanged: exactly one sandbox, ready, with an IP unless the pod uses the host network).
 */
export function generatePodReadyToStartContainersCondition(
  sandboxes: readonly Sandbox[],
  hostNetwork = false,
): GeneratedCondition {
  const first = sandboxes[0];
  const changed =
    first === undefined ||
    sandboxes.filter((s) => s.ready).length > 1 ||
    !first.ready ||
    (!hostNetwork && (first.ip ?? '') === '');
  return condition('PodReadyToStartContainers', changed ? 'False' : 'True');
}

/**
 * getPhase (ContainerRestartRules off, its default). `podIsTerminal`: the pod will not run again;
 * `podHasInitialized`: an app container has started (sidecars restarting do not make it Pending again).
 */
export function getPhase(
  spec: PodSpec,
  info: readonly ContainerStatus[],
  podIsTerminal: boolean,
  podHasInitialized: boolean,
): PodPhase {
  const index = byName(info);
  let pendingRestartableInit = 0;
  let pendingRegularInit = 0;
  let failedInitialization = 0;
  for (const c of spec.initContainers ?? []) {
    if (isRestartableInitContainer(c)) continue;
    const s = index.get(c.name);
    if (!s || s.state.running) pendingRegularInit++;
    else if (s.state.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInitialization++;
    } else if (s.state.waiting && s.lastState.terminated) {
      if (s.lastState.terminated.exitCode !== 0) failedInitialization++;
    } else pendingRegularInit++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.initContainers ?? []) {
    if (!isRestartableInitContainer(c)) continue;
    const s = index.get(c.name);
    if (!s) unknown++;
    else if (s.state.running) {
      if (s.started !== true) pendingRestartableInit++;
      running++;
    } else if (s.state.terminated) {
      // A stopped sidecar does not count towards the phase.
    } else if (s.state.waiting) {
      if (!s.lastState.terminated) {
        pendingRestartableInit++;
        waiting++;
      }
    } else {
      pendingRestartableInit++;
      unknown++;
    }
  }
  for (const c of spec.containers ?? []) {
    const s = index.get(c.name);
    if (!s) unknown++;
    else if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state.waiting) {
      if (s.lastState.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (failedInitialization > 0 && spec.restartPolicy === 'Never') return 'Failed';
  if (pendingRegularInit > 0 || (pendingRestartableInit > 0 && !podHasInitialized) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (spec.restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (spec.restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

/**
 * The prober manager's `started` and `ready` for a container without probes: started while it runs;
 * ready while it runs, except a regular init container, which is ready once it has exited 0.
 */
export function probed(state: ContainerState, regularInit: boolean): { ready: boolean; started: boolean } {
  const started = state.running !== undefined;
  if (regularInit) return { started, ready: state.terminated?.exitCode === 0 };
  return { started, ready: started };
}

/** convertToAPIContainerStatuses: a container not created yet waits as PodInitializing if there are init containers. */
export function defaultWaitingReason(spec: PodSpec): string {
  return (spec.initContainers ?? []).length > 0 ? REASONS.podInitializing : REASONS.containerCreating;
}
