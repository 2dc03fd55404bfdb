import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../lib/asl/errors.js';
import { encodeContainer } from '../../lib/asl/task-input.js';
import { runnerMarker } from '../../lib/logs/locations.js';
import type { ContainerRun } from '../../lib/model/workflow.js';
import { handler } from '../../lambdas/container-runner/index.js';
import type { RunnerEvent } from '../../lib/runner/index.js';
import { captureProcessOutput } from '../helpers/output.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('runner-test-');

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

async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; cause: { container: string; exitCode: number; message: string } }> {
  const e = (await promise.then(
    () => undefined,
    (err: unknown) => err,
  )) as Error | undefined;
  if (!e) throw new Error('expected the handler to throw');
  return { name: e.name, cause: JSON.parse(e.message) };
}

describe('container-runner handler', () => {
  it('runs command and args with the env and answers exitCode 0', async () => {
    // GIVEN a container that writes its env to a file
    const out = join(dir, 'greeting');
    // WHEN the handler runs it / THEN it answers exit code 0 and the command saw the env
    await expect(handler(event(`echo "$GREETING" > ${out}`), context())).resolves.toEqual({ exitCode: 0, message: '' });
    expect(readFileSync(out, 'utf8')).toBe('hello\n');
  });

  it('throws Pod2sfn.ContainerFailed with the JSON cause on a non-zero exit', async () => {
    // GIVEN a container that exits 3 / WHEN run / THEN the handler throws the error Step Functions retries on
    const e = await failure(handler(event('exit 3'), context()));
    expect(e).toEqual({ name: ERRORS.containerFailed, cause: { container: 'c', exitCode: 3, message: '' } });
  });

  it('reports the termination message, bounded to 4 KiB', async () => {
    // GIVEN a container that writes its termination message
    const path = join(dir, 'termination-log');
    // WHEN it succeeds / THEN the message is in the answer
    const result = await handler(event(`printf 'all done' > ${path}`, { terminationMessagePath: path }), context());
    expect(result.message).toBe('all done');
    // WHEN it writes 10,000 bytes and fails / THEN the message is cut to 4 KiB, as the kubelet cuts it
    const big = await failure(
      handler(
        event(`head -c 10000 /dev/zero | tr '\\0' x > ${path}; exit 1`, { terminationMessagePath: path }),
        context(),
      ),
    );
    expect(big.cause.message).toBe('x'.repeat(4096));
  });

  const STREAMS_OUTPUT =
    'streams the output to the log, and falls back to its last 80 lines on error, memory bounded on huge output';
  it(STREAMS_OUTPUT, async () => {
    // GIVEN a failing container under FallbackToLogsOnError that prints 200,201 lines
    const log = captureProcessOutput();
    const script =
      'i=0; while [ $i -lt 200 ]; do echo "line $i"; i=$((i+1)); done; head -c 20000000 ' +
      '/dev/zero | tr "\\0" y >/dev/null; yes filler | head -n 200000; echo last; exit 2';
    // WHEN the handler runs it
    const e = await failure(handler(event(script, { terminationMessagePolicy: 'FallbackToLogsOnError' }), context()));
    // THEN every line went to the function's log (its stdout), as it came, after the line `pod2sfn logs` looks for
    const [marker, ...lines] = log.stdout().split('\n');
    expect(marker).toBe(runnerMarker('exec-1', 'c'));
    expect(lines.length).toBe(200 + 200_000 + 1 + 1);
    expect([lines[0], lines.at(-2)]).toEqual(['line 0', 'last']);
    // AND the message is the tail of the output: at most 80 lines and 2048 bytes, ending with the last line
    expect(e.cause.exitCode).toBe(2);
    const tail = e.cause.message.split('\n');
    expect(tail.length).toBeLessThanOrEqual(80);
    expect(Buffer.byteLength(e.cause.message)).toBeLessThanOrEqual(2048);
    expect(tail.at(-1)).toBe('last');
  });

  it('stops the container a little before the Lambda times out and reports a failure', async () => {
    // GIVEN a container that sleeps 30 s and a Lambda with 1.5 s left
    const started = Date.now();
    // WHEN the handler runs it
    const e = await failure(handler(event('sleep 30'), context(1500)));
    // THEN it was killed in time and reported as a failed container, saying why
    expect(Date.now() - started).toBeLessThan(1500);
    expect(e.name).toBe(ERRORS.containerFailed);
    expect(e.cause.exitCode).toBeGreaterThan(128);
    expect(e.cause.message).toMatch(/about to time out/);
  });
});
