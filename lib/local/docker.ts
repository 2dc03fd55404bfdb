import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnGroup, volumeNamed, type Running, type ValueSource } from '../runner/index.js';
import type { ContainerRuntime, RuntimeOptions } from './runtime.js';
import { VolumeDirs } from './volumes.js';

/** Whether a Docker engine answers (`docker info`). */
export function dockerAvailable(): boolean {
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

/**
 * Containers as real images under Docker. Volumes are host directories bind-mounted at their paths.
 * Env values reach `docker run` through its own environment (`-e NAME`), never its arguments,
 * where any user of the machine could read them.
 */
export async function dockerRuntime(
  values: ValueSource,
  namespace: string,
  execution: string,
  options: RuntimeOptions = {},
): Promise<ContainerRuntime> {
  const runDir = await mkdtemp(join(options.root ?? tmpdir(), 'pod2sfn-run-'));
  const volumes = new VolumeDirs(join(runDir, 'volumes'), values, namespace);
  let count = 0;

  return {
    name: 'docker',
    volumeDir: (volume) => volumes.dir(volume),
    async start(launch, output): Promise<Running> {
      const { container } = launch;
      const name = `pod2sfn-${execution}-${container.name}-${++count}`.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 120);
      const termination = join(runDir, `${name}.termination-log`);
      await writeFile(termination, '');
      // Every option is one `--flag=value` word, and `--` ends them before the image: no text from the
      // spec (an image `-v=/:/host`, an entrypoint `--privileged`) can be read as an option.
      const args = ['run', '--rm', `--name=${name}`, `--hostname=${launch.pod.name}`];
      args.push(`--volume=${termination}:${container.terminationMessagePath}`);
      for (const key of Object.keys(launch.env)) args.push(`--env=${key}`);
      for (const mount of container.mounts) {
        // A subPath is made, and refused if it leaves its volume, as on every other executor.
        const source = await volumes.path(volumeNamed(launch, mount.volume), mount.subPath);
        args.push(`--volume=${source}:${mount.mountPath}${mount.readOnly ? ':ro' : ''}`);
      }
      if (container.workingDir !== undefined) args.push(`--workdir=${container.workingDir}`);
      // Kubernetes' command replaces the image's entrypoint, args its cmd.
      const [entrypoint, ...rest] = container.command;
      if (entrypoint !== undefined) args.push(`--entrypoint=${entrypoint}`);
      args.push('--', container.image, ...rest, ...container.args);

      const running = spawnGroup(
        ['docker', ...args],
        { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...launch.env } },
        output,
      );
      const exited = running.exited.then(async (exit) => ({
        ...exit,
        terminationMessage: await readFile(termination, 'utf8').catch(() => ''),
      }));
      return {
        exited,
        async stop(grace) {
          // The engine, not the CLI, owns the container: ask it to stop, then stop waiting on the CLI.
          spawn('docker', ['stop', '-t', String(Math.ceil(grace)), name], { stdio: 'ignore' }).on(
            'error',
            () => undefined,
          );
          await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, (grace + 10) * 1000))]);
          await running.stop(0);
          return exited;
        },
      };
    },
    async close() {
      await volumes.close();
      await rm(runDir, { recursive: true, force: true });
    },
  };
}
