import { randomUUID } from 'node:crypto';
import { prepareLaunch, runContainer, type Running, type RunnerEvent, type ValueSource } from '../runner/index.js';
import { dockerRuntime } from '../local/docker.js';
import { hostRuntime } from '../local/host.js';
import { localRuntimeFields, type ContainerRuntime, type RuntimeName } from '../local/runtime.js';
import type { VolumeStore } from '../volumes/store.js';
import type { ContainerHost } from './host.js';
import { startReaper } from './reaper.js';

export interface LocalHostOptions {
  readonly runtime: RuntimeName;
  readonly values: ValueSource;
  /** SIGTERM, then SIGKILL after this long, when a container must stop. */
  readonly graceSeconds: number;
  /** The agent's own disk (./work-dir.ts): each execution's directory is made under it. */
  readonly workDir: string;
  /** Where emptyDirs are handed over to the containers other workers run (docs/design.md §9). */
  readonly stores?: (bucket: string) => VolumeStore;
}

/**
 * The agent's containers on the local container runtime of `pod2sfn run`. Containers of one
 * execution share a runtime, so that their volumes (an emptyDir an init container fills) are shared
 * as in a pod; every runtime is closed when the agent stops. Containers die with the agent, also
 * when it is killed (./reaper.ts). What a container of another worker saved is restored into the
 * volume's directory before the command, and saved from it after (lib/runner/handoff.ts).
 */
export function localHost(options: LocalHostOptions): ContainerHost {
  const runtimes = new Map<string, Promise<ContainerRuntime>>();
  const sidecars = new Map<string, Running>();
  const reaper = startReaper();
  const runtimeFor = (event: RunnerEvent): Promise<ContainerRuntime> => {
    let runtime = runtimes.get(event.execution);
    if (!runtime) {
      runtime =
        options.runtime === 'docker'
          ? dockerRuntime(options.values, event.pod.namespace, event.execution, { root: options.workDir })
          : hostRuntime(options.values, event.pod.namespace, { root: options.workDir });
      runtimes.set(event.execution, runtime);
    }
    return runtime;
  };
  const runtimeFields = (event: RunnerEvent) => localRuntimeFields(event.execution);
  const output = (log: (line: string) => void) => (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line !== '') log(line);
  };

  return {
    async run(input, context) {
      const event = input as RunnerEvent;
      const runtime = await runtimeFor(event);
      const { stores } = options;
      const result = await runContainer(
        event,
        {
          values: options.values,
          start: runtime.start,
          output: output(context.log),
          runtimeFields: runtimeFields(event),
          ...(stores && runtime.volumeDir && { handoff: { store: stores, dir: runtime.volumeDir } }),
        },
        { signal: context.signal, graceSeconds: options.graceSeconds },
      );
      return { exitCode: result.exitCode, message: result.message };
    },
    async startSidecar(input, context) {
      const event = input as RunnerEvent;
      const runtime = await runtimeFor(event);
      const launch = await prepareLaunch(event, options.values, runtimeFields(event));
      const running = await runtime.start(launch, output(context.log));
      const handle = `${event.execution}/${launch.container.name}/${randomUUID()}`;
      sidecars.set(handle, running);
      return handle;
    },
    async stopSidecar(handle) {
      await sidecars.get(handle)?.stop(options.graceSeconds);
      sidecars.delete(handle);
    },
    async close() {
      await Promise.all([...sidecars.values()].map((s) => s.stop(options.graceSeconds)));
      sidecars.clear();
      await Promise.all([...runtimes.values()].map(async (r) => (await r).close()));
      runtimes.clear();
      reaper.close();
    },
  };
}
