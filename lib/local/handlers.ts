import type { TaskBinding } from '../asl/emit.js';
import { containerTaskInput } from '../asl/task-input.js';
import type { LocalTask } from '../executors/contract.js';
import { LOCAL_HANDLERS } from '../executors/local.js';
import type { Step, Workflow } from '../model/workflow.js';
import {
  ContainerConfigError,
  ContainerNotStarted,
  type ContainerResult,
  type OutputSink,
  prepareLaunch,
  type RunnerDeps,
  type RunnerEvent,
  type Running,
  type RuntimeFields,
  type Starter,
  type ValueSource,
} from '../runner/index.js';
import { abortedError } from './aborted.js';
import type { TaskHandler } from './engine.js';
import type { Recorder } from './recorder.js';
import type { Restarts } from './restarts.js';
import { PREPARED_AHEAD, type ContainerRuntime } from './runtime.js';
import { Sidecars } from './sidecar.js';

export interface HandlerContext {
  readonly workflow: Workflow;
  readonly execution: string;
  readonly runtime: ContainerRuntime;
  readonly values: ValueSource;
  readonly runtimeFields: RuntimeFields;
  readonly recorder: Recorder;
  readonly restarts: Restarts;
  /** Aborted when the run stops (deadline, Ctrl-C): no container starts after that. */
  readonly signal: AbortSignal;
  /** Multiplies restart back-offs (`--backoff-scale`), the sidecars' as the Retry policies'. */
  readonly backoffScale: number;
  readonly output: (container: string) => OutputSink;
}

export interface Handlers {
  readonly handlers: Record<string, TaskHandler>;
  /** Stops every container still running (SIGTERM, SIGKILL after the grace period) and waits for them. */
  stopAll(graceSeconds: number): Promise<void>;
}

/**
 * One local handler per Task state of the definition (TaskBinding: state → step and action). The
 * handlers only run containers and record each attempt; retries, catches and order are the
 * engine's, read from the ASL. What a Task answers is its executor's (LOCAL_HANDLERS); native
 * sidecars are supervised by ./sidecar.ts.
 */
export function bindHandlers(tasks: readonly TaskBinding[], ctx: HandlerContext): Handlers {
  const steps = new Map([...ctx.workflow.init, ...ctx.workflow.app].map((s) => [s.id, s]));
  const live = new Set<Running>();
  let closing = false;
  const graceSeconds = ctx.workflow.terminationGracePeriodSeconds;

  const guard = () => {
    if (ctx.signal.aborted) throw abortedError();
  };
  const eventOf = (step: Step): RunnerEvent => ({
    ...containerTaskInput(ctx.workflow, step),
    execution: ctx.execution,
  });
  const nextInit = new Map(ctx.workflow.init.slice(1).map((next, i) => [ctx.workflow.init[i]!.id, next]));
  const started = new Set<string>();
  /**
   * The init containers after this one may have their sandboxes built while this one runs; not once one
   * has started (a sidecar restarting while the app containers run would have them built for nothing).
   */
  const prepareAfter = (step: Step) => {
    started.add(step.id);
    let next = nextInit.get(step.id);
    for (let n = 0; next && n < PREPARED_AHEAD; n++, next = nextInit.get(next.id)) {
      if (started.has(next.id) || !ctx.runtime.prepare || ctx.signal.aborted) return;
      const ahead = next;
      // What fails here fails again, and says why, at its start.
      ctx.runtime.prepare(ahead.container.name, async () =>
        prepareLaunch(eventOf(ahead), ctx.values, ctx.runtimeFields),
      );
    }
  };
  const starter =
    (step: Step): Starter =>
    async (launch, output) => {
      guard();
      const running = await ctx.runtime.start(launch, output);
      ctx.recorder.started(step.container.name);
      live.add(running);
      void running.exited.finally(() => live.delete(running));
      prepareAfter(step);
      return running;
    };
  const sidecars = new Sidecars({
    pod: ctx.workflow.name,
    recorder: ctx.recorder,
    backoffScale: ctx.backoffScale,
    graceSeconds,
    guard,
    stopping: () => closing || ctx.signal.aborted,
  });

  /** Runs the container once and records the attempt; a config error is a waiting container. */
  const attempt = async (step: Step, state: string, run: () => Promise<ContainerResult>): Promise<ContainerResult> => {
    const name = step.container.name;
    guard();
    let result: ContainerResult;
    try {
      result = await run();
    } catch (e) {
      if (e instanceof ContainerConfigError || e instanceof ContainerNotStarted) {
        ctx.recorder.waiting(name, 'CreateContainerConfigError', e.message);
        throw new ContainerNotStarted(e.message);
      }
      throw e;
    }
    ctx.recorder.exited(name, result.exitCode, result.message);
    guard();
    if (result.exitCode === 0) ctx.restarts.succeeded(state);
    else {
      const restart = ctx.restarts.failed(state);
      if (restart) {
        const wait = `${Number(restart.waitSeconds.toFixed(2))}s`;
        ctx.recorder.waiting(
          name,
          'CrashLoopBackOff',
          `back-off ${wait} restarting failed container=${name} pod=${ctx.workflow.name}`,
        );
      }
    }
    return result;
  };

  const localTask = (step: Step, state: string): LocalTask => ({
    step,
    taskArn: `arn:local:ecs:task/${ctx.execution}/${step.id}`,
    limits: { signal: ctx.signal, graceSeconds },
    deps: (): RunnerDeps => ({
      values: ctx.values,
      start: starter(step),
      output: ctx.output(step.container.name),
      runtimeFields: ctx.runtimeFields,
    }),
    event: () => eventOf(step),
    attempt: (run) => attempt(step, state, run),
  });

  const handlers: Record<string, TaskHandler> = {};
  for (const task of tasks) {
    const step = steps.get(task.stepId);
    if (!step) throw new Error(`task ${task.state}: no step ${task.stepId}`);
    const executor = LOCAL_HANDLERS[step.executor];
    if (task.action === 'run') {
      handlers[task.state] = executor.run(localTask(step, task.state));
      continue;
    }
    if (!executor.sidecar) throw new Error(`task ${task.state}: the ${step.executor} executor runs no sidecars`);
    handlers[task.state] =
      task.action === 'start'
        ? sidecars.startHandler(localTask(step, task.state), executor.sidecar)
        : sidecars.stopHandler(executor.sidecar);
  }
  return {
    handlers,
    async stopAll(grace) {
      closing = true;
      await Promise.all([...live].map((r) => r.stop(grace)));
      await sidecars.stopAll();
    },
  };
}
