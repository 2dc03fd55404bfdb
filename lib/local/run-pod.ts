import type { Emitted } from '../asl/emit.js';
import type { Workflow } from '../model/workflow.js';
import type { OutputSink, ValueSource } from '../runner/index.js';
import type { PodEvent } from '../status/events.js';
import { finishedEvent, type RunEnding } from '../status/outcome.js';
import { localDefinition, MAX_TIMER_SECONDS } from './definition.js';
import { startExecution } from './engine.js';
import { bindHandlers } from './handlers.js';
import { Recorder } from './recorder.js';
import { Restarts } from './restarts.js';
import { localRuntimeFields, type ContainerRuntime } from './runtime.js';

export interface LocalRunOptions {
  readonly runtime: ContainerRuntime;
  readonly values: ValueSource;
  /** Multiplies every Retry wait (1: the real CrashLoopBackOff, 10 s doubling to 300 s). */
  readonly backoffScale: number;
  /** Aborted on Ctrl-C or SIGTERM: containers are stopped and the run ends. */
  readonly interrupt: AbortSignal;
  readonly output: (container: string) => OutputSink;
  readonly onEvent: (event: PodEvent) => void;
  readonly execution: string;
}

export interface LocalRunResult {
  readonly events: readonly PodEvent[];
  readonly phase: 'Succeeded' | 'Failed';
  readonly interrupted: boolean;
}

type StopReason = 'DeadlineExceeded' | 'Interrupted';

/**
 * Runs the exact definition `synth` prints on the embedded engine, with local Task handlers, and
 * returns what happened as PodEvents. The deadline (the machine's TimeoutSeconds) is enforced here:
 * the engine's own timeout would leave containers running.
 */
export async function runPod(
  compiled: Emitted & { workflow: Workflow },
  options: LocalRunOptions,
): Promise<LocalRunResult> {
  const { workflow } = compiled;
  const recorder = new Recorder();
  recorder.onEvent(options.onEvent);
  recorder.emit({ type: 'PodStarted', at: new Date() });

  const local = localDefinition(compiled.definition, options.backoffScale);
  const controller = new AbortController();
  const bound = bindHandlers(compiled.tasks, {
    workflow,
    execution: options.execution,
    runtime: options.runtime,
    values: options.values,
    runtimeFields: localRuntimeFields(options.execution),
    recorder,
    restarts: new Restarts(local.definition),
    signal: controller.signal,
    backoffScale: options.backoffScale,
    output: options.output,
  });
  const execution = startExecution(local.definition, bound.handlers, options.execution);

  let stopReason: StopReason | undefined;
  let stopped: Promise<void> = Promise.resolve();
  const stop = (reason: StopReason) => {
    if (stopReason) return;
    stopReason = reason;
    recorder.emit({ type: 'PodStopping', at: new Date(), reason });
    controller.abort();
    stopped = bound.stopAll(workflow.terminationGracePeriodSeconds).finally(() => execution.abort());
  };
  const onInterrupt = () => stop('Interrupted');
  options.interrupt.addEventListener('abort', onInterrupt, { once: true });
  if (options.interrupt.aborted) onInterrupt();
  const deadline =
    local.deadlineSeconds === undefined
      ? undefined
      : setTimeout(() => stop('DeadlineExceeded'), Math.min(local.deadlineSeconds, MAX_TIMER_SECONDS) * 1000);

  let outcome;
  try {
    outcome = await execution.outcome;
    await stopped;
  } finally {
    clearTimeout(deadline);
    options.interrupt.removeEventListener('abort', onInterrupt);
    // Whatever the way out, nothing keeps running (a sidecar the engine never reached to stop).
    await bound.stopAll(stopReason ? 0 : workflow.terminationGracePeriodSeconds);
  }

  const ending: RunEnding =
    stopReason === 'DeadlineExceeded'
      ? { status: 'timedOut' }
      : stopReason === 'Interrupted'
        ? { status: 'aborted', message: 'the run was interrupted' }
        : outcome.status === 'succeeded'
          ? { status: 'succeeded' }
          : outcome.status === 'failed'
            ? { status: 'failed', error: outcome.error, cause: outcome.cause }
            : { status: 'aborted', message: 'the run was stopped' };
  recorder.emit(finishedEvent(workflow, ending, new Date()));
  const phase = ending.status === 'succeeded' ? 'Succeeded' : 'Failed';
  return { events: recorder.events, phase, interrupted: stopReason === 'Interrupted' };
}
