import type { PodShape, StepShape } from '../model/pod-shape.js';
import type { PodEvent } from './events.js';

/** The shapes of `kubectl get pod -o yaml`'s status (core/v1 PodStatus), as far as pod2sfn fills them. */
export interface ContainerStateWaiting {
  readonly reason: string;
  readonly message?: string;
}
export interface ContainerStateRunning {
  readonly startedAt: string;
}
export interface ContainerStateTerminated {
  readonly exitCode: number;
  readonly reason: string;
  readonly message?: string;
  readonly startedAt?: string;
  readonly finishedAt: string;
}
export interface ContainerState {
  readonly waiting?: ContainerStateWaiting;
  readonly running?: ContainerStateRunning;
  readonly terminated?: ContainerStateTerminated;
}
export interface ContainerStatus {
  readonly name: string;
  readonly image: string;
  readonly imageID: string;
  readonly ready: boolean;
  readonly started: boolean;
  readonly restartCount: number;
  readonly state: ContainerState;
  readonly lastState: ContainerState;
  /** Native sidecars only. */
  readonly restartPolicy?: 'Always';
}
export interface PodCondition {
  readonly type: 'PodScheduled' | 'Initialized' | 'ContainersReady' | 'Ready';
  readonly status: 'True' | 'False';
  readonly lastTransitionTime: string;
  readonly reason?: string;
  readonly message?: string;
}
export interface PodStatus {
  readonly phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  readonly reason?: string;
  readonly message?: string;
  readonly conditions: readonly PodCondition[];
  readonly startTime?: string;
  readonly initContainerStatuses?: readonly ContainerStatus[];
  readonly containerStatuses: readonly ContainerStatus[];
}

