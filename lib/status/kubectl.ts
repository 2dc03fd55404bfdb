/**
 * kubectl's table printers, ported: printPod and printJob of pkg/printers/internalversion/printers.go,
 * over core/v1 and batch/v1 objects — ours, or any `kubectl get pod -o json` returns.
 */
import type { ContainerStatus, Job, LabelSelector, Pod, PodCondition, PodStatus, SpecContainer } from './core-v1.js';
import { humanDuration } from './duration.js';
import { isRestartableInitContainer } from './kubelet.js';

export interface TableRowCondition {
  readonly type: 'Completed';
  readonly status: 'True';
  readonly reason: string;
  readonly message: string;
}
/** One row of `kubectl get`: its cells in column order, and kubectl's row condition for a finished pod. */
export interface TableRow {
  readonly cells: readonly string[];
  readonly conditions?: readonly TableRowCondition[];
}
export interface PrintOptions {
  /** `-o wide`: IP, NODE, NOMINATED NODE, READINESS GATES (pods); CONTAINERS, IMAGES, SELECTOR (jobs). */
  readonly wide?: boolean;
}

export const POD_COLUMNS = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'] as const;
export const POD_WIDE_COLUMNS = [...POD_COLUMNS, 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'] as const;
export const JOB_COLUMNS = ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'] as const;

export const POD_SUCCESS_CONDITIONS: readonly TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
];
export const POD_FAILED_CONDITIONS: readonly TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
];

/** translateTimestampSince: how long ago, as kubectl prints AGE; `<unknown>` without a time. */
export function translateTimestampSince(time: string | undefined, now: Date): string {
  return time === undefined || time === '' ? '<unknown>' : humanDuration(now.getTime() - Date.parse(time));
}

/** translateTimestampUntil: how long until. */
export function translateTimestampUntil(time: string | undefined, now: Date): string {
  return time === undefined || time === '' ? '<unknown>' : humanDuration(Date.parse(time) - now.getTime());
}

const after = (a: string | undefined, b: string | undefined) =>
  a !== undefined && (b === undefined || Date.parse(a) > Date.parse(b));
/** The pod's condition of this type is True. */
export const conditionTrue = (conditions: readonly PodCondition[] | undefined, type: string) =>
  conditions?.find((c) => c.type === type)?.status === 'True';

/**
 * `kubectl get pod`'s row for one Pod: NAME READY STATUS RESTARTS AGE (printPod). STATUS is the pod's
 * reason or phase, then the first init container that has not succeeded, then the app containers,
 * last first; Terminating while a pod being stopped has not finished. RESTARTS counts regular init
 * containers only while the pod initializes. ./pod-row.ts keeps the same row container by container.
 */
export function printPod(pod: Pod, now: Date = new Date(), options: PrintOptions = {}): TableRow {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const inits = spec.initContainers ?? [];
  let restarts = 0;
  let restartableInitRestarts = 0;
  let readyContainers = 0;
  let lastRestartDate: string | undefined;
  let lastRestartableInitRestartDate: string | undefined;
  let reason = podReason(status);
  const { initSpecs, restartable: sidecars } = initContainersOf(inits);

  let initializing = false;
  for (const [i, container] of (status.initContainerStatuses ?? []).entries()) {
    const last = container.lastState?.terminated?.finishedAt;
    restarts += container.restartCount ?? 0;
    if (after(last, lastRestartDate)) lastRestartDate = last;
    const restartable = isRestartableInitContainer(initSpecs.get(container.name));
    if (restartable) {
      restartableInitRestarts += container.restartCount ?? 0;
      if (after(last, lastRestartableInitRestartDate)) lastRestartableInitRestartDate = last;
    }
    const cell = initContainerCell(container, restartable, i, inits.length);
    if (cell.passed) {
      if (cell.ready) readyContainers++;
      continue;
    }
    reason = cell.reason;
    initializing = true;
    break;
  }

  let hasRunning = false;
  if (!initializing || conditionTrue(status.conditions, 'Initialized')) {
    restarts = restartableInitRestarts;
    lastRestartDate = lastRestartableInitRestartDate;
    const statuses: readonly ContainerStatus[] = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i]!;
      restarts += container.restartCount ?? 0;
      const last = container.lastState?.terminated?.finishedAt;
      if (after(last, lastRestartDate)) lastRestartDate = last;
      const says = appContainerReason(container);
      if (says !== undefined) reason = says;
      else if (runsReady(container)) {
        hasRunning = true;
        readyContainers++;
      }
    }
  }

  const ago =
    restarts !== 0 && lastRestartDate !== undefined ? translateTimestampSince(lastRestartDate, now) : undefined;
  const parts = {
    ready: readyContainers,
    total: (spec.containers ?? []).length + sidecars,
    reason,
    hasRunning,
    restarts,
    ago,
  };
  const cells = podCells(pod, parts, translateTimestampSince(pod.metadata?.creationTimestamp, now));
  if (options.wide) cells.push(...wideCells(pod));
  return { cells, ...podConditions(status.phase) };
}

