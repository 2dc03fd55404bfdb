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

// A container's numbers in the tree, one after the other: summed, but for the restart times (the latest).
const HOLDS = 0;
const READY = 1;
const RESTARTS = 2;
const LAST_RESTART = 3;
const SIDECAR_RESTARTS = 4;
const SIDECAR_LAST_RESTART = 5;
const FIELDS = 6;
const SUMMED = [HOLDS, READY, RESTARTS, SIDECAR_RESTARTS];
const LATEST = [LAST_RESTART, SIDECAR_LAST_RESTART];

/**
 * A segment tree over one list of containers: the first that holds STATUS (the init container the pod
 * waits for, the app container whose reason shows), and the Sums of any first k, each in O(log n).
 */
class ContainerTree {
  private readonly size: number;
  private readonly nodes: number[];

  constructor(count: number) {
    let size = 1;
    while (size < count) size *= 2;
    this.size = size;
    this.nodes = [];
    for (let p = 0; p < 2 * size; p++) this.nodes.push(0, 0, 0, -Infinity, 0, -Infinity);
  }

  /** A container's numbers now; false when they did not change. */
  put(index: number, holds: boolean, ready: boolean, status: ContainerStatus, sidecar: boolean): boolean {
    const restarts = status.restartCount ?? 0;
    const finishedAt = status.lastState?.terminated?.finishedAt;
    // The tracker writes every finishedAt with core-v1's timestamp(): a time Date.parse reads.
    const last = finishedAt === undefined ? -Infinity : Date.parse(finishedAt);
    const { nodes } = this;
    const at = (this.size + index) * FIELDS;
    if (
      nodes[at + HOLDS] === (holds ? 1 : 0) &&
      nodes[at + READY] === (ready ? 1 : 0) &&
      nodes[at + RESTARTS] === restarts &&
      nodes[at + LAST_RESTART] === last &&
      nodes[at + SIDECAR_RESTARTS] === (sidecar ? restarts : 0) &&
      nodes[at + SIDECAR_LAST_RESTART] === (sidecar ? last : -Infinity)
    )
      return false;
    nodes[at + HOLDS] = holds ? 1 : 0;
    nodes[at + READY] = ready ? 1 : 0;
    nodes[at + RESTARTS] = restarts;
    nodes[at + LAST_RESTART] = last;
    nodes[at + SIDECAR_RESTARTS] = sidecar ? restarts : 0;
    nodes[at + SIDECAR_LAST_RESTART] = sidecar ? last : -Infinity;
    return true;
  }

  /** Every node above the containers from theirs: O(n), once all were put. */
  build(): void {
    for (let p = this.size - 1; p >= 1; p--) this.pull(p);
  }

  /** The nodes above a container whose numbers changed: O(log n). */
  climb(index: number): void {
    for (let p = (this.size + index) >> 1; p >= 1; p >>= 1) this.pull(p);
  }

  private pull(p: number): void {
    const { nodes } = this;
    const [node, l, r] = [p * FIELDS, 2 * p * FIELDS, (2 * p + 1) * FIELDS];
    for (const field of SUMMED) nodes[node + field] = nodes[l + field]! + nodes[r + field]!;
    for (const field of LATEST) nodes[node + field] = Math.max(nodes[l + field]!, nodes[r + field]!);
  }

  /** The first container that holds STATUS; -1 for none. */
  firstHolding(): number {
    const { nodes } = this;
    if (nodes[FIELDS + HOLDS] === 0) return -1;
    let p = 1;
    while (p < this.size) p = nodes[2 * p * FIELDS + HOLDS]! > 0 ? 2 * p : 2 * p + 1;
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
    const at = p * FIELDS;
    const { nodes } = this;
    sums.ready += nodes[at + READY]!;
    sums.restarts += nodes[at + RESTARTS]!;
    sums.lastRestart = Math.max(sums.lastRestart, nodes[at + LAST_RESTART]!);
    sums.sidecarRestarts += nodes[at + SIDECAR_RESTARTS]!;
    sums.sidecarLastRestart = Math.max(sums.sidecarLastRestart, nodes[at + SIDECAR_LAST_RESTART]!);
  }
}

/**
 * printPod's cells of one pod, told each container status that changes (`set`); the pod itself
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
  private readonly initReasons: string[] = [];
  private readonly appReasons: string[] = [];
  /** Counts the `set`s that changed what the cells read of the containers. */
  changes = 0;

  /** The row of a pod with this spec whose containers have these statuses, in spec order. */
  constructor(spec: PodSpec, init: readonly ContainerStatus[], app: readonly ContainerStatus[]) {
    this.restartable = (spec.initContainers ?? []).map(isRestartableInitContainer);
    this.total = (spec.containers ?? []).length + this.restartable.filter(Boolean).length;
    this.init = new ContainerTree(init.length);
    this.app = new ContainerTree(app.length);
    init.forEach((status, slot) => this.put('init', slot, status));
    app.forEach((status, slot) => this.put('app', slot, status));
    this.init.build();
    this.app.build();
  }

  /** The status of an init container (`init`, at its place in the spec) or an app container, as it is now. */
  set(list: 'init' | 'app', slot: number, status: ContainerStatus): void {
    const reasons = list === 'init' ? this.initReasons : this.appReasons;
    const reason = reasons[slot];
    // Most changes (a start, a wait) move none of the numbers: nothing above the container changes then.
    if (this.put(list, slot, status)) {
      this[list].climb(slot);
      this.changes++;
    } else if (reasons[slot] !== reason) this.changes++;
  }

  private put(list: 'init' | 'app', slot: number, status: ContainerStatus): boolean {
    if (list === 'init') {
      const sidecar = this.restartable[slot]!;
      const cell = initContainerCell(status, sidecar, slot, this.restartable.length);
      this.initReasons[slot] = cell.passed ? '' : cell.reason;
      return this.init.put(slot, !cell.passed, cell.passed && cell.ready, status, sidecar);
    }
    const reason = appContainerReason(status);
    this.appReasons[slot] = reason ?? '';
    return this.app.put(slot, reason !== undefined, reason === undefined && runsReady(status), status, false);
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
