import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

const left = new Set<string>();
process.once('exit', () => left.forEach(remove));

/**
 * A temp directory that removes itself: after the test when made inside one, after the file's tests
 * when made at the top of a file or in a describe, at the worker's exit when made in a hook.
 */
export function tempDir(prefix = 'pod2sfn-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const cleanup = () => remove(dir);
  try {
    onTestFinished(cleanup);
  } catch {
    try {
      afterAll(cleanup);
    } catch {
      left.add(dir);
    }
  }
  return dir;
}

function remove(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  left.delete(dir);
}
