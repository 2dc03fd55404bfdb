import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { findChromium } from '../../lib/timeline/render.js';
import { cli } from '../helpers/cli.js';
import { BIN, specFile, tempDir } from '../helpers/run-cli.js';

/** A pod with a restart and a failure that runs in well under a second on the host runtime. */
const FLAKY = `apiVersion: v1
kind: Pod
metadata:
  name: flaky-pod
  annotations: { pod2sfn.dev/max-restarts: "1" }
spec:
  restartPolicy: OnFailure
  terminationGracePeriodSeconds: 1
  initContainers:
    - { name: setup, image: busybox, command: ["true"] }
  containers:
    - { name: flaky, image: busybox, command: [sh, -c, "exit 3"] }
    - { name: steady, image: busybox, command: ["true"] }
`;
const RUN = ['--runtime', 'host', '--backoff-scale', '0.01'];
const CHROMIUM = findChromium(process.env);

/** The gantt at the end of what run printed, and its task lines without their times. */
function gantt(stdout: string): { text: string; tasks: string[] } {
  const text = stdout.slice(stdout.indexOf('---\nconfig:'));
  const tasks = text
    .split('\n')
    .filter((l) => l.startsWith('    ') && l.includes(' :'))
    .map((l) => l.trim().replace(/, \d{13}, \d{13}$/, ''));
  return { text, tasks };
}

