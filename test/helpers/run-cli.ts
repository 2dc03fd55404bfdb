import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../lib/package-root.js';

export const BIN = join(packageRoot(), 'dist/bin/pod2sfn.js');

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export { tempDir } from './temp.js';

/** Writes a spec into `dir` and returns its path. */
export function specFile(dir: string, yaml: string, name = 'pod.yaml'): string {
  const path = join(dir, name);
  writeFileSync(path, yaml);
  return path;
}

/**
 * Runs the built CLI (`node dist/bin/pod2sfn.js ...args`) as a user would; `whenOutput` lets a test
 * act (send a signal) once some output has appeared.
 */
export function runCli(
  args: readonly string[],
  options: { whenOutput?: { match: RegExp; then: (pid: number) => void } } = {},
): Promise<RunResult> {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let fired = false;
  const check = () => {
    const when = options.whenOutput;
    if (when && !fired && when.match.test(stdout + stderr)) {
      fired = true;
      when.then(child.pid!);
    }
  };
  child.stdout.on('data', (c: Buffer) => ((stdout += c.toString()), check()));
  child.stderr.on('data', (c: Buffer) => ((stderr += c.toString()), check()));
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })),
  );
}
