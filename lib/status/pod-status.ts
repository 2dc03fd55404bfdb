/**
 * PodEvents → Pod status (docs/design.md §2): one mapper for every runtime, built the way a kubelet
 * builds it (./kubelet.ts) and updated one event at a time, so that a watcher pays for each event
 * once, not for the whole history again. Pure and deterministic: the same events give the same status.
 */
import type { PodShape, StepShape } from '../model/pod-shape.js';
import type {
  ContainerState,
  ContainerStateTerminated,
  ContainerStatus,
  PodCondition,
  PodPhase,
  PodSpec,
  PodStatus as CorePodStatus,
  SpecContainer,
} from './core-v1.js';
import { timestamp } from './core-v1.js';
import type { PodEvent } from './events.js';
import {
  containersReadyCondition,
  countPhase,
  defaultWaitingReason,
  generatePodReadyToStartContainersCondition,
  hasContainerStarted,
  isInitContainerInitialized,
  isRestartableInitContainer,
  noPhaseCounts,
  phaseOf,
  podInitializedCondition,
  podReadyCondition,
  probed,
  REASONS,
  type GeneratedCondition,
  type PhaseRole,
} from './kubelet.js';
import { PodRow } from './pod-row.js';

export type {
  ContainerState,
  ContainerStateRunning,
  ContainerStateTerminated,
  ContainerStateWaiting,
  ContainerStatus,
  PodCondition,
} from './core-v1.js';
export { timestamp } from './core-v1.js';

/** The status the mapper writes: a core/v1 PodStatus with what it always fills. */
export interface PodStatus extends CorePodStatus {
  readonly phase: PodPhase;
  readonly conditions: readonly PodCondition[];
  readonly containerStatuses: readonly ContainerStatus[];
}

/** The kubelet's message for a pod past activeDeadlineSeconds (pkg/kubelet/active_deadline.go). */
export const DEADLINE_MESSAGE = 'Pod was active on the node longer than the specified deadline';

interface Tracked {
  readonly step: StepShape;
  /** What the kubelet rules read of it in the spec. */
  readonly spec: SpecContainer;
  /** Its place in the pod's containers (init, then app), and in its status list. */
  readonly index: number;
  readonly slot: number;
  state: ContainerState;
  lastState: ContainerState;
  restartCount: number;
  everStarted: boolean;
  /** Its ContainerStatus, built again only after an event changed it. */
  status?: ContainerStatus;
  /**
   * What it adds to the pod's counts, as last counted: an init container whose failure is ignored
   * is not one the phase and Initialized rules read.
   */
  counted?: { readonly ignored: boolean; readonly status: ContainerStatus };
}

/** Names of containers in spec order that a condition's message lists, counted as they change. */
class NameSet {
  private readonly members: boolean[];
  private size = 0;
  private names: readonly string[] | undefined = [];
  /** Counts the changes of the set: a condition generated from it is generated again only after one. */
  version = 0;

  constructor(private readonly all: readonly Tracked[]) {
    this.members = all.map(() => false);
  }

  get empty(): boolean {
    return this.size === 0;
  }

  set(c: Tracked, member: boolean): void {
    if (this.members[c.index] === member) return;
    this.members[c.index] = member;
    this.size += member ? 1 : -1;
    this.names = undefined;
    this.version++;
  }

  /** Listed again only after a member came or went: the message is as long as the list. */
  list(): readonly string[] {
    if (this.size === 0) return [];
    return (this.names ??= this.all.filter((c) => this.members[c.index]).map((c) => c.step.container.name));
  }
}

type Finished = Extract<PodEvent, { type: 'PodFinished' }>;

/** The spec the kubelet rules read, from what the status mapper knows of the pod. */
export function specOf(shape: PodShape): PodSpec {
  const restarts = shape.app.some((s) => s.restart !== undefined);
  return {
    // A deployed definition does not say Always from OnFailure: both restart a failed container.
    restartPolicy: shape.restartPolicy ?? (restarts ? 'OnFailure' : 'Never'),
    initContainers: shape.init.map((s) => ({
      name: s.container.name,
      image: s.container.image,
      ...(s.role === 'sidecar' && { restartPolicy: 'Always' }),
    })),
    containers: shape.app.map((s) => ({ name: s.container.name, image: s.container.image })),
  };
}

