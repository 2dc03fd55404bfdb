import type { ContainerStatus, PodStatus } from './pod-status.js';

/**
 * The STATUS column of `kubectl get pods` (kubectl's printPod): the first init container that has
 * not succeeded decides it while the pod initializes, then the app containers, last first.
 */
export function kubectlStatus(status: PodStatus): string {
  let reason: string = status.reason ?? status.phase;
  const inits = status.initContainerStatuses ?? [];
  let initializing = false;
  for (const [i, c] of inits.entries()) {
    const { terminated, waiting } = c.state;
    if (terminated?.exitCode === 0) continue;
    if (c.restartPolicy === 'Always' && c.started) continue;
    if (terminated) reason = terminated.reason === '' ? `Init:ExitCode:${terminated.exitCode}` : `Init:${terminated.reason}`;
    else if (waiting && waiting.reason !== '' && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${inits.length}`;
    initializing = true;
    break;
  }
  const initialized = status.conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    let hasRunning = false;
    for (const c of [...status.containerStatuses].reverse()) {
      const { terminated, waiting, running } = c.state;
      if (waiting && waiting.reason !== '') reason = waiting.reason;
      else if (terminated) reason = terminated.reason === '' ? `ExitCode:${terminated.exitCode}` : terminated.reason;
      else if (running && c.ready) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }
  return reason;
}

/** READY: ready containers of those that count (app containers and native sidecars). */
export function kubectlReady(status: PodStatus): string {
  const counted: ContainerStatus[] = [...(status.initContainerStatuses ?? []).filter((c) => c.restartPolicy === 'Always'), ...status.containerStatuses];
  return `${counted.filter((c) => c.ready).length}/${counted.length}`;
}

/** RESTARTS: the sum over every container, with how long ago the last one was, as kubectl prints it. */
export function kubectlRestarts(status: PodStatus, now: Date): string {
  const all = [...(status.initContainerStatuses ?? []), ...status.containerStatuses];
  const total = all.reduce((n, c) => n + c.restartCount, 0);
  const last = all
    .filter((c) => c.restartCount > 0)
    .map((c) => c.lastState.terminated?.finishedAt)
    .filter((t): t is string => t !== undefined)
    .sort()
    .at(-1);
  return last === undefined ? String(total) : `${total} (${humanDuration(now.getTime() - Date.parse(last))} ago)`;
}

/** kubectl's HumanDuration, for AGE and RESTARTS. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  return h < 48 ? (m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`) : `${Math.floor(h / 24)}d`;
}

const COLUMNS = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'] as const;
const WIDTHS = { READY: 8, STATUS: 24, RESTARTS: 15 } as const;

/** The header of `kubectl get pod -w`, sized for this pod's name. */
export function watchHeader(name: string): string {
  return row(name, COLUMNS);
}

/** One line of `kubectl get pod -w`: NAME READY STATUS RESTARTS AGE. */
export function watchLine(name: string, status: PodStatus, now: Date): string {
  const age = status.startTime === undefined ? '0s' : humanDuration(now.getTime() - Date.parse(status.startTime));
  return row(name, [name, kubectlReady(status), kubectlStatus(status), kubectlRestarts(status, now), age]);
}

function row(name: string, cells: readonly string[]): string {
  const nameWidth = Math.max(name.length, 4) + 3;
  const [n, ready, status, restarts, age] = cells;
  return `${n!.padEnd(nameWidth)}${ready!.padEnd(WIDTHS.READY)}${status!.padEnd(Math.max(WIDTHS.STATUS, status!.length + 3))}${restarts!.padEnd(WIDTHS.RESTARTS)}${age}`;
}