describe('pod2sfn run --timeline', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a gantt of every attempt at the end of the run', async () => {
    // GIVEN a pod whose flaky container fails, restarts once and fails again
    const spec = specFile(dir, FLAKY);
    // WHEN run with --timeline
    const { code, stdout } = await cli(['run', spec, ...RUN, '--timeline']);
    // THEN the run fails as before, and after its status lines comes the timeline: one bar per attempt
    expect(code).toBe(1);
    expect(stdout).toMatch(/flaky-pod .*Error[^\n]*\n---\nconfig:\n/);
    const { text, tasks } = gantt(stdout);
    expect(text).toMatch(/^---\nconfig:\n[\s\S]*\ngantt\n {2}title flaky-pod\n/);
    expect(tasks).toEqual([
      'Failed :crit, pod',
      'attempt 1 · exit 0 :done, attempt-setup-1',
      'attempt 1 · exit 3 :crit, attempt-flaky-1',
      'CrashLoopBackOff :wait-flaky-1',
      'attempt 2 · exit 3 :crit, attempt-flaky-2',
      'attempt 1 · exit 0 :done, attempt-steady-1',
    ]);
  });

  it('writes it to --timeline-file, and -o keeps stdout for the Pod', async () => {
    // GIVEN the same pod / WHEN run with -o json and a timeline file
    const path = join(dir, 'timeline.mmd');
    const { code, stdout } = await cli([
      'run',
      specFile(dir, FLAKY),
      ...RUN,
      '-o',
      'json',
      '--timeline',
      '--timeline-file',
      path,
    ]);
    // THEN stdout is the Pod alone and the file holds the gantt
    expect(code).toBe(1);
    expect(JSON.parse(stdout).status.phase).toBe('Failed');
    expect(gantt(readFileSync(path, 'utf8')).tasks).toHaveLength(6);
  });

  it.skipIf(!CHROMIUM)(`draws an SVG with --timeline=svg${CHROMIUM ? '' : ' [SKIPPED: no Chromium]'}`, async () => {
    // GIVEN the same pod / WHEN run with --timeline=svg
    const path = join(dir, 'timeline.svg');
    const { code } = await cli(['run', specFile(dir, FLAKY), ...RUN, '-q', '--timeline=svg', '--timeline-file', path]);
    // THEN the file is Mermaid's SVG, with a bar for each of the four attempts
    expect(code).toBe(1);
    const svg = readFileSync(path, 'utf8');
    expect(svg).toMatch(/^<svg [^>]*aria-roledescription="gantt"/);
    expect(svg.match(/<rect id="[^"]*-attempt-[^"]*"/g)).toHaveLength(4);
  });

  it.each([
    ['an unknown format', ['--timeline=gif'], /--timeline=gif: use --timeline, --timeline=svg or --timeline=png/],
    ['svg with nowhere to write it', ['--timeline=svg'], /--timeline=svg needs --timeline-file PATH/],
    [
      'a timeline on the stdout -o prints to',
      ['-o', 'json', '--timeline'],
      /--timeline with -o needs --timeline-file PATH/,
    ],
    [
      'a file without --timeline',
      ['--timeline-file', 'x.mmd'],
      /--timeline-file needs --timeline\[=mermaid\|svg\|png\]/,
    ],
    [
      'a file in no directory',
      ['--timeline', '--timeline-file', '/no/such/dir/t.mmd'],
      /no such directory \/no\/such\/dir/,
    ],
  ])('refuses %s with exit 2 before anything runs', async (_what, flags, message) => {
    // GIVEN timeline flags that cannot be honoured / WHEN run
    const { code, stdout, stderr } = await cli(['run', specFile(dir, FLAKY), ...RUN, ...flags]);
    // THEN usage error, and no container started
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
  });

  it('says what to install when there is no browser to draw with, before the run', async () => {
    // GIVEN a Chromium path that does not exist / WHEN an SVG is asked for
    const env = { POD2SFN_CHROMIUM: '/no/such/chromium' };
    const flags = ['--timeline=png', '--timeline-file', join(dir, 't.png')];
    const { code, stdout, stderr } = await cli(['run', specFile(dir, FLAKY), ...RUN, ...flags], { env });
    // THEN exit 2 naming what is missing, and nothing ran
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /--timeline=png draws with Mermaid in a headless Chromium: POD2SFN_CHROMIUM=\/no\/such\/chromium: no such/,
    );
    expect(stdout).toBe('');
    expect(existsSync(join(dir, 't.png'))).toBe(false);
  });

  it.skipIf(!existsSync(BIN))('loads no browser driver and no Mermaid for a Mermaid timeline', () => {
    // GIVEN the built CLI, with every module it resolves traced to a file
    const trace = join(dir, 'modules.txt');
    writeFileSync(trace, '');
    const tracer = join(import.meta.dirname, '../helpers/trace-imports.mjs');
    // WHEN it runs a pod with --timeline (exit 1: the pod fails)
    const { stdout: out } = spawnSync(
      process.execPath,
      ['--import', tracer, BIN, 'run', specFile(dir, FLAKY), ...RUN, '--timeline'],
      {
        encoding: 'utf8',
        env: { ...process.env, POD2SFN_TRACE_FILE: trace },
      },
    );
    // THEN it printed the gantt without loading playwright-core or mermaid
    expect(out).toContain('\ngantt\n');
    const modules = readFileSync(trace, 'utf8').split('\n');
    // (the bundled binary: pod2sfn's own modules are its chunks; the packages are resolved by name)
    expect(modules.some((m) => m.includes('/dist/bin/chunks/'))).toBe(true);
    expect(modules.filter((m) => m.includes('/playwright-core/') || m.includes('/mermaid/'))).toEqual([]);
  });

  it('shows the optional value in --help', async () => {
    // GIVEN run's help / WHEN printed / THEN --timeline takes its value with =
    expect((await cli(['run', '--help'])).stdout).toMatch(/--timeline\[=VALUE\] +at the end, a gantt/);
  });
});

