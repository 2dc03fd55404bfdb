import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { spawnGroup, ContainerConfigError, type Running, type ValueSource } from '../runner/index.js';
import type { ContainerRuntime } from './runtime.js';
import { sandboxArgv, sandboxAvailable, type SandboxMount } from './sandbox.js';
import { VolumeDirs } from './volumes.js';

/**
 * Containers as processes on this machine, used when no container engine answers. The image is
 * not used: the command runs with the host's programs. Each container runs in a sandbox of
 * namespaces (./sandbox.ts) when the kernel allows it, so volumes appear at their mount paths;
 * without it, a container that mounts a volume cannot run and says so.
 */
export async function hostRuntime(values: ValueSource, namespace: string): Promise<ContainerRuntime> {
  const runDir = await mkdtemp(join(tmpdir(), 'pod2sfn-run-'));
  const volumes = new VolumeDirs(join(runDir, 'volumes'), values, namespace);
  const sandboxed = sandboxAvailable();
  let count = 0;

  return {
    name: 'host',
    async start(launch, output): Promise<Running> {
      const { container } = launch;
      if (container.command.length === 0) {
        throw new ContainerConfigError(`container ${container.name}: no command: the host runtime cannot read the image's entrypoint; set command, or use --runtime docker`);
      }
      const argv = [...container.command, ...container.args];
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/root', HOSTNAME: launch.pod.name, ...launch.env };
      if (!sandboxed) {
        if (container.mounts.length > 0) {
          throw new ContainerConfigError(`container ${container.name}: mounting volumes on the host needs Linux user namespaces (unshare); use --runtime docker`);
        }
        const cwd = container.workingDir ?? process.cwd();
        if (!existsSync(cwd)) throw new ContainerConfigError(`container ${container.name}: workingDir ${cwd} does not exist on this machine`);
        return spawnGroup(argv, { env, cwd }, output);
      }

      const dir = join(runDir, 'containers', `${++count}-${container.name}`);
      await mkdir(join(dir, 'root'), { recursive: true });
      await mkdir(join(dir, 'scratch'));
      const termination = join(dir, 'termination-log');
      await writeFile(termination, '');
      const mounts: SandboxMount[] = [];
      for (const mount of container.mounts) {
        const volume = launch.volumes.find((v) => v.name === mount.volume);
        if (!volume) throw new ContainerConfigError(`container ${container.name}: volume ${mount.volume} is not in the pod`);
        const source = join(await volumes.dir(volume), normalize(`/${mount.subPath ?? ''}`));
        if (mount.subPath !== undefined && !existsSync(source)) await mkdir(source, { recursive: true });
        mounts.push({ source, target: mount.mountPath, readOnly: mount.readOnly });
      }
      mounts.push({ source: termination, target: container.terminationMessagePath, readOnly: false });
      const running = spawnGroup(
        sandboxArgv({ root: join(dir, 'root'), scratch: join(dir, 'scratch'), workingDir: container.workingDir ?? '/', mounts, argv }),
        { env },
        output,
      );
      const exited = running.exited.then(async (exit) => ({ ...exit, terminationMessage: await readFile(termination, 'utf8').catch(() => '') }));
      return { exited, stop: async (grace) => (await running.stop(grace), exited) };
    },
    close: () => rm(runDir, { recursive: true, force: true }),
  };
}