/**
 * The status of one pod, updated by `apply(event)` in time that does not grow with the events seen
 * before: only the containers an event changed get their status built again, and the phase and
 * conditions follow counts of what the kubelet rules read (./kubelet.ts), not a scan of every container.
 */
export class PodStatusTracker {
  readonly spec: PodSpec;
  private readonly tracked: Tracked[];
  private readonly byName = new Map<string, Tracked>();
  /** Init containers whose failurePolicy is Ignore: whether the rules read them depends on later containers. */
  private readonly ignorable: Tracked[];
  private readonly waitingReason: string;
  /** Each condition's status and when it took it (formatted once), kept at every event. */
  private readonly transitions = new Map<string, { readonly status: string; readonly time: string }>();
  /** Each condition as last returned: the same object while neither it nor its time changed. */
  private readonly returned = new Map<string, { generated: GeneratedCondition; condition: PodCondition }>();
  /**
   * The conditions without their messages (generated from whether each name list is empty): what a
   * transition and the row read, in time that does not grow with the pod's containers.
   */
  private outline: { readonly key: string; readonly conditions: readonly GeneratedCondition[] } | undefined;
  private generated: { readonly key: string; readonly conditions: readonly GeneratedCondition[] } | undefined;
  private readonly counts = noPhaseCounts();
  /** Regular init containers not done yet, sidecars not started: Initialized's message. */
  private readonly incomplete: NameSet;
  /** Sidecars and app containers not ready: ContainersReady's message. */
  private readonly unready: NameSet;
  /** App containers that exited 0 (restartPolicy Always: not restarted). */
  private readonly exitedZero: NameSet;
  private appStarted = 0;
  /** The last container (in spec order) that started in this pod: -1 for none. */
  private lastStarted = -1;
  private initStatuses: ContainerStatus[] = [];
  private appStatuses: ContainerStatus[] = [];
  /** The status lists the last status holds: changed on a copy, so that a status once returned stays as it was. */
  private published = { init: false, app: false };
  private startTime: Date | undefined;
  private startTimestamp: string | undefined;
  private finishedEvent: Finished | undefined;
  private deadline: Date | undefined;
  private deletionStamp: string | undefined;
  private replaced = 0;
  /** Built when read, from the state kept: events that nobody reads the status between cost no build. */
  private current: PodStatus | undefined;
  /** printPod's row, kept from its first read on: a status that is never printed costs nothing more. */
  private row: PodRow | undefined;
  /** Counts the events that changed what the row reads of the pod itself (see rowVersion). */
  private podChanges = 0;

  constructor(private readonly shape: PodShape) {
    this.spec = specOf(shape);
    this.waitingReason = defaultWaitingReason(this.spec);
    const specs = [...(this.spec.initContainers ?? []), ...(this.spec.containers ?? [])];
    this.tracked = [...shape.init, ...shape.app].map((step, index) => ({
      step,
      spec: specs[index]!,
      index,
      slot: index < shape.init.length ? index : index - shape.init.length,
      state: { waiting: { reason: this.waitingReason } },
      lastState: {},
      restartCount: 0,
      everStarted: false,
    }));
    for (const t of this.tracked) this.byName.set(t.step.container.name, t);
    this.ignorable = this.tracked.filter((c) => c.step.failurePolicy === 'Ignore');
    this.incomplete = new NameSet(this.tracked);
    this.unready = new NameSet(this.tracked);
    this.exitedZero = new NameSet(this.tracked);
    for (const c of this.tracked) this.refresh(c);
  }

  /** The status after every event applied so far. */
  get status(): PodStatus {
    return (this.current ??= this.build());
  }

  /** When the run began to be stopped (Ctrl-C, StopExecution): the Pod's deletionTimestamp. */
  get deletionTimestamp(): string | undefined {
    return this.deletionStamp;
  }

  get startedAt(): Date | undefined {
    return this.startTime;
  }

  get finished(): Finished | undefined {
    return this.finishedEvent;
  }

  /** Pods a Job replaced before this one (restartPolicy Never): each one failed. */
  get replacedPods(): number {
    return this.replaced;
  }

