import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import {
  spawnGroup,
  ContainerConfigError,
  volumeNamed,
  type Launch,
  type OutputSink,
  type Running,
  type ValueSource,
} from '../runner/index.js';
import { abortedError } from './aborted.js';
import { PREPARED_AHEAD, type ContainerRuntime, type RuntimeOptions } from './runtime.js';
import {
  boundSources,
  GATE_FD,
  passesShell,
  RELEASE,
  sandboxAvailable,
  sandboxLayout,
  type SandboxMount,
} from './sandbox.js';
import { MEMORY_ROOT, VolumeDirs } from './volumes.js';

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
 * The run's directory (volumes, Secret files) is private (0700) and removed when the run ends, also
 * when pod2sfn is killed: a detached watcher removes it once pod2sfn is gone, and with it the run's
 * directories on the memory tmpfs (termination messages, `medium: Memory` volumes).
 */
export async function hostRuntime(
  values: ValueSource,
  namespace: string,
  options: HostRuntimeOptions = {},
): Promise<ContainerRuntime> {
  const runDir = await mkdtemp(join(options.root ?? tmpdir(), 'pod2sfn-run-'));
  const watcher = removeWhenGone(runDir);
  const volumes = new VolumeDirs(join(runDir, 'volumes'), values, namespace, (dir) => watcher.also(dir));
  const messages = await messagesDir(runDir);
  if (messages !== runDir) watcher.also(messages);
  const sandboxed = sandboxAvailable();
  if (!sandboxed) (options.warn ?? warnOnce)(NO_SANDBOX_WARNING);
  let count = 0;
  /** The next containers' sandboxes, built while the one before them runs (docs/design.md §4), oldest first. */
  const ahead = new Map<string, Promise<Built | undefined>>();
  let closed = false;

  const newTermination = (container: string) => {
    const path = join(messages, `${++count}-${container}.termination-log`);
    // Synchronous: an empty file costs microseconds; the promise API's open, write and close are three
    // trips through the thread pool, per container (bench: per sequential container).
    writeFileSync(path, '');
    return path;
  };
  const sandboxFor = async (launch: Launch, termination: string): Promise<Layout> => {
    const { container } = launch;
    const mounts: SandboxMount[] = [];
    for (const mount of container.mounts) {
      const volume = volumeNamed(launch, mount.volume);
      const source = await volumes.path(volume, mount.subPath);
      mounts.push({ source, target: mount.mountPath, readOnly: mount.readOnly });
    }
    mounts.push({ source: termination, target: container.terminationMessagePath, readOnly: false });
    const { workingDir } = container;
    const argv = [...container.command, ...container.args];
    const env = environment(launch);
    const gate = passesShell(env);
    const plan = { hostname: launch.pod.name, gate, mounts, argv, ...(workingDir !== undefined && { workingDir }) };
    const { argv: sandbox, gated, buildsAhead } = sandboxLayout(plan);
    const sources = boundSources(sandbox).map(fileId);
    return { argv: sandbox, env, gated, buildsAhead, key: JSON.stringify([sandbox, env]), sources };
  };
  /** What was built ahead for this launch, if it is what would be built now; else it is discarded. */
  const takeAhead = async (launch: Launch): Promise<Built | undefined> => {
    const taken = ahead.get(launch.container.name);
    ahead.delete(launch.container.name);
    const built = await taken;
    if (!built) return undefined;
    try {
      const layout = await sandboxFor(launch, built.termination);
      if (layout.key === built.layout.key && sameFiles(layout.sources, built.layout.sources)) return built;
    } catch (e) {
      void built.discard();
      throw e;
    }
    void built.discard();
    return undefined;
  };

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
        return spawnGroup([...container.command, ...container.args], { env: environment(launch), cwd }, output);
      }
      let built = await takeAhead(launch);
      if (!built) {
        const termination = newTermination(container.name);
        built = build(await sandboxFor(launch, termination), termination);
      }
      // The run closed while this start awaited: its directories are gone, and nothing may start.
      if (closed) {
        void built.discard();
        throw abortedError();
      }
      return built.start(output);
    },
    prepare(name, launch) {
      if (!sandboxed || closed || ahead.has(name)) return;
      // Asked for more than it keeps: the oldest, which the run went past without starting it, goes.
      if (ahead.size >= PREPARED_AHEAD) {
        const [oldest, previous] = ahead.entries().next().value!;
        ahead.delete(oldest);
        void previous.then((a) => a?.discard());
      }
      // Prepared here only: asked again for a container it keeps, the runtime does nothing.
      const built = launch()
        .then(async (resolved) => {
          const { container } = resolved;
          // A subPath is made inside its volume when its container starts, as the kubelet makes it.
          if (container.command.length === 0 || container.mounts.some((m) => m.subPath)) return undefined;
          const termination = newTermination(container.name);
          const layout = await sandboxFor(resolved, termination);
          return layout.buildsAhead && !closed ? build(layout, termination) : undefined;
        })
        .catch(() => undefined); // what cannot be built ahead fails, and says why, at its start
      ahead.set(name, built);
    },
    async close() {
      closed = true;
      await Promise.all([...ahead.values()].map(async (built) => (await built)?.discard()));
      await volumes.close();
      await rm(runDir, { recursive: true, force: true });
      await rm(messages, { recursive: true, force: true });
      watcher.kill();
    },
  };
}

