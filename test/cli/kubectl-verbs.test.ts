import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Io } from '../../lib/cli/io.js';
import { PodPrinter } from '../../lib/cli/actions/get.js';
import { definitionJson } from '../../lib/compile.js';
import type { Pod } from '../../lib/status/core-v1.js';
import { formatTable, podList, podNames, runPod, runRow } from '../../lib/status/run-list.js';
import { cli } from '../helpers/cli.js';
import { compileOrThrow } from '../helpers/compile.js';

const SPEC = `apiVersion: v1
kind: Pod
metadata: { name: web, annotations: { pod2sfn.dev/executor: activity } }
spec:
  restartPolicy: Never
  containers: [{ name: app, image: alpine, command: [sh, -c, "true"] }]
`;
const compiled = compileOrThrow(SPEC);
const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:pod2sfn-default-web';
const arnOf = (name: string) => `${MACHINE.replace(':stateMachine:', ':execution:')}:${name}`;
/** Epoch seconds, as Step Functions' JSON says dates. */
const T0 = Date.parse('2025-01-01T00:00:00Z') / 1000;

/** A history of the one app container: done (exit 0) or still running. */
function history(done: boolean, start: number): object[] {
  const events: object[] = [
    { id: 1, type: 'ExecutionStarted', timestamp: start },
    {
      id: 2,
      previousEventId: 1,
      type: 'TaskStateEntered',
      timestamp: start,
      stateEnteredEventDetails: { name: 'Run: app' },
    },
    { id: 3, previousEventId: 2, type: 'ActivityScheduled', timestamp: start },
    { id: 4, previousEventId: 3, type: 'ActivityStarted', timestamp: start + 1 },
  ];
  if (done) {
    const output = JSON.stringify({ exitCode: 0, message: '' });
    events.push(
      {
        id: 5,
        previousEventId: 4,
        type: 'ActivitySucceeded',
        timestamp: start + 2,
        activitySucceededEventDetails: { output },
      },
      { id: 6, previousEventId: 5, type: 'ExecutionSucceeded', timestamp: start + 3 },
    );
  }
  return events;
}

/** Three runs, newest last here (the API need not sort them), two pages of executions, events in two pages. */
const RUNS = [
  { name: 'old', executionArn: arnOf('old'), status: 'SUCCEEDED', startDate: T0, stopDate: T0 + 3 },
  { name: 'mid', executionArn: arnOf('mid'), status: 'SUCCEEDED', startDate: T0 + 60, stopDate: T0 + 63 },
  { name: 'new', executionArn: arnOf('new'), status: 'RUNNING', startDate: T0 + 120 },
];

/** The runs API as lib/aws/pod-runs-api.ts answers, with an API key. */
function fakeRunsApi(): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const answer = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers['x-api-key'] !== 'k') return answer(403, { message: 'Forbidden' });
    const token = url.searchParams.get('nextToken');
    const path = url.pathname.replace(/^\/v1/, '');
    if (path === '/definition') return answer(200, { stateMachineArn: MACHINE, definition: definitionJson(compiled) });
    if (path === '/runs')
      return answer(
        200,
        token === 'p2' ? { executions: RUNS.slice(2) } : { executions: RUNS.slice(0, 2), nextToken: 'p2' },
      );
    const events = /^\/runs\/([^/]+)\/events$/.exec(path);
    const run = RUNS.find((r) => r.name === decodeURIComponent((events ?? /^\/runs\/([^/]+)$/.exec(path))?.[1] ?? ''));
    if (!run) return answer(404, { error: 'ExecutionDoesNotExist', message: 'no such run' });
    if (!events) return answer(200, run);
    const all = history(run.status !== 'RUNNING', run.startDate);
    return answer(200, token === 'e2' ? { events: all.slice(2) } : { events: all.slice(0, 2), nextToken: 'e2' });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let server: Server;
