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
} from './core-v1.js';
import { timestamp } from './core-v1.js';
import type { PodEvent } from './events.js';
import {
  defaultWaitingReason,
  generateContainersReadyCondition,
  generatePodInitializedCondition,
  generatePodReadyCondition,
  generatePodReadyToStartContainersCondition,
  getPhase,
  hasAnyRegularContainerStarted,
  probed,
  REASONS,
  type GeneratedCondition,
} from './kubelet.js';

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
  state: ContainerState;
  lastState: ContainerState;
  restartCount: number;
  everStarted: boolean;
  /** Its ContainerStatus, built again only after an event changed it. */
  status?: ContainerStatus;
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
 * The status of one pod, updated by `apply(event)` in time proportional to its containers, never to
 * the events seen before.
 */
export class PodStatusTracker {
  readonly spec: PodSpec;
  private readonly tracked: Tracked[];
  private readonly byName = new Map<string, Tracked>();
  private readonly waitingReason: string;
  private readonly transitions = new Map<string, { status: string; at: Date }>();
  private startTime: Date | undefined;
  private finishedEvent: Finished | undefined;
  private deadline: Date | undefined;
  private deletion: Date | undefined;
  private replaced = 0;
  private current: PodStatus;

  constructor(private readonly shape: PodShape) {
    this.spec = specOf(shape);
    this.waitingReason = defaultWaitingReason(this.spec);
    this.tracked = [...shape.init, ...shape.app].map((step) => ({
      step,
      state: { waiting: { reason: this.waitingReason } },
      lastState: {},
      restartCount: 0,
      everStarted: false,
    }));
    for (const t of this.tracked) this.byName.set(t.step.container.name, t);
    this.current = this.build();
  }

  /** The status after every event applied so far. */
  get status(): PodStatus {
    return this.current;
  }

  /** When the run began to be stopped (Ctrl-C, StopExecution): the Pod's deletionTimestamp. */
  get deletionTimestamp(): string | undefined {
    return this.deletion && timestamp(this.deletion);
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

  apply(event: PodEvent): PodStatus {
    switch (event.type) {
      case 'PodStarted':
        this.startTime ??= event.at;
        break;
      case 'PodStopping':
        if (event.reason === 'DeadlineExceeded') this.deadline ??= event.at;
        else this.deletion ??= event.at;
        this.forgetStatuses();
        break;
      case 'PodFinished':
        this.finishedEvent = event;
        this.forgetStatuses();
        break;
      default: {
        const c = this.byName.get(event.container);
        if (c) this.applyContainer(c, event);
      }
    }
    this.current = this.build(event.at);
    return this.current;
  }

  private applyContainer(
    c: Tracked,
    event: Exclude<PodEvent, { type: 'PodStarted' | 'PodStopping' | 'PodFinished' }>,
  ): void {
    delete c.status;
    if (event.type === 'ContainerStarted') {
      // A Job's pod under restartPolicy Never is replaced, not restarted: a container that ran
      // starts again only in a new pod. Every container starts over, and the one whose failure
      // replaced the pod counts it, so a Job past its backoffLimit shows restartCount = backoffLimit.
      if (this.shape.podRetry && c.everStarted) {
        this.replaced++;
        for (const other of this.tracked) {
          if (other.state.terminated) {
            if (other.state.terminated.exitCode !== 0) other.restartCount++;
            other.lastState = { terminated: other.state.terminated };
          }
          other.state = { waiting: { reason: this.waitingReason } };
          other.everStarted = false;
          delete other.status;
        }
      }
      if (c.state.terminated) c.lastState = { terminated: c.state.terminated };
      if (!this.shape.podRetry) c.restartCount = Math.max(c.restartCount, event.attempt);
      c.state = { running: { startedAt: timestamp(event.at) } };
      c.everStarted = true;
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
  }

  private build(at?: Date): PodStatus {
    const status = (c: Tracked): ContainerStatus =>
      (c.status ??= {
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
      });
    const init = this.tracked.filter((c) => c.step.role !== 'app').map(status);
    const app = this.tracked.filter((c) => c.step.role === 'app').map(status);
    const all = [...init, ...app];
    const rules = this.rulesSpec();
    const finished = this.finishedEvent;
    const phase =
      finished?.phase ??
      (this.deadline ? 'Failed' : getPhase(rules, all, false, hasAnyRegularContainerStarted(rules, all)));
    const reason = finished ? finished.reason : this.deadline ? 'DeadlineExceeded' : undefined;
    const message = finished
      ? (finished.message ?? this.notRestarted())
      : this.deadline
        ? DEADLINE_MESSAGE
        : this.notRestarted();
    let conditions: PodCondition[] = [];
    if (this.startTime) {
      const generated: GeneratedCondition[] = [
        generatePodReadyToStartContainersCondition(finished ? [] : [{ ready: true, ip: '127.0.0.1' }]),
        generatePodInitializedCondition(rules, all, phase),
        generatePodReadyCondition(rules, [], all, phase),
        generateContainersReadyCondition(rules, all, phase),
        { type: 'PodScheduled', status: 'True' },
      ];
      conditions = generated.map((c) => ({ ...c, lastTransitionTime: this.transition(c, at ?? this.startTime!) }));
    }
    return {
      phase,
      ...(reason && { reason }),
      ...(message && { message }),
      conditions,
      ...(this.startTime && { startTime: timestamp(this.startTime) }),
      ...(init.length > 0 && { initContainerStatuses: init }),
      containerStatuses: app,
    };
  }

  private get terminal(): boolean {
    return this.finishedEvent !== undefined || this.deadline !== undefined;
  }

  /** The pod's state changed for every container: their statuses are built again. */
  private forgetStatuses(): void {
    for (const c of this.tracked) delete c.status;
  }

  /** The spec the phase and Initialized rules see: an init container whose failure is ignored counts as done. */
  private rulesSpec(): PodSpec {
    const ignored = new Set<string>();
    this.tracked.forEach((c, i) => {
      if (c.step.failurePolicy !== 'Ignore' || (c.state.terminated?.exitCode ?? 0) === 0) return;
      // A failure that will be retried is not ignored yet: the pod goes on once a later container runs.
      if (!c.step.restart || this.tracked.slice(i + 1).some((o) => o.everStarted)) ignored.add(c.step.container.name);
    });
    if (ignored.size === 0) return this.spec;
    return { ...this.spec, initContainers: (this.spec.initContainers ?? []).filter((c) => !ignored.has(c.name)) };
  }

  /** pod2sfn does not restart a container that exits 0 under restartPolicy Always (README, Known differences). */
  private notRestarted(): string | undefined {
    if (this.shape.restartPolicy !== 'Always') return undefined;
    const names = this.tracked
      .filter((c) => c.step.role === 'app' && c.state.terminated?.exitCode === 0)
      .map((c) => c.step.container.name);
    return names.length === 0
      ? undefined
      : `restartPolicy Always: pod2sfn does not restart a container that exits 0; not restarted: ${names.join(', ')}`;
  }

  private transition(c: GeneratedCondition, at: Date): string {
    const last = this.transitions.get(c.type);
    if (!last || last.status !== c.status) {
      this.transitions.set(c.type, { status: c.status, at });
      return timestamp(at);
    }
    return timestamp(last.at);
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
  const tracker = new PodStatusTracker(shape);
  for (const event of events) tracker.apply(event);
  return tracker.status;
}
