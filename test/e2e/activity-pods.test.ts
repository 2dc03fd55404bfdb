import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ListExecutionsCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { AWS_ENV, ENDPOINT } from './env.js';
import { history, sfn, waitForEnd } from './sfn.js';

/**
 * The deploy path on LocalStack, end to end: `pod2sfn deploy` (cdk deploy), runs started through API
 * Gateway, containers run by `pod2sfn agent` (the activity executor), Pod status read back with
 * `pod2sfn status`. Everything goes through the built CLI, as a user runs it.
 */
const CLI = join(import.meta.dirname, '../../dist/bin/pod2sfn.js');
const suffix = Date.now().toString(36);
const dir = tempDir('pod2sfn-e2e-');
const env = { ...process.env, ...AWS_ENV, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const run = promisify(execFile);

function pod(name: string, restartPolicy: string, init: string, extra = ''): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `apiVersion: v1
kind: Pod
metadata:
  name: ${name}-${suffix}
  annotations: { pod2sfn.dev/executor: activity }
spec:
  restartPolicy: ${restartPolicy}
  activeDeadlineSeconds: 300
  initContainers:
${init}
  containers:
    - { name: app, image: alpine, command: [sh, -c, "echo app ran"] }
${extra}`,
  );
  return file;
}

const MARK = join(dir, 'marks');
const SPECS = {
  ok: pod(
    'ok',
    'Never',
    `    - { name: first, image: alpine, command: [sh, -c, "echo first; sleep 1"] }
    - { name: second, image: alpine, command: [sh, -c, "echo second"] }`,
  ),
  fails: pod(
    'fails',
    'Never',
    `    - { name: first, image: alpine, command: [sh, -c, "echo first"] }
    - { name: second, image: alpine, command: [sh, -c, "echo cannot migrate >&2; exit 3"] }`,
  ),
  flaky: pod(
    'flaky',
    'OnFailure',
    `    - name: flaky
      image: alpine
      env: [{ name: MARK, value: ${MARK}/flaky }]
      command: [sh, -c, 'if [ -e "$MARK" ]; then echo second try; else : > "$MARK"; echo first try fails; exit 1; fi']`,
  ),
  slow: pod('slow', 'Never', `    - { name: slow, image: alpine, command: [sh, -c, "echo working; sleep 60"] }`),
};
const urls: Record<keyof typeof SPECS, string> = { ok: '', fails: '', flaky: '', slow: '' };
let agent: ChildProcess;
let agentLog = '';

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failure = e as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, string> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, string> };
}

/** Starts a run through the API and waits for its end; returns the Pod status `pod2sfn status` prints. */
async function runThroughApi(which: keyof typeof SPECS, name: string) {
  const started = await post(urls[which], { name });
  expect(started.status).toBe(202);
  const execution = await waitForEnd(started.json.executionArn!, 150_000);
  const described = (await (await fetch(`${urls[which]}/${name}`)).json()) as { status: string };
  const status = await cli('status', started.json.executionArn!, '-o', 'json');
  return { execution, described, status, pod: JSON.parse(status.stdout) as { status: PodStatus } };
}

interface ContainerStatus {
  name: string;
  restartCount: number;
  state: { terminated?: { exitCode: number; startedAt: string; finishedAt: string }; waiting?: { reason: string } };
}
interface PodStatus {
  phase: string;
  conditions: Array<{ type: string; status: string; message?: string }>;
  initContainerStatuses: ContainerStatus[];
  containerStatuses: ContainerStatus[];
}

