/**
 * kubectl's table printers, ported: printPod and printJob of pkg/printers/internalversion/printers.go,
 * over core/v1 and batch/v1 objects — ours, or any `kubectl get pod -o json` returns.
 */
import type { ContainerStatus, Job, LabelSelector, Pod, PodCondition, SpecContainer } from './core-v1.js';
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
const conditionTrue = (conditions: readonly PodCondition[] | undefined, type: string) =>
  conditions?.find((c) => c.type === type)?.status === 'True';

/**
 * `kubectl get pod`'s row for one Pod: NAME READY STATUS RESTARTS AGE (printPod). STATUS is the pod's
 * reason or phase, then the first init container that has not succeeded, then the app containers,
 * last first; Terminating while a pod being stopped has not finished. RESTARTS counts regular init
 * containers only while the pod initializes.
 */
export function printPod(pod: Pod, now: Date = new Date(), options: PrintOptions = {}): TableRow {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const inits = spec.initContainers ?? [];
  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = (spec.containers ?? []).length;
  let readyContainers = 0;
  let lastRestartDate: string | undefined;
  let lastRestartableInitRestartDate: string | undefined;

  const phase = status.phase ?? '';
  let reason: string = status.reason ? status.reason : phase;
  for (const c of status.conditions ?? [])
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  const conditions =
    phase === 'Succeeded' ? POD_SUCCESS_CONDITIONS : phase === 'Failed' ? POD_FAILED_CONDITIONS : undefined;

  const { initSpecs, restartable } = initContainersOf(inits);
  totalContainers += restartable;

  let initializing = false;
  for (const [i, container] of (status.initContainerStatuses ?? []).entries()) {
    const state = container.state ?? {};
    const last = container.lastState?.terminated?.finishedAt;
    restarts += container.restartCount ?? 0;
    if (after(last, lastRestartDate)) lastRestartDate = last;
    const restartable = isRestartableInitContainer(initSpecs.get(container.name));
    if (restartable) {
      restartableInitRestarts += container.restartCount ?? 0;
      if (after(last, lastRestartableInitRestartDate)) lastRestartableInitRestartDate = last;
    }
    if (state.terminated && state.terminated.exitCode === 0) continue;
    if (restartable && container.started === true) {
      if (container.ready) readyContainers++;
      continue;
    }
    if (state.terminated) {
      const t = state.terminated;
      if (!t.reason) reason = t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
      else reason = `Init:${t.reason}`;
    } else if (state.waiting?.reason && state.waiting.reason !== 'PodInitializing')
      reason = `Init:${state.waiting.reason}`;
    else reason = `Init:${i}/${inits.length}`;
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(status.conditions, 'Initialized')) {
    restarts = restartableInitRestarts;
    lastRestartDate = lastRestartableInitRestartDate;
    let hasRunning = false;
    const statuses: readonly ContainerStatus[] = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i]!;
      const state = container.state ?? {};
      restarts += container.restartCount ?? 0;
      const last = container.lastState?.terminated?.finishedAt;
      if (after(last, lastRestartDate)) lastRestartDate = last;
      if (state.waiting?.reason) reason = state.waiting.reason;
      else if (state.terminated?.reason) reason = state.terminated.reason;
      else if (state.terminated) {
        reason = state.terminated.signal
          ? `Signal:${state.terminated.signal}`
          : `ExitCode:${state.terminated.exitCode}`;
      } else if (container.ready && state.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // Back to Running while a container still runs (NotReady when the pod is not Ready).
    if (reason === 'Completed' && hasRunning)
      reason = conditionTrue(status.conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = pod.metadata?.deletionTimestamp !== undefined;
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Failed' && phase !== 'Succeeded') reason = 'Terminating';

  const restartsCell =
    restarts !== 0 && lastRestartDate !== undefined
      ? `${restarts} (${translateTimestampSince(lastRestartDate, now)} ago)`
      : String(restarts);
  const cells = [
    pod.metadata?.name ?? '',
    `${readyContainers}/${totalContainers}`,
    reason,
    restartsCell,
    translateTimestampSince(pod.metadata?.creationTimestamp, now),
  ];
  if (options.wide) cells.push(...wideCells(pod));
  return { cells, ...(conditions && { conditions }) };
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
    const [name = '', ...rest] = cells;
    const padded = rest.map((cell, i) =>
      i === rest.length - 1 ? cell : cell.padEnd(Math.max(this.widths[i] ?? 0, cell.length + 3)),
    );
    return name.padEnd(this.nameWidth) + padded.join('');
  }
}
