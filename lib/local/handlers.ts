import type { TaskBinding } from '../asl/emit.js';
import { encodeContainer } from '../asl/task-input.js';
import { backoffSeconds, CRASH_LOOP_BACKOFF } from '../model/backoff.js';
import type { Step, Workflow } from '../model/workflow.js';
import { prepareLaunch, type RuntimeFields, ContainerFailed, ContainerNotStarted, createHandler, type RunnerResult, runContainer, type ContainerResult, type RunnerDeps, ContainerConfigError, type Launch, type OutputSink, type Running, type RunnerEvent, type Starter, type ValueSource } from '../runner/index.js';
import type { TaskHandler } from './engine.js';
import type { Recorder } from './recorder.js';
import type { Restarts } from './restarts.js';
import type { ContainerRuntime } from './runtime.js';

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
 * engine's, read from the ASL. Lambda Tasks go through the container-runner Lambda's own handler;
 * ECS and activity Tasks answer as those services do, from the container runtime.
 */
export function bindHandlers(tasks: readonly TaskBinding[], ctx: HandlerContext): Handlers {
  const steps = new Map([...ctx.workflow.init, ...ctx.workflow.app].map((s) => [s.id, s]));
  const live = new Set<Running>();
  const sidecars = new Map<string, { stop(): Promise<void>; done: Promise<void> }>();
  let closing = false;
  const grace = ctx.workflow.terminationGracePeriodSeconds;

  const guard = () => {
    // The engine replays pending retries after an abort (docs/design.md §4): refuse them, uncatchably.
    if (ctx.signal.aborted) throw Object.assign(new Error('the run was stopped'), { name: 'Pod2sfn.Aborted', isRetryable: false, isCatchable: false });
  };
  const starter = (name: string): Starter => async (launch, output) => {
    guard();
    const running = await ctx.runtime.start(launch, output);
    ctx.recorder.started(name);
    live.add(running);
    void running.exited.finally(() => live.delete(running));
    return running;
  };
  const deps = (step: Step): RunnerDeps => ({
    values: ctx.values,
    start: starter(step.container.name),
    output: ctx.output(step.container.name),
    runtimeFields: ctx.runtimeFields,
  });
  const eventFor = (step: Step): RunnerEvent => {
    const mounted = new Set(step.container.mounts.map((m) => m.volume));
    return {
      pod: { name: ctx.workflow.name, namespace: ctx.workflow.namespace },
      container: encodeContainer(step.container),
      volumes: ctx.workflow.volumes.filter((v) => mounted.has(v.name)),
      execution: ctx.execution,
    };
  };

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
        ctx.recorder.waiting(name, 'CrashLoopBackOff', `back-off ${wait} restarting failed container=${name} pod=${ctx.workflow.name}`);
      }
    }
    return result;
  };

  const run = (step: Step, state: string): TaskHandler => {
    const runOptions = { signal: ctx.signal, graceSeconds: grace };
    switch (step.executor) {
      case 'lambda': {
        const lambda = createHandler(deps(step), runOptions);
        return async (input) => {
          const payload = (input as { Payload: RunnerEvent }).Payload;
          const until = Date.now() + step.lambda.timeoutSeconds * 1000;
          let answer: RunnerResult | undefined;
          let failure: ContainerFailed | undefined;
          await attempt(step, state, async () => {
            try {
              answer = await lambda(payload, { getRemainingTimeInMillis: () => until - Date.now() });
              return answer;
            } catch (e) {
              if (!(e instanceof ContainerFailed)) throw e;
              failure = e;
              return e.failure;
            }
          }).catch((e: Error) => {
            throw e.name.startsWith('Pod2sfn.') && e.name !== 'Pod2sfn.Aborted' ? asLambdaError(e) : e;
          });
          if (failure) throw asLambdaError(failure);
          // The engine does not wrap a Lambda's result the way Step Functions does.
          return { Payload: answer, StatusCode: 200 };
        };
      }
      case 'ecs':
        return async () => {
          const result = await attempt(step, state, () => runContainer(eventFor(step), deps(step), runOptions));
          // As runTask.sync answers: the ASL checks the exit code itself.
          return { TaskArn: `arn:local:ecs:task/${ctx.execution}/${step.id}`, Containers: [{ Name: step.container.name, ExitCode: result.exitCode }] };
        };
      case 'activity':
        return async (input) => {
          const result = await attempt(step, state, () => runContainer(input as RunnerEvent, deps(step), runOptions));
          if (result.exitCode !== 0) throw new ContainerFailed({ container: step.container.name, exitCode: result.exitCode, message: result.message });
          return { exitCode: 0, message: result.message };
        };
    }
  };

  const startSidecar = (step: Step): TaskHandler => async () => {
    guard();
    const name = step.container.name;
    let launch: Launch;
    let running: Running;
    try {
      launch = await prepareLaunch(eventFor(step), ctx.values, ctx.runtimeFields);
      running = await starter(name)(launch, ctx.output(name));
    } catch (e) {
      if (!(e instanceof ContainerConfigError)) throw e;
      ctx.recorder.waiting(name, 'CreateContainerConfigError', e.message);
      throw new ContainerNotStarted(e.message);
    }
    const handle = `arn:local:ecs:task/${ctx.execution}/${step.id}`;
    sidecars.set(handle, supervise(name, launch, running));
    return step.executor === 'ecs' ? { Tasks: [{ TaskArn: handle }] } : { handle };
  };

  /**
   * A native sidecar runs until it is stopped: whenever it exits, whatever its exit code, it is
   * started again after the kubelet's back-off (restartPolicy Always), as Kubernetes does.
   */
  const supervise = (name: string, launch: Launch, first: Running): { stop(): Promise<void>; done: Promise<void> } => {
    let current = first;
    let stopping = false;
    let wake = () => {};
    const over = () => stopping || closing || ctx.signal.aborted;
    const done = (async () => {
      for (let restarts = 0; ; restarts++) {
        const exit = await current.exited;
        ctx.recorder.exited(name, exit.exitCode, exit.terminationMessage ?? '');
        if (over()) return;
        const wait = backoffSeconds(CRASH_LOOP_BACKOFF, restarts) * ctx.backoffScale;
        ctx.recorder.waiting(name, 'CrashLoopBackOff', `back-off ${Number(wait.toFixed(2))}s restarting failed container=${name} pod=${ctx.workflow.name}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait * 1000);
          wake = () => (clearTimeout(timer), resolve());
        });
        if (over()) return;
        try {
          current = await starter(name)(launch, ctx.output(name));
        } catch (e) {
          ctx.recorder.waiting(name, 'CreateContainerError', e instanceof Error ? e.message : String(e));
          return;
        }
      }
    })();
    return {
      done,
      async stop() {
        stopping = true;
        wake();
        await current.stop(grace);
        await done;
      },
    };
  };

  const stopSidecar = (step: Step): TaskHandler => async (input) => {
    const handle = step.executor === 'ecs' ? (input as { Task: string }).Task : (input as { handle: string }).handle;
    await sidecars.get(handle)?.stop();
    return {};
  };

  const handlers: Record<string, TaskHandler> = {};
  for (const task of tasks) {
    const step = steps.get(task.stepId);
    if (!step) throw new Error(`task ${task.state}: no step ${task.stepId}`);
    handlers[task.state] = task.action === 'run' ? run(step, task.state) : task.action === 'start' ? startSidecar(step) : stopSidecar(step);
  }
  return {
    handlers,
    async stopAll(graceSeconds) {
      closing = true;
      await Promise.all([...live].map((r) => r.stop(graceSeconds)));
      await Promise.all([...sidecars.values()].map((s) => s.stop()));
    },
  };
}

/**
 * What Step Functions records when a Lambda throws: the error's name, with a Cause that wraps its
 * message ({errorType, errorMessage, trace}). The ASL unwraps it (lib/asl/emit.ts), so it must be
 * wrapped here too.
 */
function asLambdaError(e: Error): Error {
  return Object.assign(new Error(JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: [] })), { name: e.name });
}
