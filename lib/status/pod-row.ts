/**
 * printPod's row (./kubectl.ts) of a pod whose container statuses change one at a time, as
 * PodStatusTracker changes them: what the row sums or finds over the containers is kept in a tree,
 * so that a row after a change costs O(log n) in the pod's containers, not a walk of all of them
 * (docs/design.md §7).
 */
import type { ContainerStatus, Pod, PodSpec } from './core-v1.js';
import { humanDuration } from './duration.js';
import { isRestartableInitContainer } from './kubelet.js';
import {
  appContainerReason,
  conditionTrue,
  initContainerCell,
  podCells,
  podReason,
  readyOf,
  runsReady,
  type PodRowParts,
} from './kubectl.js';

/** What printPod adds up over a run of containers; a restart time in ms since the epoch, -Infinity for none. */
interface Sums {
  ready: number;
  restarts: number;
  lastRestart: number;
  sidecarRestarts: number;
  sidecarLastRestart: number;
}

/**
 * A segment tree over one list of containers: the first that holds STATUS (the init container the pod
 * waits for, the app container whose reason shows), and the Sums of any first k, each in O(log n).
 */
class ContainerTree {
  private readonly size: number;
  private readonly holds: Int32Array;
  private readonly ready: Int32Array;
  private readonly restarts: Float64Array;
  private readonly lastRestart: Float64Array;
  private readonly sidecarRestarts: Float64Array;
  private readonly sidecarLastRestart: Float64Array;

  constructor(count: number) {
    let size = 1;
    while (size < count) size *= 2;
    this.size = size;
    this.holds = new Int32Array(2 * size);
    this.ready = new Int32Array(2 * size);
    this.restarts = new Float64Array(2 * size);
    this.sidecarRestarts = new Float64Array(2 * size);
    this.lastRestart = new Float64Array(2 * size).fill(-Infinity);
    this.sidecarLastRestart = new Float64Array(2 * size).fill(-Infinity);
  }

  set(index: number, holds: boolean, ready: boolean, status: ContainerStatus, sidecar: boolean): void {
    let p = this.size + index;
    const restarts = status.restartCount ?? 0;
    const finishedAt = status.lastState?.terminated?.finishedAt;
    // The tracker writes every finishedAt with core-v1's timestamp(): a time Date.parse reads.
    const last = finishedAt === undefined ? -Infinity : Date.parse(finishedAt);
    this.holds[p] = holds ? 1 : 0;
    this.ready[p] = ready ? 1 : 0;
    this.restarts[p] = restarts;
    this.lastRestart[p] = last;
    this.sidecarRestarts[p] = sidecar ? restarts : 0;
    this.sidecarLastRestart[p] = sidecar ? last : -Infinity;
    for (p >>= 1; p >= 1; p >>= 1) {
      const [l, r] = [2 * p, 2 * p + 1];
      this.holds[p] = this.holds[l]! + this.holds[r]!;
      this.ready[p] = this.ready[l]! + this.ready[r]!;
      this.restarts[p] = this.restarts[l]! + this.restarts[r]!;
      this.lastRestart[p] = Math.max(this.lastRestart[l]!, this.lastRestart[r]!);
      this.sidecarRestarts[p] = this.sidecarRestarts[l]! + this.sidecarRestarts[r]!;
      this.sidecarLastRestart[p] = Math.max(this.sidecarLastRestart[l]!, this.sidecarLastRestart[r]!);
    }
  }

  /** The first container that holds STATUS; -1 for none. */
  firstHolding(): number {
    if (this.holds[1] === 0) return -1;
    let p = 1;
    while (p < this.size) p = this.holds[2 * p]! > 0 ? 2 * p : 2 * p + 1;
    return p - this.size;
  }

  /** The Sums of the first `count` containers. */
  sums(count: number = this.size): Sums {
    const sums: Sums = {
      ready: 0,
      restarts: 0,
      lastRestart: -Infinity,
      sidecarRestarts: 0,
      sidecarLastRestart: -Infinity,
    };
    for (let l = this.size, r = this.size + count; l < r; l >>= 1, r >>= 1) {
      if (l & 1) this.add(sums, l++);
      if (r & 1) this.add(sums, --r);
    }
    return sums;
  }

