import type { PodShape, StepShape } from '../model/pod-shape.js';
import type { PodEvent } from '../status/events.js';

/**
 * How a bar ended: each is drawn its own way (done, crit, active; a wait plainly). `stopped`: a
 * sidecar ended by the pod's end (SIGTERM, so exit 143 most often), which is no failure.
 */
export type BarOutcome = 'succeeded' | 'failed' | 'stopped' | 'running' | 'waiting';

/** A stretch of time on a container's lane: one attempt of the container, or a wait before one. */
export interface Bar {
  readonly kind: 'attempt' | 'wait';
  /** 1-based among the bars of the same kind on this lane. */
  readonly number: number;
  readonly start: Date;
  readonly end: Date;
  readonly outcome: BarOutcome;
  /** exit 1, OOMKilled, CrashLoopBackOff, ... */
  readonly label: string;
}

export interface Lane {
  readonly step: StepShape;
  readonly bars: readonly Bar[];
}

export interface PodBar {
  readonly start: Date;
  readonly end: Date;
  readonly phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  readonly reason?: string;
}

export interface Timeline {
  readonly pod?: PodBar;
  /** Init containers and sidecars in spec order, then the app containers; only those that did something. */
  readonly lanes: readonly Lane[];
}

type Open =
  | { readonly kind: 'attempt'; readonly start: Date }
  | { readonly kind: 'wait'; readonly start: Date; readonly reason: string };

/**
 * PodEvents → the bars of a timeline: every attempt of every container, and the waits between
 * them (CrashLoopBackOff, ContainerCreating, ...). Pure: `now` ends what is still going on.
 */
export function timeline(shape: PodShape, events: readonly PodEvent[], now: Date): Timeline {
  const steps = [...shape.init, ...shape.app];
  const lanes = new Map(steps.map((step) => [step.container.name, new LaneBuilder()]));
  let started: Date | undefined;
  let finished: Extract<PodEvent, { type: 'PodFinished' }> | undefined;
  let appStarted = false;
  const appNames = new Set(shape.app.map((s) => s.container.name));

  for (const event of events) {
    switch (event.type) {
      case 'PodStarted':
        started ??= event.at;
        break;
      case 'PodFinished':
        finished = event;
        break;
      // Stopping draws nothing of its own: the containers' exits that follow end their bars.
      case 'PodStopping':
        break;
      case 'ContainerStarted':
        lanes.get(event.container)?.started(event.at);
        if (appNames.has(event.container)) appStarted = true;
        break;
      case 'ContainerExited':
        lanes.get(event.container)?.exited(event.at, event.exitCode, event.reason);
        break;
      case 'ContainerWaiting':
        lanes.get(event.container)?.waiting(event.at, event.reason);
        break;
      default: {
        const unknown: never = event;
        throw new Error(`timeline: unknown event ${JSON.stringify(unknown)}`);
      }
    }
  }

  const end = finished?.at ?? now;
  for (const lane of lanes.values()) lane.close(end, finished?.phase);
  markStoppedSidecars(steps, lanes);
  const first = started ?? events[0]?.at;
  const phase = finished?.phase ?? (appStarted ? 'Running' : 'Pending');
  return {
    ...(first && { pod: { start: first, end, phase, ...(finished?.reason && { reason: finished.reason }) } }),
    lanes: steps
      .map((step) => ({ step, bars: lanes.get(step.container.name)!.bars }))
      .filter((lane) => lane.bars.length > 0),
  };
}

/**
 * A sidecar runs until the pod stops it: its last attempt, when other containers ran beside it and
 * it ended once they were all done, ended because the pod did, whatever its exit code.
 */
function markStoppedSidecars(steps: readonly StepShape[], lanes: Map<string, LaneBuilder>): void {
  const others = steps.filter((s) => s.role !== 'sidecar').map((s) => lanes.get(s.container.name)!.bars.at(-1));
  if (others.some((bar) => bar?.outcome === 'running')) return;
  const othersEnd = Math.max(0, ...others.map((bar) => bar?.end.getTime() ?? 0));
  for (const step of steps.filter((s) => s.role === 'sidecar')) {
    const bars = lanes.get(step.container.name)!.bars;
    const last = bars.at(-1);
    if (
      last?.kind === 'attempt' &&
      last.outcome === 'failed' &&
      last.end.getTime() >= othersEnd &&
      othersEnd > last.start.getTime()
    ) {
      bars[bars.length - 1] = { ...last, outcome: 'stopped', label: `${last.label} stopped` };
    }
  }
}

class LaneBuilder {
  readonly bars: Bar[] = [];
  private open: Open | undefined;
  private attempts = 0;
  private waits = 0;

  started(at: Date): void {
    // A second start with no exit between: the first attempt's end was never seen.
    if (this.open?.kind === 'attempt') this.endAttempt(at, 'failed', 'no exit seen');
    this.endWait(at);
    this.open = { kind: 'attempt', start: at };
  }

  exited(at: Date, exitCode: number, reason: string | undefined): void {
    // An exit with no start (a Task that timed out before it ran): a bar of no length, still an attempt.
    if (this.open?.kind !== 'attempt') {
      this.endWait(at);
      this.open = { kind: 'attempt', start: at };
    }
    const usual = exitCode === 0 ? 'Completed' : 'Error';
    const label = `exit ${exitCode}${reason !== undefined && reason !== usual ? ` ${reason}` : ''}`;
    this.endAttempt(at, exitCode === 0 ? 'succeeded' : 'failed', label);
  }

  waiting(at: Date, reason: string): void {
    // Waiting while running: the attempt was lost (its worker stopped answering, say).
    if (this.open?.kind === 'attempt') this.endAttempt(at, 'failed', reason);
    if (this.open?.kind === 'wait' && this.open.reason === reason) return;
    this.endWait(at);
    this.open = { kind: 'wait', start: at, reason };
  }

  /** The pod is over (phase given) or the timeline is drawn now: whatever is open ends at `at`. */
  close(at: Date, phase: 'Succeeded' | 'Failed' | undefined): void {
    if (this.open?.kind === 'attempt') {
      if (phase === undefined) this.endAttempt(at, 'running', 'running');
      else this.endAttempt(at, phase === 'Succeeded' ? 'succeeded' : 'failed', 'stopped');
    }
    this.endWait(at);
  }

  private endAttempt(at: Date, outcome: BarOutcome, label: string): void {
    const open = this.open!;
    this.bars.push({ kind: 'attempt', number: ++this.attempts, start: open.start, end: at, outcome, label });
    this.open = undefined;
  }

  /** A wait that took no time (Scheduled and Started in the same instant) draws nothing. */
  private endWait(at: Date): void {
    if (this.open?.kind !== 'wait') return;
    const { start, reason } = this.open;
    this.open = undefined;
    if (at.getTime() > start.getTime())
      this.bars.push({ kind: 'wait', number: ++this.waits, start, end: at, outcome: 'waiting', label: reason });
  }
}