/** What printPod sums and finds over the containers: the rest of its row reads the pod alone. */
export interface PodRowParts {
  /** Ready app containers and started sidecars: READY's count. */
  readonly ready: number;
  /** App containers and native sidecars: what READY counts of. */
  readonly total: number;
  /** STATUS from the containers, before Running, NotReady and Terminating. */
  readonly reason: string;
  /** An app container runs ready: a Completed pod reads Running or NotReady. */
  readonly hasRunning: boolean;
  readonly restarts: number;
  /** How long ago the last restart was, when RESTARTS says it. */
  readonly ago: string | undefined;
}

/** The pod's reason or phase: STATUS before its containers have their say. */
export function podReason(status: PodStatus): string {
  let reason = status.reason ? status.reason : (status.phase ?? '');
  for (const c of status.conditions ?? [])
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  return reason;
}

/** An init container in printPod's loop: passed (exited 0, or a sidecar that started), or the STATUS it holds. */
export type InitContainerCell =
  { readonly passed: true; readonly ready: boolean } | { readonly passed: false; readonly reason: string };

const PASSED = { passed: true, ready: false } as const;
const PASSED_READY = { passed: true, ready: true } as const;

/** The init container at `index` of `count`, as printPod's loop reads it. */
export function initContainerCell(
  container: ContainerStatus,
  restartable: boolean,
  index: number,
  count: number,
): InitContainerCell {
  const state = container.state ?? {};
  if (state.terminated && state.terminated.exitCode === 0) return PASSED;
  if (restartable && container.started === true) return container.ready ? PASSED_READY : PASSED;
  let reason: string;
  if (state.terminated) {
    const t = state.terminated;
    if (!t.reason) reason = t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else reason = `Init:${t.reason}`;
  } else if (state.waiting?.reason && state.waiting.reason !== 'PodInitializing')
    reason = `Init:${state.waiting.reason}`;
  else reason = `Init:${index}/${count}`;
  return { passed: false, reason };
}

/** The STATUS an app container says (why it waits, how it ended); undefined while it runs or has no reason. */
export function appContainerReason(container: ContainerStatus): string | undefined {
  const state = container.state ?? {};
  if (state.waiting?.reason) return state.waiting.reason;
  if (state.terminated?.reason) return state.terminated.reason;
  if (state.terminated)
    return state.terminated.signal ? `Signal:${state.terminated.signal}` : `ExitCode:${state.terminated.exitCode}`;
  return undefined;
}

/** An app container READY counts, one that keeps a Completed pod Running (with no reason of its own). */
export function runsReady(container: ContainerStatus): boolean {
  return Boolean(container.ready && container.state?.running);
}

/** printPod's cells from what it found over the containers and AGE: Running or NotReady, Terminating, RESTARTS. */
export function podCells(pod: Pod, parts: PodRowParts, age: string): string[] {
  const status = pod.status ?? {};
  const phase = status.phase ?? '';
  let reason = parts.reason;
  // Back to Running while a container still runs (NotReady when the pod is not Ready).
  if (reason === 'Completed' && parts.hasRunning)
    reason = conditionTrue(status.conditions, 'Ready') ? 'Running' : 'NotReady';
  const deleting = pod.metadata?.deletionTimestamp !== undefined;
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Failed' && phase !== 'Succeeded') reason = 'Terminating';
  return [
    pod.metadata?.name ?? '',
    `${parts.ready}/${parts.total}`,
    reason,
    parts.ago === undefined ? String(parts.restarts) : `${parts.restarts} (${parts.ago} ago)`,
    age,
  ];
}

/** kubectl's row condition for a finished pod. */
function podConditions(phase: string | undefined): { conditions?: readonly TableRowCondition[] } {
  if (phase === 'Succeeded') return { conditions: POD_SUCCESS_CONDITIONS };
  if (phase === 'Failed') return { conditions: POD_FAILED_CONDITIONS };
  return {};
}

const initIndexes = new WeakMap<
  readonly SpecContainer[],
  { initSpecs: Map<string, SpecContainer>; restartable: number }
>();

/** The init containers by name, and how many are native sidecars; kept per spec, which a watch prints often. */
function initContainersOf(inits: readonly SpecContainer[]) {
  let index = initIndexes.get(inits);
  if (!index) {
    index = {
      initSpecs: new Map(inits.map((c) => [c.name, c])),
      restartable: inits.filter(isRestartableInitContainer).length,
    };
    initIndexes.set(inits, index);
  }
  return index;
}