/** Step Functions as far as `status` asks it: one execution and its history (awsJson1_0). */
function fakeStepFunctions(history: object[]): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume().on('end', () => {
      const target = String(req.headers['x-amz-target']).replace('AWSStepFunctions.', '');
      const body =
        target === 'DescribeExecution'
          ? {
              executionArn: ARN,
              stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:restarts',
              status: 'SUCCEEDED',
              startDate: T0,
            }
          : target === 'GetExecutionHistory'
            ? { events: history }
            : undefined;
      res.writeHead(body ? 200 : 400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(body ?? { __type: 'UnknownOperationException' }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const ARN = 'arn:aws:states:us-east-1:000000000000:execution:restarts:run-1';
const T0 = Date.parse('2025-01-01T00:00:00Z') / 1000;

/** wait-for-db fails once and is retried; then api and worker run side by side (epoch seconds). */
function restartingHistory(): object[] {
  const events: object[] = [];
  const add = (type: string, previous: number | undefined, seconds: number, details: object = {}) => {
    events.push({
      id: events.length + 1,
      type,
      timestamp: T0 + seconds,
      ...(previous && { previousEventId: previous }),
      ...details,
    });
    return events.length;
  };
  const entered = (name: string, previous: number, seconds: number, type = 'TaskStateEntered') =>
    add(type, previous, seconds, { stateEnteredEventDetails: { name } });
  const ok = {
    taskSucceededEventDetails: { output: JSON.stringify({ Payload: { exitCode: 0, message: '' }, StatusCode: 200 }) },
  };
  const cause = JSON.stringify({ container: 'wait-for-db', exitCode: 1, message: 'db not ready' });
  const failed = { taskFailedEventDetails: { error: 'Pod2sfn.ContainerFailed', cause } };

  const start = add('ExecutionStarted', undefined, 0);
  const init = entered('Init: wait-for-db', start, 0);
  const firstFailed = add('TaskFailed', add('TaskStarted', add('TaskScheduled', init, 0), 1), 3, failed);
  const initDone = add('TaskSucceeded', add('TaskStarted', add('TaskScheduled', firstFailed, 13), 14), 16, ok);
  const parallel = entered('Containers', add('TaskStateExited', initDone, 16), 16, 'ParallelStateEntered');
  const api = add('TaskScheduled', entered('Run: api', parallel, 16), 16);
  const worker = add('TaskScheduled', entered('Run: worker', parallel, 16), 16);
  add('TaskSucceeded', add('TaskStarted', api, 17), 30, ok);
  const last = add('TaskSucceeded', add('TaskStarted', worker, 17), 25, ok);
  add('ExecutionSucceeded', last, 31);
  return events;
}

describe('pod2sfn status --timeline', () => {
  let server: Server;
  afterEach(() => vi.unstubAllEnvs());
  afterAll(() => server?.close());

  it("prints the gantt of a deployed run's attempts, restarts included", async () => {
    // GIVEN a deployed run (a fake Step Functions endpoint) where wait-for-db failed once and was retried
    server = await fakeStepFunctions(restartingHistory());
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const [name, value] of Object.entries({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    })) {
      vi.stubEnv(name, value);
    }
    const spec = join(import.meta.dirname, '../fixtures/asl/onfailure-max-restarts/input.yaml');
    // WHEN its status is asked for with --timeline
    const { code, stdout, stderr } = await cli(['status', ARN, '-f', spec, '--timeline'], {
      env: { AWS_ENDPOINT_URL: endpoint },
    });
    // THEN the status line, then the timeline: the failed attempt, its back-off, the retry, the app containers,
    // each Task's time between scheduled and started a wait of its own
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^NAME .*\nrestarts .*Completed/);
    expect(gantt(stdout).tasks).toEqual([
      'Succeeded :done, pod',
      'PodInitializing :wait-wait-for-db-1',
      'attempt 1 · exit 1 :crit, attempt-wait-for-db-1',
      'CrashLoopBackOff :wait-wait-for-db-2',
      'PodInitializing :wait-wait-for-db-3',
      'attempt 2 · exit 0 :done, attempt-wait-for-db-2',
      'ContainerCreating :wait-api-1',
      'attempt 1 · exit 0 :done, attempt-api-1',
      'ContainerCreating :wait-worker-1',
      'attempt 1 · exit 0 :done, attempt-worker-1',
    ]);
  });
});
