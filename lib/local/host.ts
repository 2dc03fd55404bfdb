import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { spawnGroup, ContainerConfigError, type Running, type ValueSource } from '../runner/index.js';
import type { ContainerRuntime, RuntimeOptions } from './runtime.js';
import { sandboxArgv, sandboxAvailable, type SandboxMount } from './sandbox.js';
import { VolumeDirs } from './volumes.js';

export interface HostRuntimeOptions extends RuntimeOptions {
  /** Where the one warning goes when bwrap is missing (default: stderr, once per process). */
  readonly warn?: (message: string) => void;
}

export const NO_SANDBOX_WARNING =
  'warning: bwrap (bubblewrap) is not installed or cannot create namespaces here: containers run as plain ' +
  'processes, without their volumes, and are not stopped if pod2sfn is killed; install it (apt-get install bubblewrap)';

let warned = false;
const warnOnce = (message: string) => {
  if (!warned) process.stderr.write(`pod2sfn: ${message}\n`);
  warned = true;
};

/**
 * Containers as processes on this machine, used when no container engine answers. The image is
 * not used: the command runs with the host's programs. Each container runs in a bwrap sandbox
 * (./sandbox.ts), so volumes appear at their mount paths and the container dies with the run;
 * without bwrap, a container that mounts a volume cannot run and says so.
 *
 * The run's directory (volumes, termination logs, Secret files) is private (0700) and removed when
 * the run ends, also when pod2sfn is killed: a detached watcher removes it once pod2sfn is gone.
 */
export async function hostRuntime(
  values: ValueSource,
  namespace: string,
  options: HostRuntimeOptions = {},
): Promise<ContainerRuntime> {
  const runDir = await mkdtemp(join(options.root ?? tmpdir(), 'pod2sfn-run-'));
  const watcher = removeWhenGone(runDir);
  const volumes = new VolumeDirs(join(runDir, 'volumes'), values, namespace);
  const sandboxed = sandboxAvailable();
  if (!sandboxed) (options.warn ?? warnOnce)(NO_SANDBOX_WARNING);
  let count = 0;

  return {
    name: 'host',
    volumeDir: (volume) => volumes.dir(volume),
    async start(launch, output): Promise<Running> {
      const { container } = launch;
      if (container.command.length === 0) {
        throw new ContainerConfigError(
          `container ${container.name}: no command: the host runtime cannot ` +
            `read the image's entrypoint; set command, or use --runtime docker`,
        );
      }
      const argv = [...container.command, ...container.args];
      const env = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: '/root',
        HOSTNAME: launch.pod.name,
        ...launch.env,
      };
      if (!sandboxed) {
        if (container.mounts.length > 0) {
          throw new ContainerConfigError(
            `container ${container.name}: mounting volumes on the host needs ` +
              `bwrap (apt-get install bubblewrap); or use --runtime docker`,
          );
        }
        const cwd = container.workingDir ?? process.cwd();
        if (!existsSync(cwd))
          throw new ContainerConfigError(
            `container ${container.name}: workingDir ${cwd} does not exist on this machine`,
          );
        return spawnGroup(argv, { env, cwd }, output);
      }

      const termination = join(runDir, `${++count}-${container.name}.termination-log`);
      // Synchronous: an empty file in the run's directory costs microseconds; the promise API's open, write
      // and close are three trips through the thread pool, per container (bench: per sequential container).
      writeFileSync(termination, '');
      const mounts: SandboxMount[] = [];
      for (const mount of container.mounts) {
        const volume = launch.volumes.find((v) => v.name === mount.volume);
        if (!volume)
          throw new ContainerConfigError(`container ${container.name}: volume ${mount.volume} is not in the pod`);
        const source = await volumes.path(volume, mount.subPath);
        mounts.push({ source, target: mount.mountPath, readOnly: mount.readOnly });
      }
      mounts.push({ source: termination, target: container.terminationMessagePath, readOnly: false });
      const workingDir = container.workingDir;
      const plan = { hostname: launch.pod.name, mounts, argv, ...(workingDir !== undefined && { workingDir }) };
      const running = spawnGroup(sandboxArgv(plan), { env, reportsGroup: sandboxGroup }, output);
      const exited = running.exited.then((exit) => ({ ...exit, terminationMessage: readTermination(termination) }));
      return { exited, stop: async (grace) => (await running.stop(grace), exited) };
    },
    async close() {
      await volumes.close();
      await rm(runDir, { recursive: true, force: true });
      watcher.kill();
    },
  };
}

/** What the container wrote to its termination-message file ('' when it is gone). */
function readTermination(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The process group bwrap reports on --info-fd (`"child-pid": N`), as soon as it is written. The
 * stream is read to its end: closing it early would kill bwrap with SIGPIPE on its next write.
 */
function sandboxGroup(info: Readable): Promise<number | undefined> {
  return new Promise((resolve) => {
    let text = '';
    info.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const pid = /"child-pid":\s*(\d+)\D/.exec(text)?.[1];
      if (pid !== undefined) resolve(Number(pid));
    });
    info.on('close', () => resolve(undefined));
    info.on('error', () => resolve(undefined));
  });
}

/**
 * A detached shell that removes `dir` when its stdin (a pipe from this process) closes: when
 * pod2sfn exits whatever the way, SIGKILL included. It costs one process per run, not per container.
 */
function removeWhenGone(dir: string): { kill(): void } {
  const script = 'read _; rm -rf -- "$0"';
  const child = spawn('sh', ['-c', script, dir], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  child.on('error', () => undefined);
  child.unref();
  (child.stdin as Socket).unref();
  return { kill: () => child.stdin.destroy() };
}