/** Kubernetes timestamps: RFC 3339, whole seconds. */
export function timestamp(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

interface Tracked {
  state: ContainerState;
  lastState: ContainerState;
  restartCount: number;
  /** Ever started (a sidecar that is running counts as initialized). */
  everStarted: boolean;
}

/**
 * PodEvents → Pod status (docs/design.md §2): one mapper for every runtime. Pure: the same events give the
 * same status, so a status can be computed after any prefix of the stream (the live view does).
 */
export function podStatus(workflow: PodShape, events: readonly PodEvent[]): PodStatus {
  const tracked = new Map<string, Tracked>();
  for (const step of [...workflow.init, ...workflow.app]) {
    tracked.set(step.container.name, { state: { waiting: { reason: 'PodInitializing' } }, lastState: {}, restartCount: 0, everStarted: false });
  }
  let startTime: Date | undefined;
  let finished: Extract<PodEvent, { type: 'PodFinished' }> | undefined;
  const transitions = new Transitions();

  for (const event of events) {
    if (event.type === 'PodStarted') startTime = event.at;
    else if (event.type === 'PodFinished') finished = event;
    else {
      const c = tracked.get(event.container);
      if (!c) continue;
      if (event.type === 'ContainerStarted') {
        // A Job's pod under restartPolicy Never is replaced, not restarted: a container that ran
        // starts again only in a new pod. Every container starts over, and the one whose failure
        // replaced the pod counts it, so a Job past its backoffLimit shows restartCount = backoffLimit.
        if (workflow.podRetry && c.everStarted) {
          for (const other of tracked.values()) {
            if (other.state.terminated) {
              if (other.state.terminated.exitCode !== 0) other.restartCount++;
              other.lastState = { terminated: other.state.terminated };
            }
            other.state = { waiting: { reason: 'PodInitializing' } };
            other.everStarted = false;
          }
        }
        if (c.state.terminated) c.lastState = { terminated: c.state.terminated };
        if (!workflow.podRetry) c.restartCount = Math.max(c.restartCount, event.attempt);
        c.state = { running: { startedAt: timestamp(event.at) } };
        c.everStarted = true;
      } else if (event.type === 'ContainerExited') {
        const reason = event.reason ?? (event.exitCode === 0 ? 'Completed' : 'Error');
        c.state = {
          terminated: {
            exitCode: event.exitCode,
            reason,
            ...(event.message !== undefined && { message: event.message }),
            ...(c.state.running && { startedAt: c.state.running.startedAt }),
            finishedAt: timestamp(event.at),
          },
        };
      } else {
        if (c.state.terminated) c.lastState = { terminated: c.state.terminated };
        c.state = { waiting: { reason: event.reason, ...(event.message !== undefined && { message: event.message }) } };
      }
    }
    transitions.observe(conditionValues(workflow, tracked, finished), event.at);
  }

  const values = conditionValues(workflow, tracked, finished);
  const appStarted = workflow.app.some((s) => tracked.get(s.container.name)!.everStarted);
  const phase: PodStatus['phase'] = finished?.phase ?? (appStarted ? 'Running' : 'Pending');
  const status = (step: StepShape): ContainerStatus => {
    const c = tracked.get(step.container.name)!;
    const running = c.state.running !== undefined;
    return {
      name: step.container.name,
      image: step.container.image,
      imageID: '',
      ready: running,
      started: running,
      restartCount: c.restartCount,
      state: c.state,
      lastState: c.lastState,
      ...(step.role === 'sidecar' && { restartPolicy: 'Always' as const }),
    };
  };
  return {
    phase,
    ...(finished?.reason && { reason: finished.reason }),
    ...(finished?.message && { message: finished.message }),
    conditions: startTime === undefined ? [] : transitions.conditions(values),
    ...(startTime && { startTime: timestamp(startTime) }),
    ...(workflow.init.length > 0 && { initContainerStatuses: workflow.init.map(status) }),
    containerStatuses: workflow.app.map(status),
  };
}

interface ConditionValue {
  readonly status: 'True' | 'False';
  readonly reason?: string;
  readonly message?: string;
}
type ConditionValues = Record<PodCondition['type'], ConditionValue>;

function conditionValues(workflow: PodShape, tracked: Map<string, Tracked>, finished: { phase: string } | undefined): ConditionValues {
  const get = (s: StepShape) => tracked.get(s.container.name)!;
  const appStarted = workflow.app.some((s) => get(s).everStarted);
  // Initialized never goes back to False: once the app containers have started it stays True.
  const incomplete = appStarted
    ? []
    : workflow.init.filter((s) => (s.role === 'sidecar' ? !get(s).everStarted : !(get(s).state.terminated?.exitCode === 0 || ignoredFailure(s, get(s)))));
  const initialized: ConditionValue =
    incomplete.length === 0
      ? { status: 'True' }
      : { status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${incomplete.map((s) => s.container.name).join(' ')}]` };
  const all = [...workflow.init.filter((s) => s.role === 'sidecar'), ...workflow.app];
  const unready = all.filter((s) => get(s).state.running === undefined);
  const ready: ConditionValue =
    unready.length === 0
      ? { status: 'True' }
      : finished?.phase === 'Succeeded'
        ? { status: 'False', reason: 'PodCompleted' }
        : { status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${unready.map((s) => s.container.name).join(' ')}]` };
  return { PodScheduled: { status: 'True' }, Initialized: initialized, ContainersReady: ready, Ready: ready };
}

/** An init container with failurePolicy Ignore that failed for good lets the pod go on. */
function ignoredFailure(step: StepShape, c: Tracked): boolean {
  return step.failurePolicy === 'Ignore' && c.state.terminated !== undefined && c.state.terminated.exitCode !== 0;
}

/** Remembers when each condition last changed status. */
class Transitions {
  private readonly seen = new Map<string, { status: string; at: Date }>();

  observe(values: ConditionValues, at: Date): void {
    for (const [type, value] of Object.entries(values)) {
      const last = this.seen.get(type);
      if (!last || last.status !== value.status) this.seen.set(type, { status: value.status, at });
    }
  }

  conditions(values: ConditionValues): PodCondition[] {
    return (Object.keys(values) as Array<PodCondition['type']>).map((type) => ({
      type,
      ...values[type],
      lastTransitionTime: timestamp(this.seen.get(type)?.at ?? new Date()),
    }));
  }
}
