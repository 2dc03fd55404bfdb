import { boundMessage, logTail, MESSAGE_LIMITS, Tail } from './capture.js';
import type { RuntimeFields } from './env.js';
import type { HandoffDeps } from './handoff.js';
import { prepareLaunch } from './launch.js';
import type { Exit, Launch, OutputSink, RunnerEvent, Starter, ValueSource } from './types.js';

export interface RunnerDeps {
  readonly values: ValueSource;
  readonly start: Starter;
  /** Where output goes as it comes (CloudWatch through stdout on AWS; the `[name]` printer locally). */
  readonly output: OutputSink;
  readonly runtimeFields?: RuntimeFields;
  /**
   * How this worker hands emptyDirs over (docs/design.md §9). Absent where the containers of a run
   * share a disk (`pod2sfn run`): a task input's `handoff` is then ignored.
   */
  readonly handoff?: HandoffDeps;
}

export interface RunLimits {
  /** The container is killed after this long and reported as failed. */
  readonly timeoutMs?: number;
  /** Stops the container (SIGTERM, SIGKILL after `graceSeconds`). */
  readonly signal?: AbortSignal;
  readonly graceSeconds?: number;
}

export interface ContainerResult {
  readonly exitCode: number;
  /** The termination message, or the log tail under FallbackToLogsOnError when it failed. */
  readonly message: string;
  /** Set when the runner, not the container, ended it. */
  readonly reason?: 'DeadlineExceeded';
}

/**
 * Runs one container to its exit: env resolved, its volumes restored, output streamed and its tail
 * kept, message bounded, its volumes saved.
 */
export async function runContainer(
  event: RunnerEvent,
  deps: RunnerDeps,
  limits: RunLimits = {},
): Promise<ContainerResult> {
  const launch = await prepareLaunch(event, deps.values, deps.runtimeFields ?? {});
  const handoff = event.handoff && deps.handoff;
  if (!handoff) return runToExit(launch, deps, limits);
  // Loaded only where volumes are handed over: it brings node-tar (~18 ms of every `pod2sfn run` start).
  const { restoreVolumes, saveVolumes } = await import('./handoff.js');
  await restoreVolumes(event, handoff);
  const result = await runToExit(launch, deps, limits);
  // A container the runner killed at the Lambda's deadline leaves no time to save.
  if (result.reason === 'DeadlineExceeded') return result;
  const unsaved = await saveVolumes(event, handoff);
  return unsaved === undefined ? result : { exitCode: result.exitCode || 1, message: unsaved };
}

async function runToExit(launch: Launch, deps: RunnerDeps, limits: RunLimits): Promise<ContainerResult> {
  const { container } = launch;
  const tail = new Tail(MESSAGE_LIMITS.logBytes);
  const running = await deps.start(launch, (chunk, stream) => {
    tail.push(chunk);
    deps.output(chunk, stream);
  });

  const grace = limits.graceSeconds ?? 0;
  let timedOut = false;
  const timer =
    limits.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          void running.stop(0);
        }, limits.timeoutMs);
  const unsubscribe = limits.signal ? whenAborted(limits.signal, () => void running.stop(grace)) : () => {};
  let exit: Exit;
  try {
    exit = await running.exited;
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }

  if (timedOut) {
    const seconds = Math.round(limits.timeoutMs! / 1000);
    return {
      exitCode: exit.exitCode,
      message: `killed after ${seconds} s: the Lambda running it was about to time out`,
      reason: 'DeadlineExceeded',
    };
  }
  let message = boundMessage(exit.terminationMessage ?? '');
  if (message === '' && exit.exitCode !== 0 && container.terminationMessagePolicy === 'FallbackToLogsOnError')
    message = logTail(tail);
  return { exitCode: exit.exitCode, message };
}

const subscribers = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `fn` when `signal` aborts (at once if it has). Every container of a pod shares one signal:
 * they share one listener on it too, not one each (which Node reports as a leak past 10).
 */
function whenAborted(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) {
    fn();
    return () => {};
  }
  let set = subscribers.get(signal);
  if (!set) {
    const fns = new Set<() => void>();
    signal.addEventListener('abort', () => fns.forEach((f) => f()), { once: true });
    subscribers.set(signal, (set = fns));
  }
  set.add(fn);
  return () => set.delete(fn);
}
