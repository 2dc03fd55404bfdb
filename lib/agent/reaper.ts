import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Containers die with the agent, SIGKILL included. Each container leads a process group of its own
 * (lib/runner/spawn.ts), which would outlive a killed agent. A watchdog process holds the read end
 * of a pipe from the agent; at EOF — the agent is gone, whichever way — it kills every process group
 * the agent last listed. The agent lists its children that lead a group (from /proc) as they come
 * and go. Linux only; elsewhere it does nothing. The host sandbox may also tie containers to their
 * parent (bwrap --die-with-parent): the two agree.
 */
const WATCHDOG = String.raw`trap '' INT TERM HUP
groups=""
while IFS= read -r line; do groups="$line"; done
for g in $groups; do kill -9 "-$g" 2>/dev/null; done`;

const SCAN_MS = 200;

export interface Reaper {
  close(): void;
}

export function startReaper(): Reaper {
  if (process.platform !== 'linux') return { close: () => undefined };
  const watchdog = spawn('sh', ['-c', WATCHDOG], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  watchdog.on('error', () => undefined);
  watchdog.stdin!.on('error', () => undefined);
  watchdog.unref();
  (watchdog.stdin as unknown as { unref(): void }).unref();
  let listed = '';
  const scan = () => {
    const groups = groupLeadersAmongChildren(watchdog.pid).join(' ');
    if (groups === listed) return;
    listed = groups;
    watchdog.stdin!.write(`${groups}\n`);
  };
  const timer = setInterval(scan, SCAN_MS);
  timer.unref();
  return {
    close() {
      clearInterval(timer);
      // Everything has been stopped by now: an empty list, so that a reused group id is never hit.
      watchdog.stdin!.end('\n');
    },
  };
}

/** Children of this process that lead their own process group (detached spawns), but the watchdog. */
function groupLeadersAmongChildren(except: number | undefined): number[] {
  return childrenOf(process.pid)
    .filter((pid) => pid !== except && groupOf(pid) === pid)
    .sort((a, b) => a - b);
}

/** From /proc/<pid>/task/<tid>/children (one file per thread; Linux 3.5+ with CONFIG_PROC_CHILDREN). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      out.push(...readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

function groupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so read after the last ')'.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}
