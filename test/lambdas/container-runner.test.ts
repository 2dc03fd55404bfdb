import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../lib/asl/errors.js';
import { encodeContainer } from '../../lib/asl/task-input.js';
import type { ContainerRun } from '../../lib/model/workflow.js';
import { handler } from '../../lambdas/container-runner/index.js';
import type { RunnerEvent } from '../../lib/runner/index.js';

const dir = mkdtempSync(join(tmpdir(), 'runner-test-'));

function event(script: string, container: Partial<ContainerRun> = {}): RunnerEvent {
  return {
    pod: { name: 'p', namespace: 'default' },
    execution: 'exec-1',
    volumes: [],
    container: encodeContainer({
      name: 'c',
      image: 'alpine',
      command: ['sh', '-c', script],
      args: [],
      env: [{ name: 'GREETING', value: 'hello' }],
      envFrom: [],
      mounts: [],
      terminationMessagePath: join(dir, 'no-termination-log'),
      terminationMessagePolicy: 'File',
      ...container,
    }),
  };
}

const context = (ms = 60_000) => ({ getRemainingTimeInMillis: () => ms });

async function failure(promise: Promise<unknown>): Promise<{ name: string; cause: { container: string; exitCode: number; message: string } }> {
  const e = (await promise.then(
    () => undefined,
    (err: unknown) => err,
  )) as Error | undefined;
  if (!e) throw new Error('expected the handler to throw');
  return { name: e.name, cause: JSON.parse(e.message) };
}

describe('container-runner handler', () => {
  it('runs command and args with the env and answers exitCode 0', async () => {
    const out = join(dir, 'greeting');
    await expect(handler(event(`echo "$GREETING" > ${out}`), context())).resolves.toEqual({ exitCode: 0, message: '' });
    expect(readFileSync(out, 'utf8')).toBe('hello\n');
  });

  it('throws Pod2sfn.ContainerFailed with the JSON cause on a non-zero exit', async () => {
    const e = await failure(handler(event('exit 3'), context()));
    expect(e).toEqual({ name: ERRORS.containerFailed, cause: { container: 'c', exitCode: 3, message: '' } });
  });

  it('reports the termination message, bounded to 4 KiB', async () => {
    const path = join(dir, 'termination-log');
    const result = await handler(event(`printf 'all done' > ${path}`, { terminationMessagePath: path }), context());
    expect(result.message).toBe('all done');
    const big = await failure(handler(event(`head -c 10000 /dev/zero | tr '\\0' x > ${path}; exit 1`, { terminationMessagePath: path }), context()));
    expect(big.cause.message).toBe('x'.repeat(4096));
  });

  it('falls back to the last 80 lines of output on error, keeping memory bounded on huge output', async () => {
    const script = 'i=0; while [ $i -lt 200 ]; do echo "line $i"; i=$((i+1)); done; head -c 20000000 /dev/zero | tr "\\0" y >/dev/null; yes filler | head -n 200000; echo last; exit 2';
    const e = await failure(handler(event(script, { terminationMessagePolicy: 'FallbackToLogsOnError' }), context()));
    expect(e.cause.exitCode).toBe(2);
    const lines = e.cause.message.split('\n');
    expect(lines.length).toBeLessThanOrEqual(80);
    expect(Buffer.byteLength(e.cause.message)).toBeLessThanOrEqual(2048);
    expect(lines.at(-1)).toBe('last');
  });

  it('stops the container a little before the Lambda times out and reports a failure', async () => {
    const started = Date.now();
    const e = await failure(handler(event('sleep 30'), context(1500)));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(e.name).toBe(ERRORS.containerFailed);
    expect(e.cause.exitCode).toBeGreaterThan(128);
    expect(e.cause.message).toMatch(/about to time out/);
  });
});
