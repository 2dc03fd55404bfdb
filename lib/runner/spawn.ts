import { spawn, type StdioOptions } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import type { Exit, OutputSink, Running } from './types.js';

export interface SpawnOptions {
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /**
   * For a launcher that runs the command in a process group of its own and reports that group on
   * its file descriptor 3 (bwrap --info-fd): reads the group's id from that stream. Stopping then
   * sends SIGTERM to that group, not to the launcher, which stays to report the exit code.
   */
  readonly reportsGroup?: (info: Readable) => Promise<number | undefined>;
  /** For a command that waits on file descriptor `fd` for its release line (the host sandbox's gate). */
  readonly gate?: { readonly fd: number; readonly release: string };
}

interface Spawned extends Running {
  /** Lets a gated command run (writes its release line); nothing without a gate. */
  release(): void;
}

/**
 * Spawns `argv` as the leader of its own process group, so that stopping it reaches everything it
 * started, and nothing is left behind once it exits (as a container's processes die with it).
 */
export function spawnGroup(argv: readonly string[], options: SpawnOptions, output: OutputSink): Spawned {
  const stdio: StdioOptions = ['ignore', 'pipe', 'pipe', options.reportsGroup ? 'pipe' : 'ignore'];
  if (options.gate) stdio[options.gate.fd] = 'pipe';
  const child = spawn(argv[0]!, argv.slice(1), { env: { ...options.env }, cwd: options.cwd, detached: true, stdio });
  child.stdout!.on('data', (chunk: Buffer) => output(chunk, 'stdout'));
  child.stderr!.on('data', (chunk: Buffer) => output(chunk, 'stderr'));
  const inner = options.reportsGroup
    ? options.reportsGroup(child.stdio[3] as Readable).catch(() => undefined)
    : Promise.resolve(undefined);
  const kill = (group: number | undefined, signal: NodeJS.Signals) => {
    try {
      if (group !== undefined) process.kill(-group, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  };
  const killGroups = async (signal: NodeJS.Signals) => {
    const group = await inner;
    kill(group, signal);
    if (group === undefined || signal === 'SIGKILL') kill(child.pid, signal);
  };
  const exited = new Promise<Exit>((resolve) => {
    let code: number | undefined;
    child.once('error', (error: NodeJS.ErrnoException) => {
      output(
        Buffer.from(
          `pod2sfn: cannot run ${JSON.stringify(argv[0])}: ` +
            `${error.code === 'ENOENT' ? 'no such file' : error.message}\n`,
        ),
        'stderr',
      );
      resolve({ exitCode: 127 });
    });
    child.once('exit', (status, signal) => {
      code = status ?? 128 + (signal ? (constants.signals[signal] ?? 9) : 9);
      // What the leader left running dies with it; a process holding stdout open would block 'close'.
      void killGroups('SIGKILL');
    });
    child.once('close', () => resolve({ exitCode: code ?? 127 }));
  });
  const gate = options.gate ? (child.stdio[options.gate.fd] as Writable) : undefined;
  gate?.on('error', () => undefined); // EPIPE: the sandbox is gone before its release
  return {
    exited,
    release: () => void gate?.end(options.gate!.release),
    async stop(graceSeconds) {
      void killGroups('SIGTERM');
      const timer = setTimeout(() => void killGroups('SIGKILL'), Math.max(0, graceSeconds) * 1000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
