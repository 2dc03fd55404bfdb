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
  return containersReadyCondition(phase, unknown, unready);
}

/**
 * GenerateContainersReadyCondition's verdict from the names it found without a status and not
 * ready, in spec order (sidecars, then app containers).
 */
export function containersReadyCondition(
  phase: PodPhase | string | undefined,
  unknown: readonly string[],
  unready: readonly string[],
): GeneratedCondition {
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
  return podReadyCondition(spec, conditions, generateContainersReadyCondition(spec, statuses, phase));
}

/** GeneratePodReadyCondition from the ContainersReady condition already generated. */
export function podReadyCondition(
  spec: PodSpec,
  conditions: readonly Pick<PodCondition, 'type' | 'status'>[] | undefined,
  containersReady: GeneratedCondition,
): GeneratedCondition {
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
export function isInitContainerInitialized(container: SpecContainer, status: ContainerStatus): boolean {
  return isRestartableInitContainer(container) ? status.started === true : status.ready;
}

/** What HasAnyRegularContainerStarted asks of an app container's status: it is, or was, running. */
export function hasContainerStarted(status: ContainerStatus): boolean {
  return status.state.running !== undefined || status.state.terminated !== undefined;
}

/** kubecontainer.HasAnyRegularContainerStarted: an app container is, or was, running. */
export function hasAnyRegularContainerStarted(spec: PodSpec, statuses: readonly ContainerStatus[]): boolean {
  const names = new Set((spec.containers ?? []).map((c) => c.name));
  return statuses.some((s) => names.has(s.name) && hasContainerStarted(s));
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
  return podInitializedCondition(phase, hasAnyRegularContainerStarted(spec, all), unknown, incomplete);
}

/**
 * GeneratePodInitializedCondition's verdict from whether an app container started and the init
 * containers it found without a status and not initialized, in spec order.
 */
export function podInitializedCondition(
  phase: PodPhase | string | undefined,
  anyRegularContainerStarted: boolean,
  unknown: readonly string[],
  incomplete: readonly string[],
): GeneratedCondition {
  if (phase === 'Succeeded' && unknown.length === 0) return condition('Initialized', 'True', REASONS.podCompleted);
  // An app container ran: the pod was initialized, whatever its native sidecars do since.
  if (anyRegularContainerStarted) return condition('Initialized', 'True');
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

/** What getPhase counts over a pod's containers. */
export interface PhaseCounts {
  pendingRestartableInit: number;
  pendingRegularInit: number;
  failedInitialization: number;
  unknown: number;
  running: number;
  waiting: number;
  stopped: number;
  succeeded: number;
}

export function noPhaseCounts(): PhaseCounts {
  return {
    pendingRestartableInit: 0,
    pendingRegularInit: 0,
    failedInitialization: 0,
    unknown: 0,
    running: 0,
    waiting: 0,
    stopped: 0,
    succeeded: 0,
  };
}

/** The spec's role of a container, as getPhase reads it. */
export type PhaseRole = 'init' | 'sidecar' | 'app';

/**
 * Adds `by` (1, or -1 to take it back) to what getPhase counts for one container of `role` whose
 * status is `s` (undefined: none known), so that a pod's counts can follow one container's changes.
 */
export function countPhase(counts: PhaseCounts, role: PhaseRole, s: ContainerStatus | undefined, by = 1): void {
  if (role === 'init') {
    if (!s || s.state.running) counts.pendingRegularInit += by;
    else if (s.state.terminated) {
      if (s.state.terminated.exitCode !== 0) counts.failedInitialization += by;
    } else if (s.state.waiting && s.lastState.terminated) {
      if (s.lastState.terminated.exitCode !== 0) counts.failedInitialization += by;
    } else counts.pendingRegularInit += by;
  } else if (role === 'sidecar') {
    if (!s) counts.unknown += by;
    else if (s.state.running) {
      if (s.started !== true) counts.pendingRestartableInit += by;
      counts.running += by;
    } else if (s.state.terminated) {
      // A stopped sidecar does not count towards the phase.
    } else if (s.state.waiting) {
      if (!s.lastState.terminated) {
        counts.pendingRestartableInit += by;
        counts.waiting += by;
      }
    } else {
      counts.pendingRestartableInit += by;
      counts.unknown += by;
    }
  } else if (!s) counts.unknown += by;
  else if (s.state.running) counts.running += by;
  else if (s.state.terminated) {
    counts.stopped += by;
    if (s.state.terminated.exitCode === 0) counts.succeeded += by;
  } else if (s.state.waiting) {
    if (s.lastState.terminated) counts.stopped += by;
    else counts.waiting += by;
  } else counts.unknown += by;
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
  const counts = noPhaseCounts();
  for (const c of spec.initContainers ?? [])
    countPhase(counts, isRestartableInitContainer(c) ? 'sidecar' : 'init', index.get(c.name));
  for (const c of spec.containers ?? []) countPhase(counts, 'app', index.get(c.name));
  return phaseOf(spec, counts, podIsTerminal, podHasInitialized);
}

/** getPhase's verdict from its counts. */
export function phaseOf(
  spec: PodSpec,
  counts: PhaseCounts,
  podIsTerminal: boolean,
  podHasInitialized: boolean,
): PodPhase {
  const { pendingRestartableInit, pendingRegularInit, failedInitialization, unknown, running, waiting } = counts;
  const { stopped, succeeded } = counts;
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
