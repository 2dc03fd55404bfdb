import type { LocalExecutor, LocalTask } from '../executors/contract.js';
import { backoffSeconds, CRASH_LOOP_BACKOFF } from '../model/backoff.js';
import { ContainerConfigError, ContainerNotStarted, prepareLaunch } from '../runner/index.js';
import type { Launch, Running } from '../runner/index.js';
import type { TaskHandler } from './engine.js';
import type { Recorder } from './recorder.js';

export interface SidecarContext {
  readonly pod: string;
  readonly recorder: Recorder;
  /** Multiplies the restart back-off (`--backoff-scale`), as it does the Retry policies'. */
  readonly backoffScale: number;
  readonly graceSeconds: number;
  /** Throws once the run was stopped. */
  readonly guard: () => void;
  /** True once the run stops: a sidecar that exits then is not started again. */
  readonly stopping: () => boolean;
}

type SidecarProtocol = NonNullable<LocalExecutor['sidecar']>;

interface Supervised {
  stop(): Promise<void>;
}

/**
 * The native sidecars of a local run. A start Task launches one and returns at once; from then on
 * it runs until its stop Task (or the end of the run): whenever it exits, whatever its exit code,
 * it is started again after the kubelet's back-off (restartPolicy Always), as Kubernetes does.
 */
export class Sidecars {
  private readonly supervised = new Map<string, Supervised>();

  constructor(private readonly ctx: SidecarContext) {}

  startHandler(task: LocalTask, protocol: SidecarProtocol): TaskHandler {
    return async () => {
      this.ctx.guard();
      const name = task.step.container.name;
      const deps = task.deps();
      let launch: Launch;
      let running: Running;
      try {
        launch = await prepareLaunch(task.event(), deps.values, deps.runtimeFields ?? {});
        running = await deps.start(launch, deps.output);
      } catch (e) {
        if (!(e instanceof ContainerConfigError)) throw e;
        this.ctx.recorder.waiting(name, 'CreateContainerConfigError', e.message);
        throw new ContainerNotStarted(e.message);
      }
      this.supervised.set(task.taskArn, this.supervise(task, launch, running));
      return protocol.started(task.taskArn);
    };
  }

  stopHandler(protocol: SidecarProtocol): TaskHandler {
    return async (input) => {
      await this.supervised.get(protocol.handleIn(input))?.stop();
      return {};
    };
  }

  /** Stops every sidecar still supervised and waits for them. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.supervised.values()].map((s) => s.stop()));
  }

  private supervise(task: LocalTask, launch: Launch, first: Running): Supervised {
    const { recorder } = this.ctx;
    const name = task.step.container.name;
    let current = first;
    let stopping = false;
    let wake = () => {};
    const over = () => stopping || this.ctx.stopping();
    const done = (async () => {
      for (let restarts = 0; ; restarts++) {
        const exit = await current.exited;
        recorder.exited(name, exit.exitCode, exit.terminationMessage ?? '');
        if (over()) return;
        const wait = backoffSeconds(CRASH_LOOP_BACKOFF, restarts) * this.ctx.backoffScale;
        const message = `back-off ${Number(wait.toFixed(2))}s restarting failed container=${name} pod=${this.ctx.pod}`;
        recorder.waiting(name, 'CrashLoopBackOff', message);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait * 1000);
          wake = () => (clearTimeout(timer), resolve());
        });
        if (over()) return;
        try {
          const deps = task.deps();
          current = await deps.start(launch, deps.output);
        } catch (e) {
          recorder.waiting(name, 'CreateContainerError', e instanceof Error ? e.message : String(e));
          return;
        }
      }
    })();
    return {
      stop: async () => {
        stopping = true;
        wake();
        await current.stop(this.ctx.graceSeconds);
        await done;
      },
    };
  }
}