  /**
   * Changes whenever a cell of the row may have, but for AGE, which moves with the clock: a watcher
   * (`kubectl get pod -w`) needs the cells again only then. Counted from the row's first read on.
   */
  get rowVersion(): number {
    return this.podChanges + (this.row?.changes ?? 0);
  }

  /**
   * `kubectl get pod`'s cells for the pod (printPod of podObject), a new array each time: after the
   * first read, in time logarithmic in the pod's containers.
   */
  rowCells(now: Date): string[] {
    this.row ??= new PodRow(this.spec, this.initStatuses, this.appStatuses);
    const metadata = {
      name: this.shape.name,
      creationTimestamp: this.startTimestamp,
      deletionTimestamp: this.deletionStamp,
    };
    // What printPod reads of the status: the phase, the reason and the conditions' statuses.
    const { phase, reason } = this.phaseAndReason();
    const status = { phase, ...(reason && { reason }), conditions: this.outline?.conditions ?? [] };
    return this.row.cells({ metadata, spec: this.spec, status }, now);
  }

  apply(event: PodEvent): void {
    switch (event.type) {
      // The pod's own events change what the row reads of it (a container's: PodRow counts them).
      case 'PodStarted':
        this.podChanges++;
        if (!this.startTime) {
          this.startTime = event.at;
          this.startTimestamp = timestamp(event.at);
        }
        break;
      case 'PodStopping':
        this.podChanges++;
        if (event.reason === 'DeadlineExceeded') this.deadline ??= event.at;
        else this.deletionStamp ??= timestamp(event.at);
        this.refreshAll();
        break;
      case 'PodFinished':
        this.podChanges++;
        this.finishedEvent = event;
        this.refreshAll();
        break;
      default: {
        const c = this.byName.get(event.container);
        if (c) this.applyContainer(c, event);
      }
    }
    this.current = undefined;
    this.track(event.at);
  }

  /** Records when each condition's status changed: at this event, if it did (the status is built later). */
  private track(at: Date): void {
    if (!this.startTime) return; // a pod not scheduled yet has no conditions
    const { phase } = this.phaseAndReason();
    const key = this.conditionsKey(phase, (names) => names.empty);
    if (this.outline?.key === key) return;
    // Whether a name list is empty is all a condition's status reads of it.
    const some = (names: NameSet) => (names.empty ? [] : ['']);
    const conditions = this.generate(phase, some(this.incomplete), some(this.unready));
    this.outline = { key, conditions: conditions.map(({ message: _, ...c }) => c) };
    this.podChanges++;
    for (const c of conditions) {
      if (this.transitions.get(c.type)?.status !== c.status)
        this.transitions.set(c.type, { status: c.status, time: timestamp(at) });
    }
  }

  private applyContainer(
    c: Tracked,
    event: Exclude<PodEvent, { type: 'PodStarted' | 'PodStopping' | 'PodFinished' }>,
  ): void {
    if (event.type === 'ContainerStarted') {
      // A Job's pod under restartPolicy Never is replaced, not restarted: a container that ran
      // starts again only in a new pod. Every container starts over, and the one whose failure
      // replaced the pod counts it, so a Job past its backoffLimit shows restartCount = backoffLimit.
      if (this.shape.podRetry && c.everStarted) {
        this.replaced++;
        this.podChanges++;
        this.lastStarted = -1;
        for (const other of this.tracked) {
          if (other.state.terminated) {
            if (other.state.terminated.exitCode !== 0) other.restartCount++;
            other.lastState = { terminated: other.state.terminated };
          }
          other.state = { waiting: { reason: this.waitingReason } };
          other.everStarted = false;
          if (other !== c) this.refresh(other);
        }
      }
      if (c.state.terminated) c.lastState = { terminated: c.state.terminated };
      if (!this.shape.podRetry) c.restartCount = Math.max(c.restartCount, event.attempt);
      c.state = { running: { startedAt: timestamp(event.at) } };
      c.everStarted = true;
      this.lastStarted = Math.max(this.lastStarted, c.index);
    } else if (event.type === 'ContainerExited') {
      // A container killed because the pod is past its deadline ends for that reason, as a timed-out
      // Lambda does (./history.ts): the pod's STATUS stays DeadlineExceeded.
      const reason = event.reason ?? (this.deadline && event.exitCode !== 0 ? 'DeadlineExceeded' : undefined);
      c.state = { terminated: terminated({ ...event, ...(reason && { reason }) }, c.state.running?.startedAt) };
    } else if (
      event.message === undefined &&
      (event.reason === REASONS.podInitializing || event.reason === REASONS.containerCreating)
    ) {
      // Not created yet: the kubelet's default reason for the pod. A container that ran keeps
      // showing why it waits (CrashLoopBackOff) until it runs again.
      if (!c.everStarted && !c.lastState.terminated && !c.state.terminated)
        c.state = { waiting: { reason: this.waitingReason } };
    } else {
      if (c.state.terminated) c.lastState = { terminated: c.state.terminated };
      c.state = { waiting: { reason: event.reason, ...(event.message !== undefined && { message: event.message }) } };
    }
    this.refresh(c);
    // Whether a failure is ignored depends on this container and on which ran after it.
    for (const other of this.ignorable) if (other !== c) this.recount(other);
  }