/**
 * Where termination messages go: a private directory on tmpfs where there is one (a file made on a
 * disk's file system costs a journal write: bench, per sequential container; a message is at most
 * 4 KiB), else the run's directory.
 */
async function messagesDir(runDir: string): Promise<string> {
  try {
    return await mkdtemp(join(MEMORY_ROOT, 'pod2sfn-messages-'));
  } catch {
    return runDir;
  }
}

function environment(launch: Launch): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/root', HOSTNAME: launch.pod.name, ...launch.env };
}

/** A container's sandbox as built for a launch: the same key, the same files, the same sandbox. */
interface Layout {
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly gated: boolean;
  readonly buildsAhead: boolean;
  readonly key: string;
  /** Each bound host path's identity: a directory a container removed and made again is another one. */
  readonly sources: readonly string[];
}

/** A container's sandbox, spawned: its command waits at the gate, if it has one, until `start`. */
interface Built {
  readonly layout: Layout;
  readonly termination: string;
  /** Lets the command run; what the sandbox wrote before (bwrap's own errors) goes to `output` first. */
  start(output: OutputSink): Running;
  /** Stops it where it waits: its command never runs. */
  discard(): Promise<unknown>;
}

function build(layout: Layout, termination: string): Built {
  let sink: OutputSink | undefined;
  const early: Array<[Buffer, 'stdout' | 'stderr']> = [];
  const spawned = spawnGroup(
    layout.argv,
    { env: layout.env, reportsGroup: sandboxGroup, ...(layout.gated && { gate: { fd: GATE_FD, release: RELEASE } }) },
    (chunk, stream) => (sink ? sink(chunk, stream) : early.push([chunk, stream])),
  );
  return {
    layout,
    termination,
    start(output) {
      sink = output;
      for (const [chunk, stream] of early.splice(0)) output(chunk, stream);
      spawned.release();
      const exited = spawned.exited.then((exit) => ({ ...exit, terminationMessage: readTermination(termination) }));
      return { exited, stop: async (grace) => (await spawned.stop(grace), exited) };
    },
    discard: () => spawned.stop(0),
  };
}

function fileId(path: string): string {
  try {
    const { dev, ino } = statSync(path);
    return `${dev}:${ino}`;
  } catch {
    return '';
  }
}

const sameFiles = (a: readonly string[], b: readonly string[]) => a.every((id, i) => id !== '' && id === b[i]);

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
 * A detached shell that removes `dir`, and each directory `also` names, when its stdin (a pipe from this
 * process) closes: when pod2sfn exits whatever the way, SIGKILL included. One process per run.
 */
function removeWhenGone(dir: string): { also(dir: string): void; kill(): void } {
  const script = 'while IFS= read -r d; do set -- "$@" "$d"; done; rm -rf -- "$@"';
  const child = spawn('sh', ['-c', script, 'pod2sfn-cleanup', dir], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.on('error', () => undefined);
  child.unref();
  (child.stdin as Socket).unref();
  child.stdin.on('error', () => undefined);
  return { also: (more) => void child.stdin.write(`${more}\n`), kill: () => child.stdin.destroy() };
}