  private add(sums: Sums, p: number): void {
    sums.ready += this.ready[p]!;
    sums.restarts += this.restarts[p]!;
    sums.lastRestart = Math.max(sums.lastRestart, this.lastRestart[p]!);
    sums.sidecarRestarts += this.sidecarRestarts[p]!;
    sums.sidecarLastRestart = Math.max(sums.sidecarLastRestart, this.sidecarLastRestart[p]!);
  }
}

/**
 * printPod's cells of one pod, told each container status that changed (`set`); the pod itself
 * (phase, conditions, timestamps) is read when the cells are. The same cells printPod gives.
 */
export class PodRow {
  private readonly restartable: readonly boolean[];
  private readonly total: number;
  private readonly init: ContainerTree;
  private readonly app: ContainerTree;
  /** The creation time AGE counts from, parsed once. */
  private created: { readonly time: string | undefined; readonly ms: number } = { time: undefined, ms: NaN };
  /** The STATUS each container holds ('' for none). */
  private readonly initReasons: string[];
  private readonly appReasons: string[];

  constructor(spec: PodSpec) {
    this.restartable = (spec.initContainers ?? []).map(isRestartableInitContainer);
    this.total = readyOf(spec);
    this.init = new ContainerTree(this.restartable.length);
    this.app = new ContainerTree((spec.containers ?? []).length);
    this.initReasons = this.restartable.map(() => '');
    this.appReasons = (spec.containers ?? []).map(() => '');
  }

  /** The status of an init container (`init`, at its place in the spec) or an app container, as it is now. */
  set(list: 'init' | 'app', slot: number, status: ContainerStatus): void {
    if (list === 'init') {
      const sidecar = this.restartable[slot]!;
      const cell = initContainerCell(status, sidecar, slot, this.restartable.length);
      this.initReasons[slot] = cell.passed ? '' : cell.reason;
      this.init.set(slot, !cell.passed, cell.passed && cell.ready, status, sidecar);
    } else {
      const reason = appContainerReason(status);
      this.appReasons[slot] = reason ?? '';
      this.app.set(slot, reason !== undefined, reason === undefined && runsReady(status), status, false);
    }
  }

  /** printPod(pod).cells, for the pod whose containers are the ones set. */
  cells(pod: Pod, now: Date): string[] {
    const status = pod.status ?? {};
    // As printPod's loop: the init containers up to the first that holds the pod, if one does.
    const holding = this.init.firstHolding();
    const inits = holding < 0 ? this.init.sums() : this.init.sums(holding + 1);
    let reason = holding < 0 ? podReason(status) : this.initReasons[holding]!;
    let { ready, restarts, lastRestart } = inits;
    let hasRunning = false;
    if (holding < 0 || conditionTrue(status.conditions, 'Initialized')) {
      const app = this.app.sums();
      const shown = this.app.firstHolding();
      if (shown >= 0) reason = this.appReasons[shown]!;
      ready += app.ready;
      hasRunning = app.ready > 0;
      restarts = inits.sidecarRestarts + app.restarts;
      lastRestart = Math.max(inits.sidecarLastRestart, app.lastRestart);
    }
    const ago = restarts !== 0 && lastRestart > -Infinity ? humanDuration(now.getTime() - lastRestart) : undefined;
    const parts: PodRowParts = { ready, total: this.total, reason, hasRunning, restarts, ago };
    return podCells(pod, parts, this.since(pod.metadata?.creationTimestamp, now));
  }

  /** translateTimestampSince, without parsing the same time at every row. */
  private since(time: string | undefined, now: Date): string {
    if (time === undefined || time === '') return '<unknown>';
    if (time !== this.created.time) this.created = { time, ms: Date.parse(time) };
    return humanDuration(now.getTime() - this.created.ms);
  }
}