  /** The pod's state changed for every container (ready once terminal): their statuses are built again. */
  private refreshAll(): void {
    for (const c of this.tracked) this.refresh(c);
  }

  /** Builds the status of a container an event changed, and puts it in its list and the pod's counts. */
  private refresh(c: Tracked): void {
    c.status = {
      name: c.step.container.name,
      image: c.step.container.image,
      imageID: '',
      ...probed(c.state, c.step.role === 'init'),
      // A pod that failed or completed serves nothing, whatever still runs (kubernetes#98718); an init
      // container that exited 0 stays ready, as the conformance test reads it.
      ...(this.terminal && c.step.role !== 'init' && { ready: false }),
      restartCount: c.restartCount,
      state: c.state,
      lastState: c.lastState,
    };
    const list = c.step.role === 'app' ? 'app' : 'init';
    if (this.published[list]) {
      this.published[list] = false;
      if (list === 'app') this.appStatuses = this.appStatuses.slice();
      else this.initStatuses = this.initStatuses.slice();
    }
    (list === 'app' ? this.appStatuses : this.initStatuses)[c.slot] = c.status;
    this.row?.set(list, c.slot, c.status);
    this.recount(c);
  }

  /**
   * Takes back what the container added to the pod's counts and adds what it adds now. Ignored: an
   * init container that failed for good under failurePolicy Ignore counts as done (docs/design.md §7);
   * a failure that will be retried is not ignored yet: the pod goes on once a later container runs.
   */
  private recount(c: Tracked): void {
    const { status } = c;
    const ignored =
      c.step.failurePolicy === 'Ignore' &&
      (c.state.terminated?.exitCode ?? 0) !== 0 &&
      (!c.step.restart || this.lastStarted > c.index);
    if (!status || (c.counted?.ignored === ignored && c.counted.status === status)) return;
    const role: PhaseRole = c.step.role === 'app' ? 'app' : isRestartableInitContainer(c.spec) ? 'sidecar' : 'init';
    if (c.counted && !c.counted.ignored) countPhase(this.counts, role, c.counted.status, -1);
    if (c.counted && role === 'app' && hasContainerStarted(c.counted.status)) this.appStarted--;
    c.counted = { ignored, status };
    if (!ignored) countPhase(this.counts, role, status);
    if (role === 'app' && hasContainerStarted(status)) this.appStarted++;
    this.incomplete.set(c, role !== 'app' && !ignored && !isInitContainerInitialized(c.spec, status));
    this.unready.set(c, role !== 'init' && !status.ready);
    this.exitedZero.set(c, role === 'app' && status.state.terminated?.exitCode === 0);
  }

  private phaseAndReason(): { readonly phase: PodPhase; readonly reason: string | undefined } {
    const finished = this.finishedEvent;
    const phase =
      finished?.phase ?? (this.deadline ? 'Failed' : phaseOf(this.spec, this.counts, false, this.appStarted > 0));
    return { phase, reason: finished ? finished.reason : this.deadline ? 'DeadlineExceeded' : undefined };
  }

