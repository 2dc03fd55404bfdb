import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

const made = new Set<string>();

// This module is evaluated while a test file is collected (each file has its own copy), so this
// hook belongs to that file: whatever made a directory (a test, a describe, a hook), it goes at the end.
afterAll(() => made.forEach(remove));

/** A temp directory that removes itself: when its test finishes, or after the file's tests. */
export function tempDir(prefix = 'pod2sfn-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  try {
    onTestFinished(() => remove(dir));
  } catch {
    // Not inside a test: the afterAll above removes it.
  }
  return dir;
}

function remove(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  made.delete(dir);
}
