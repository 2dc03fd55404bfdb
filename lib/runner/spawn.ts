import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Exit, OutputSink, Running } from './types.js';

export interface SpawnOptions {
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

/**
 * Spawns `argv` as the leader of its own process group, so that stopping it reaches everything it
 * started, and nothing is left behind once it exits (as a container's processes die with it).
 */
export function spawnGroup(argv: readonly string[], options: SpawnOptions, output: OutputSink): Running {
  const child = spawn(argv[0]!, argv.slice(1), { env: { ...options.env }, cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => output(chunk, 'stdout'));
  child.stderr.on('data', (chunk: Buffer) => output(chunk, 'stderr'));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  };
  const exited = new Promise<Exit>((resolve) => {
    let code: number | undefined;
    child.once('error', (error: NodeJS.ErrnoException) => {
      output(Buffer.from(`pod2sfn: cannot run ${JSON.stringify(argv[0])}: ${error.code === 'ENOENT' ? 'no such file' : error.message}\n`), 'stderr');
      resolve({ exitCode: 127 });
    });
    child.once('exit', (status, signal) => {
      code = status ?? 128 + (signal ? (constants.signals[signal] ?? 9) : 9);
      // What the leader left running dies with it; a process holding stdout open would block 'close'.
      killGroup('SIGKILL');
    });
    child.once('close', () => resolve({ exitCode: code ?? 127 }));
  });
  return {
    exited,
    async stop(graceSeconds) {
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), Math.max(0, graceSeconds) * 1000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