function wideCells(pod: Pod): string[] {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const gates = spec.readinessGates ?? [];
  const trueGates = gates.filter(
    (g) => status.conditions?.find((c) => c.type === g.conditionType)?.status === 'True',
  ).length;
  return [
    status.podIPs?.[0]?.ip || '<none>',
    spec.nodeName || '<none>',
    status.nominatedNodeName || '<none>',
    gates.length > 0 ? `${trueGates}/${gates.length}` : '<none>',
  ];
}

export function printPodList(pods: readonly Pod[], now: Date = new Date(), options: PrintOptions = {}): TableRow[] {
  return pods.map((pod) => printPod(pod, now, options));
}

/** `kubectl get job`'s row: NAME STATUS COMPLETIONS DURATION AGE (printJob). */
export function printJob(job: Job, now: Date = new Date(), options: PrintOptions = {}): TableRow {
  const spec = job.spec ?? {};
  const status = job.status ?? {};
  const succeeded = status.succeeded ?? 0;
  let completions: string;
  if (spec.completions !== undefined) completions = `${succeeded}/${spec.completions}`;
  else completions = (spec.parallelism ?? 0) > 1 ? `${succeeded}/1 of ${spec.parallelism}` : `${succeeded}/1`;
  let duration = '';
  if (status.startTime !== undefined) {
    const end = status.completionTime === undefined ? now.getTime() : Date.parse(status.completionTime);
    duration = humanDuration(end - Date.parse(status.startTime));
  }
  const has = (type: string) => status.conditions?.find((c) => c.type === type)?.status === 'True';
  let jobStatus: string;
  if (has('Complete')) jobStatus = 'Complete';
  else if (has('Failed')) jobStatus = 'Failed';
  else if (job.metadata?.deletionTimestamp !== undefined) jobStatus = 'Terminating';
  else if (has('Suspended')) jobStatus = 'Suspended';
  else if (has('FailureTarget')) jobStatus = 'FailureTarget';
  else jobStatus = 'Running';
  const cells = [
    job.metadata?.name ?? '',
    jobStatus,
    completions,
    duration,
    translateTimestampSince(job.metadata?.creationTimestamp, now),
  ];
  if (options.wide) {
    const containers = spec.template?.spec?.containers ?? [];
    cells.push(
      containers.map((c) => c.name).join(','),
      containers.map((c) => c.image ?? '').join(','),
      formatLabelSelector(spec.selector),
    );
  }
  return { cells };
}

export function printJobList(jobs: readonly Job[], now: Date = new Date(), options: PrintOptions = {}): TableRow[] {
  return jobs.map((job) => printJob(job, now, options));
}

/** metav1.FormatLabelSelector: `k=v,k2 in (a,b)`, sorted by key; `<none>` when empty. */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  if (!selector) return '<none>';
  const terms: Array<[string, string]> = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => [k, `${k}=${v}`]);
  for (const e of selector.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text =
      e.operator === 'In'
        ? `${e.key} in (${values})`
        : e.operator === 'NotIn'
          ? `${e.key} notin (${values})`
          : e.operator === 'DoesNotExist'
            ? `!${e.key}`
            : e.key;
    terms.push([e.key, text]);
  }
  const text = terms
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, t]) => t)
    .join(',');
  return text === '' ? '<none>' : text;
}

/**
 * The lines of `kubectl get -w`: NAME as wide as the longest name, the other columns wide enough for
 * their usual values (a longer value widens its line only), the last one unpadded.
 */
/**
 * What a watcher compares of a row: its cells after NAME and before `end`, RESTARTS without its
 * "(5m ago)", since only AGE and that always move.
 */
export function watchKey(row: readonly string[], end: number): string {
  let key = '';
  for (let i = 1; i < end; i++) {
    const cell = row[i]!;
    key += `${i > 1 ? '|' : ''}${cell.endsWith(')') ? cell.replace(/ \(.*\)$/, '') : cell}`;
  }
  return key;
}

export class WatchTable {
  private readonly nameWidth: number;

  constructor(
    private readonly columns: readonly string[],
    private readonly widths: readonly number[],
    names: readonly string[],
  ) {
    this.nameWidth = Math.max(4, ...names.map((n) => n.length)) + 3;
  }

  static pods(names: readonly string[]): WatchTable {
    return new WatchTable(POD_COLUMNS, [8, 24, 15], names);
  }

  static jobs(names: readonly string[]): WatchTable {
    return new WatchTable(JOB_COLUMNS, [12, 14, 11], names);
  }

  header(): string {
    return this.line(this.columns);
  }

  line(cells: readonly string[]): string {
    let line = (cells[0] ?? '').padEnd(this.nameWidth);
    for (let i = 1; i < cells.length; i++) {
      const cell = cells[i]!;
      line += i === cells.length - 1 ? cell : cell.padEnd(Math.max(this.widths[i - 1] ?? 0, cell.length + 3));
    }
    return line;
  }
}