  private build(): PodStatus {
    const finished = this.finishedEvent;
    const { phase, reason } = this.phaseAndReason();
    const message = finished
      ? (finished.message ?? this.notRestarted())
      : this.deadline
        ? DEADLINE_MESSAGE
        : this.notRestarted();
    const conditions = this.startTime ? this.conditions(phase) : [];
    this.published = { init: true, app: true };
    return {
      phase,
      ...(reason && { reason }),
      ...(message && { message }),
      conditions,
      ...(this.startTimestamp && { startTime: this.startTimestamp }),
      ...(this.initStatuses.length > 0 && { initContainerStatuses: this.initStatuses }),
      containerStatuses: this.appStatuses,
    };
  }

  /**
   * The pod's conditions, each generated again only when what it reads changed: their messages list
   * containers, so generating them costs as much as the pod has.
   */
  private conditions(phase: PodPhase): readonly PodCondition[] {
    const key = this.conditionsKey(phase, (names) => names.version);
    if (this.generated?.key !== key)
      this.generated = { key, conditions: this.generate(phase, this.incomplete.list(), this.unready.list()) };
    return this.generated.conditions.map((c) => this.transition(c));
  }

  /** What the conditions are generated from, with what is read of each name list (its emptiness, its version). */
  private conditionsKey(phase: PodPhase, of: (names: NameSet) => boolean | number): string {
    return [phase, this.appStarted > 0, this.finishedEvent !== undefined, of(this.incomplete), of(this.unready)].join();
  }

  /** The kubelet's conditions of the pod, whose messages list these containers. */
  private generate(
    phase: PodPhase,
    incomplete: readonly string[],
    unready: readonly string[],
  ): readonly GeneratedCondition[] {
    const containersReady = containersReadyCondition(phase, [], unready);
    return [
      generatePodReadyToStartContainersCondition(this.finishedEvent ? [] : [{ ready: true, ip: '127.0.0.1' }]),
      podInitializedCondition(phase, this.appStarted > 0, [], incomplete),
      podReadyCondition(this.spec, [], containersReady),
      containersReady,
      { type: 'PodScheduled', status: 'True' },
    ];
  }

  private get terminal(): boolean {
    return this.finishedEvent !== undefined || this.deadline !== undefined;
  }

  /** pod2sfn does not restart a container that exits 0 under restartPolicy Always (README, Known differences). */
  private notRestarted(): string | undefined {
    if (this.shape.restartPolicy !== 'Always') return undefined;
    const names = this.exitedZero.list();
    return names.length === 0
      ? undefined
      : `restartPolicy Always: pod2sfn does not restart a container that exits 0; not restarted: ${names.join(', ')}`;
  }

  /**
   * The condition with its lastTransitionTime: when its status last changed (recorded by `track` at that
   * event). The same object while neither changed.
   */
  private transition(c: GeneratedCondition): PodCondition {
    const time = this.transitions.get(c.type)!.time;
    const last = this.returned.get(c.type);
    if (last?.generated === c && last.condition.lastTransitionTime === time) return last.condition;
    const condition = { ...c, lastTransitionTime: time };
    this.returned.set(c.type, { generated: c, condition });
    return condition;
  }
}

/** A terminated state; `signal` when the exit code says a signal ended it (128 + n, as runtimes report). */
function terminated(
  event: Extract<PodEvent, { type: 'ContainerExited' }>,
  startedAt: string | undefined,
): ContainerStateTerminated {
  const signal =
    event.signal ?? (event.exitCode > 128 && event.exitCode <= 128 + 64 ? event.exitCode - 128 : undefined);
  return {
    exitCode: event.exitCode,
    ...(signal !== undefined && { signal }),
    reason: event.reason ?? (event.exitCode === 0 ? 'Completed' : 'Error'),
    ...(event.message !== undefined && { message: event.message }),
    ...(startedAt !== undefined && { startedAt }),
    finishedAt: timestamp(event.at),
  };
}

/** The status after `events`: a fold of PodStatusTracker. */
export function podStatus(shape: PodShape, events: readonly PodEvent[]): PodStatus {
  return trackEvents(shape, events).status;
}

/** A tracker that has applied `events`: the status, and what else it knows (the deletion timestamp). */
export function trackEvents(shape: PodShape, events: readonly PodEvent[]): PodStatusTracker {
  const tracker = new PodStatusTracker(shape);
  for (const event of events) tracker.apply(event);
  return tracker;
}