beforeAll(async () => {
  mkdirSync(MARK, { recursive: true });
  for (const which of Object.keys(SPECS) as Array<keyof typeof SPECS>) {
    const deployed = await cli('deploy', SPECS[which], '--endpoint', ENDPOINT);
    expect(deployed.code, deployed.stderr).toBe(0);
    urls[which] = deployed.stdout.trim();
    expect(urls[which]).toMatch(new RegExp(`^${ENDPOINT}/_aws/execute-api/\\w+/v1/runs$`));
  }
  const stacks = ['ok', 'fails', 'flaky'].flatMap((which) => ['--stack', `${which}-${suffix}`]);
  agent = spawn(process.execPath, [CLI, 'agent', ...stacks, '--concurrency', '4', '--runtime', 'host'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  agent.stderr!.on('data', (chunk: Buffer) => (agentLog += chunk.toString()));
}, 300_000);

afterAll(async () => {
  if (!agent || agent.exitCode !== null) return;
  const exited = new Promise((resolve) => agent.once('exit', resolve));
  agent.kill('SIGTERM');
  await exited;
});

describe('a pod whose containers run on pod2sfn agent', () => {
  it('succeeds, with its init containers run in order, and reads back as a Pod status', async () => {
    const { execution, described, status, pod } = await runThroughApi('ok', 'first-run');
    expect(execution.status).toBe('SUCCEEDED');
    expect(described.status).toBe('SUCCEEDED');
    expect(status.code).toBe(0);
    expect(pod.status.phase).toBe('Succeeded');
    const [first, second] = pod.status.initContainerStatuses;
    expect([first!.name, second!.name]).toEqual(['first', 'second']);
    expect([first!.state.terminated?.exitCode, second!.state.terminated?.exitCode]).toEqual([0, 0]);
    expect(Date.parse(first!.state.terminated!.finishedAt)).toBeLessThanOrEqual(
      Date.parse(second!.state.terminated!.startedAt),
    );
    expect(pod.status.conditions.find((c) => c.type === 'Initialized')?.status).toBe('True');
    expect(agentLog).toMatch(/\[first-run\/first\] first/);
  });

  it('starts one execution when the same name is posted twice', async () => {
    const one = await post(urls.ok, { name: 'same-name' });
    const two = await post(urls.ok, { name: 'same-name' });
    expect([one.status, two.status]).toEqual([202, 202]);
    expect(two.json.executionArn).toBe(one.json.executionArn);
    const stateMachineArn = one.json.executionArn!.replace(':execution:', ':stateMachine:').replace(/:same-name$/, '');
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(listed.executions!.filter((e) => e.name === 'same-name')).toHaveLength(1);
    await waitForEnd(one.json.executionArn!, 150_000);
  });

  it('answers 400 to an invalid body', async () => {
    expect((await post(urls.ok, { name: 'has spaces' })).status).toBe(400);
    expect((await post(urls.ok, { name: 'x', unknown: true })).status).toBe(400);
  });

  it('fails under restartPolicy Never when an init container fails, and never starts the app', async () => {
    const { execution, status, pod } = await runThroughApi('fails', 'failing-run');
    expect(execution.status).toBe('FAILED');
    expect(status.code).toBe(1);
    expect(pod.status.phase).toBe('Failed');
    expect(pod.status.initContainerStatuses[1]!.state.terminated?.exitCode).toBe(3);
    expect(pod.status.containerStatuses[0]!.state.waiting?.reason).toBe('PodInitializing');
    expect(pod.status.conditions.find((c) => c.type === 'Initialized')).toMatchObject({
      status: 'False',
      message: 'containers with incomplete status: [second]',
    });
  });

  it('restarts a container that fails once under OnFailure, and succeeds with restartCount 1', async () => {
    const { execution, pod } = await runThroughApi('flaky', 'flaky-run');
    expect(execution.status).toBe('SUCCEEDED');
    expect(pod.status.phase).toBe('Succeeded');
    expect(pod.status.initContainerStatuses[0]).toMatchObject({ name: 'flaky', restartCount: 1 });
  });
});

describe('pod2sfn agent stopped while it runs a container', () => {
  it('fails the task with Pod2sfn.WorkerStopped after the grace period, never dropping it', async () => {
    // GIVEN an agent of its own, running a long container
    const slow = spawn(
      process.execPath,
      [CLI, 'agent', '--stack', `slow-${suffix}`, '--grace-period', '1', '--runtime', 'host'],
      { env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    slow.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const started = await post(urls.slow, { name: 'interrupted' });
    const executionArn = started.json.executionArn!;
    await until(() => log.includes('[interrupted/slow] working'));
    // WHEN it gets SIGTERM
    const exited = new Promise<number | null>((resolve) => slow.once('exit', resolve));
    slow.kill('SIGTERM');
    // THEN it stops the container and says so to Step Functions
    expect(await exited).toBe(0);
    const failed = (await history(executionArn)).find((e) => e.type === 'ActivityFailed');
    expect(failed?.activityFailedEventDetails?.error).toBe('Pod2sfn.WorkerStopped');
    await sfn.send(new StopExecutionCommand({ executionArn }));
  });
});

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}
