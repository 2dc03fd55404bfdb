import { onTestFinished, vi } from 'vitest';

export interface CapturedOutput {
  stdout(): string;
  stderr(): string;
}

/**
 * What the code under test writes to process.stdout and process.stderr during this test, kept here
 * instead of printed (the deployed Lambda handler logs there: CloudWatch reads its stdout). Restored
 * when the test finishes. Call it inside a test.
 */
export function captureProcessOutput(): CapturedOutput {
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  for (const name of ['stdout', 'stderr'] as const) {
    const spy = vi
      .spyOn(process[name], 'write')
      .mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
        chunks[name].push(Buffer.from(chunk));
        const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
        done?.();
        return true;
      });
    onTestFinished(() => spy.mockRestore());
  }
  return {
    stdout: () => Buffer.concat(chunks.stdout).toString('utf8'),
    stderr: () => Buffer.concat(chunks.stderr).toString('utf8'),
  };
}