let api = '';
beforeAll(async () => {
  server = await fakeRunsApi();
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/runs`;
});
afterAll(() => server.close());

const withApi = (...args: string[]) => cli([...args, '--api', api, '--api-key', 'k']);

describe('pod2sfn get pods --api', () => {
  it('lists every run, newest first, over every page of executions and events', async () => {
    // GIVEN three runs over two pages WHEN listed THEN one kubectl row per run, newest first
    const { code, stdout, stderr } = await withApi('get', 'pods');
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout.split('\n').map((line) => line.replace(/ {3,}/g, ' | '))).toEqual([
      'NAME | READY | STATUS | RESTARTS | AGE',
      expect.stringMatching(/^new \| 1\/1 \| Running \| 0 \| \d+d$/),
      expect.stringMatching(/^mid \| 0\/1 \| Completed \| 0 \| \d+d$/),
      expect.stringMatching(/^old \| 0\/1 \| Completed \| 0 \| \d+d$/),
      '',
    ]);
  });

  it('-o name, -o wide and -o json as kubectl prints them', async () => {
    const [name, wide, json] = await Promise.all([
      withApi('get', 'pods', '-o', 'name'),
      withApi('get', 'pods', '-o', 'wide'),
      withApi('get', 'pods', '-o', 'json'),
    ]);
    expect(name.stdout).toBe('pod/new\npod/mid\npod/old\n');
    expect(wide.stdout.split('\n')[0]).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE +EXECUTOR +EXECUTION ARN$/);
    expect(wide.stdout.split('\n')[1]).toMatch(new RegExp(` activity +${arnOf('new')}$`));
    const list = JSON.parse(json.stdout) as { kind: string; apiVersion: string; items: Pod[] };
    expect([list.apiVersion, list.kind, list.items.map((p) => p.metadata?.name)]).toEqual([
      'v1',
      'List',
      ['new', 'mid', 'old'],
    ]);
    expect(list.items[1]!.status?.phase).toBe('Succeeded');
    expect(list.items[1]!.metadata?.annotations?.['pod2sfn.dev/execution-arn']).toBe(arnOf('mid'));
  });

  it('refuses a resource it does not have and an unknown output format, exit 2', async () => {
    expect((await withApi('get', 'deployments')).code).toBe(2);
    expect((await withApi('get', 'pods', '-o', 'tsv')).stderr).toMatch(/unknown output format "tsv"/);
  });
});

describe('the run resolver', () => {
  it('reads a run by name through the API: status and describe', async () => {
    const status = await withApi('status', 'mid');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/\nweb +0\/1 +Completed +0 /);
    const described = await withApi('describe', 'pod', 'mid');
    expect(described.stdout).toMatch(/^Name: +mid\n/);
    expect(described.stdout).toContain(`Logs:      pod2sfn logs mid --api ${api} -c app\n`);
  });

  it("says a run that is not there in kubectl's words, exit 2", async () => {
    // GIVEN a name no run has WHEN status, describe and delete ask for it THEN NotFound, exit 2
    for (const args of [
      ['status', 'gone'],
      ['describe', 'pod', 'gone'],
    ]) {
      const { code, stdout, stderr } = await withApi(...args);
      expect([code, stdout, stderr]).toEqual([2, '', 'Error from server (NotFound): pods "gone" not found\n']);
    }
  });

  it('asks for what finds the state machine when RUN is a name, and refuses what is not a run', async () => {
    const bare = await cli(['status', 'mid'], { env: { AWS_REGION: 'us-east-1' } });
    expect([bare.code, bare.stderr.split('\n')[0]]).toEqual([
      2,
      'pod2sfn status: give -f FILE, --stack NAME or --api URL to find the state machine of the pod, ' +
        'or an execution ARN',
    ]);
    const bad = await withApi('status', 'not a run');
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([
      2,
      'pod2sfn status: "not a run" is neither an execution ARN nor a run name (1–80 letters, digits, - or _)',
    ]);
    const both = await cli(['status', 'mid', '--api', api, '--stack', 'web']);
    expect([both.code, both.stderr.split('\n')[0]]).toEqual([2, 'pod2sfn status: give --api or --stack, not both']);
    const viaApi = await withApi('delete', 'pod', 'mid');
    expect([viaApi.code, viaApi.stderr.split('\n')[0]]).toEqual([
      2,
      'pod2sfn delete: --api cannot stop a run: give -f FILE or --stack NAME',
    ]);
  });
});

describe('run-list', () => {
  it("names a run's Pod by the run and prints it as kubectl get pods, -o name and a List", () => {
    // GIVEN a finished run's events
    const events = [
      { type: 'PodStarted' as const, at: new Date(T0 * 1000) },
      { type: 'ContainerStarted' as const, container: 'app', at: new Date(T0 * 1000 + 1000), attempt: 0 },
      { type: 'ContainerExited' as const, container: 'app', at: new Date(T0 * 1000 + 2000), exitCode: 3 },
      { type: 'PodFinished' as const, at: new Date(T0 * 1000 + 2000), phase: 'Failed' as const },
    ];
    const pod = runPod(compiled.workflow, events, { name: 'r-1', executionArn: arnOf('r-1') });
    const now = new Date(T0 * 1000 + 90_000);
    // THEN its row, the table kubectl's tabwriter makes, its name and the List
    expect(runRow(pod, now, { executor: 'activity' })).toEqual([
      'r-1',
      '0/1',
      'Error',
      '0',
      '90s',
      'activity',
      arnOf('r-1'),
    ]);
    expect(formatTable(['NAME', 'READY', 'STATUS'], [['r-1', '0/1', 'Error']])).toEqual([
      'NAME   READY   STATUS',
      'r-1    0/1     Error',
    ]);
    expect(podNames([pod])).toEqual(['pod/r-1']);
    expect(podList([pod])).toEqual({ apiVersion: 'v1', items: [pod], kind: 'List', metadata: { resourceVersion: '' } });
  });
});

describe('get pods -w', () => {
  it('after the list, prints a row for a run that starts and one whose status changed, not the others', () => {
    // GIVEN the list of one running run
    let out = '';
    const io = { stdout: { write: (s: string) => (out += s) } } as unknown as Io;
    const printer = new PodPrinter(undefined, undefined, io);
    const at = (s: number) => new Date(T0 * 1000 + s * 1000);
    const running = [
      { type: 'PodStarted' as const, at: at(0) },
      { type: 'ContainerStarted' as const, container: 'app', at: at(1), attempt: 0 },
    ];
    const a = runPod(compiled.workflow, running, { name: 'a', executionArn: arnOf('a') });
    printer.list([a]);
    out = '';
    // WHEN a second run starts, then the first one ends
    const b = runPod(compiled.workflow, running, { name: 'b', executionArn: arnOf('b') });
    printer.changes([b, a]);
    const ended = [...running, { type: 'ContainerExited' as const, container: 'app', at: at(5), exitCode: 0 }];
    printer.changes([b, runPod(compiled.workflow, ended, { name: 'a', executionArn: arnOf('a') })]);
    // THEN one row for each change, as kubectl get -w prints them
    expect(out.split('\n').map((line) => line.split(/ +/).slice(0, 4).join(' '))).toEqual([
      'b 1/1 Running 0',
      'a 0/1 Completed 0',
      '',
    ]);
  });
});

describe('pod2sfn delete pod', () => {
  const MIXED = `apiVersion: v1
kind: Pod
metadata: { name: mixed, annotations: { pod2sfn.dev/executor.web: ecs, pod2sfn.dev/executor.fn: lambda } }
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 12
  containers:
    - { name: web, image: nginx }
    - { name: fn, image: alpine, command: [sh, -c, "sleep 100"] }
`;
  const RUN_ARN = 'arn:aws:states:us-east-1:000000000000:execution:pod2sfn-default-mixed:r1';
  const TASK = 'arn:aws:ecs:us-east-1:000000000000:task/pod2sfn/abc';
  const CLUSTER = 'arn:aws:ecs:us-east-1:000000000000:cluster/pod2sfn';
  /** Both containers running: web's ECS task submitted, fn's Lambda invoked. */
  const RUNNING = [
    { id: 1, type: 'ExecutionStarted', timestamp: T0 },
    {
      id: 2,
      previousEventId: 1,
      type: 'ParallelStateEntered',
      timestamp: T0,
      stateEnteredEventDetails: { name: 'Containers' },
    },
    {
      id: 3,
      previousEventId: 2,
      type: 'TaskStateEntered',
      timestamp: T0,
      stateEnteredEventDetails: { name: 'ECS task: web' },
    },
    {
      id: 4,
      previousEventId: 2,
      type: 'TaskStateEntered',
      timestamp: T0,
      stateEnteredEventDetails: { name: 'Run: fn' },
    },
    { id: 5, previousEventId: 3, type: 'TaskScheduled', timestamp: T0 },
    { id: 6, previousEventId: 4, type: 'TaskScheduled', timestamp: T0 },
    { id: 7, previousEventId: 5, type: 'TaskStarted', timestamp: T0 + 1 },
    { id: 8, previousEventId: 6, type: 'TaskStarted', timestamp: T0 + 1 },
    {
      id: 9,
      previousEventId: 7,
      type: 'TaskSubmitted',
      timestamp: T0 + 2,
      taskSubmittedEventDetails: {
        resourceType: 'ecs',
        resource: 'runTask.sync',
        output: JSON.stringify({ Tasks: [{ TaskArn: TASK, ClusterArn: CLUSTER, Containers: [{ Name: 'web' }] }] }),
      },
    },
  ];

  /** Step Functions and ECS as far as delete asks them (awsJson1_0 / 1_1), recording what it sent. */
  function fakeAws(calls: Array<[string, Record<string, unknown>]>): Promise<Server> {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const target = String(req.headers['x-amz-target']).split('.').pop()!;
        calls.push([target, JSON.parse(body || '{}') as Record<string, unknown>]);
        const answers: Record<string, object> = {
          DescribeExecution: { executionArn: RUN_ARN, name: 'r1', status: 'RUNNING', startDate: T0 },
          GetExecutionHistory: { events: RUNNING },
          StopExecution: { stopDate: T0 + 5 },
          StopTask: { task: { taskArn: TASK, lastStatus: 'RUNNING', desiredStatus: 'STOPPED' } },
        };
        res.writeHead(answers[target] ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(answers[target] ?? { __type: 'UnknownOperationException' }));
      });
    });
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
  }

  afterEach(() => vi.unstubAllEnvs());

  it('stops the execution and the ECS task, and says that the Lambda invocation cannot be stopped', async () => {
    // GIVEN a run whose web container runs on ECS and fn on Lambda
    const calls: Array<[string, Record<string, unknown>]> = [];
    const aws = await fakeAws(calls);
    for (const [key, value] of Object.entries({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'k',
      AWS_SECRET_ACCESS_KEY: 's',
    }))
      vi.stubEnv(key, value);
    const dir = mkdtempSync(join(tmpdir(), 'pod2sfn-delete-'));
    writeFileSync(join(dir, 'mixed.yaml'), MIXED);
    try {
      // WHEN it is deleted, its grace period from the spec
      const endpoint = `http://127.0.0.1:${(aws.address() as AddressInfo).port}`;
      const { code, stdout, stderr } = await cli(['delete', 'pod', RUN_ARN, '-f', join(dir, 'mixed.yaml')], {
        env: { AWS_ENDPOINT_URL: endpoint },
      });
      // THEN kubectl's answer; StopExecution says the grace period; the ECS task is stopped; Lambda is said
      expect([code, stdout]).toEqual([0, 'pod "r1" deleted\n']);
      expect(calls.find(([target]) => target === 'StopExecution')![1]).toEqual({
        executionArn: RUN_ARN,
        error: 'Pod2sfn.Deleted',
        cause: 'pod2sfn delete: grace period 12s',
      });
      expect(calls.find(([target]) => target === 'StopTask')![1]).toEqual({
        cluster: CLUSTER,
        task: TASK,
        reason: 'pod2sfn delete pod r1',
      });
      expect(stderr).toBe(
        'container "fn": runs on Lambda: an invocation cannot be stopped; it runs to its end or its timeout\n' +
          `container "web": ECS task ${TASK} stopping\n`,
      );
    } finally {
      aws.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
