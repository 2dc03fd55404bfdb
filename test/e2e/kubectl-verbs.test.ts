import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityPod, CLI, startAgent, until, type RunningAgent } from './agent-harness.js';
import { AWS_ENV, ENDPOINT } from './env.js';

/**
 * get pods, describe pod, delete pod and status by run name, on one deployed activity pod whose runs
 * start through its runs API: `quick` runs to its end; a `long-*` run loops until it is deleted.
 */
const suffix = Date.now().toString(36);
const name = `kubectl-verbs-${suffix}`;
const dir = mkdtempSync(join(tmpdir(), 'pod2sfn-kubectl-verbs-'));
const marks = join(dir, 'marks');
const file = join(dir, 'pod.yaml');
const exec = promisify(execFile);
const env = { ...process.env, ...AWS_ENV };
let api = '';
let agent: RunningAgent | undefined;

/** The app container: a `long-*` run marks that it started, then loops until SIGTERM, which it marks. */
const APP = [
  `mkdir -p ${marks};`,
  `case "$RUN" in long*) echo up > ${marks}/$RUN-up;`,
  `trap 'echo term >> ${marks}/$RUN-term; exit 143' TERM; while :; do sleep 0.2; done;;`,
  '*) echo done;; esac',
].join(' ');

async function pod2sfn(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failed = e as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

async function phaseOf(run: string): Promise<string> {
  const { stdout } = await pod2sfn('status', run, '--api', api, '-o', 'json');
  return (JSON.parse(stdout) as { status: { phase: string } }).status.phase;
}

async function untilPhase(run: string, phase: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await phaseOf(run)) !== phase) {
    if (Date.now() > deadline) throw new Error(`${run} not ${phase} after ${timeoutMs} ms`);
  }
}

beforeAll(async () => {
  writeFileSync(
    file,
    activityPod(
      name,
      3,
      120,
      `    - name: app
      image: alpine
      env: [{ name: RUN, valueFrom: { fieldRef: { fieldPath: metadata.uid } } }]
      command: [sh, -c, ${JSON.stringify(APP)}]`,
    ).replace(
      '  containers:\n',
      '  initContainers:\n    - { name: setup, image: alpine, command: [sh, -c, "echo setting up"] }\n  containers:\n',
    ),
  );
  const { stdout } = await exec(process.execPath, [CLI, 'deploy', file, '--endpoint', ENDPOINT, '-o', 'json'], { env });
  const outputs = JSON.parse(stdout) as Record<string, string>;
  api = outputs.ApiUrl!;
  const activities = Object.entries(outputs)
    .filter(([key]) => key.startsWith('Activity'))
    .map(([, arn]) => arn);
  agent = startAgent(
    { stateMachineArn: outputs.StateMachineArn!, activities },
    { name, args: ['--grace-period', '2'] },
  );
}, 300_000);

afterAll(async () => {
  await agent?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a run started through the runs API', () => {
  it('is listed by get pods and read by status, through the API and through Step Functions', async () => {
    // GIVEN a run started through the API, run to its end by the agent
    expect((await pod2sfn('start', '--api', api, '--run-name', 'quick')).code).toBe(0);
    await untilPhase('quick', 'Succeeded', 30_000);
    // WHEN its pods are listed through the API, by stack and by FILE
    const [byApi, byStack, byFile] = await Promise.all([
      pod2sfn('get', 'pods', '--api', api),
      pod2sfn('get', 'pods', '--stack', name, '-o', 'name'),
      pod2sfn('get', 'pods', file, '-o', 'json'),
    ]);
    // THEN kubectl's table names the run, Completed; -o name and the List say the same run
    expect(byApi.stdout).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE\nquick +0\/1 +Completed +0 +\d+s\n$/);
    expect(byStack.stdout).toBe('pod/quick\n');
    const list = JSON.parse(byFile.stdout) as { kind: string; items: Array<{ metadata: { name: string } }> };
    expect([list.kind, list.items.map((p) => p.metadata.name)]).toEqual(['List', ['quick']]);
    // AND status by run name exits 0, a run that is not there exits 2 with kubectl's message
    expect((await pod2sfn('status', 'quick', '--stack', name)).code).toBe(0);
    const missing = await pod2sfn('status', 'nope', '--api', api);
    expect([missing.code, missing.stderr]).toEqual([2, 'Error from server (NotFound): pods "nope" not found\n']);
  });

  it("is described with its containers' states and the events of its history, in order", async () => {
    // GIVEN the run above WHEN it is described through the API
    const { code, stdout } = await pod2sfn('describe', 'pod', 'quick', '--api', api);
    // THEN kubectl's layout: the pod, each container's state and exit code, and the events in order
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Name: +quick\nNamespace: +default\nStart Time: +\w{3}, /);
    expect(stdout).toMatch(/\nStatus: +Succeeded\n/);
    expect(stdout).toMatch(/\n {2}app:\n {4}Image: +alpine\n {4}Executor: +activity\n/);
    expect(stdout).toMatch(/ {4}State: +Terminated\n {6}Reason: +Completed\n {6}Exit Code: +0\n/);
    expect(stdout.replace(/Logs: +/g, 'Logs: ')).toContain(`Logs: pod2sfn logs quick --api ${api} -c app\n`);
    const events = stdout
      .slice(stdout.indexOf('\nEvents:\n'))
      .split('\n')
      .slice(4)
      .filter(Boolean)
      .map((line) => line.trim().split(/ {2,}/));
    expect(events.map(([type, reason, , from, message]) => `${type} ${reason} ${from}: ${message}`)).toEqual([
      'Normal Scheduled step-functions: Successfully assigned default/quick to Step Functions',
      'Normal Created activity: Created container setup',
      'Normal Started activity: Started container setup',
      'Normal Completed activity: Container setup completed',
      'Normal Created activity: Created container app',
      'Normal Started activity: Started container app',
      'Normal Completed activity: Container app completed',
    ]);
  });
});

describe('delete pod', () => {
  it('stops the running container on the agent, and the run ends Failed', async () => {
    // GIVEN a long run whose app container is running on the agent
    expect((await pod2sfn('start', '--api', api, '--run-name', 'long-1')).code).toBe(0);
    await until(() => existsSync(join(marks, 'long-1-up')), 30_000, 'the long run to start');
    // WHEN it is deleted
    const deleted = await pod2sfn('delete', 'pod', 'long-1', '--stack', name, '--grace-period', '3');
    // THEN kubectl's answer, and the note that the agent stops the container
    expect([deleted.code, deleted.stdout]).toEqual([0, 'pod "long-1" deleted\n']);
    expect(deleted.stderr).toContain('container "app": the pod2sfn agent stops it at its next heartbeat');
    // AND the agent, whose next heartbeat Step Functions refused, stopped the container with SIGTERM
    await until(() => existsSync(join(marks, 'long-1-term')), 10_000, 'the container to get SIGTERM');
    await until(() => /long-1 container app: exited 143/.test(agent!.log()), 5_000, 'the container to end');
    // AND the run ends Failed (on AWS, Terminating for the grace period first: LocalStack 4.14 fails the
    // execution with States.Timeout at once instead of aborting it; test/status/history.test.ts), exit 1
    await untilPhase('long-1', 'Failed', 20_000);
    expect((await pod2sfn('status', 'long-1', '--api', api)).code).toBe(1);
    // AND a run that has ended is not stopped again
    const again = await pod2sfn('delete', 'pod', 'long-1', '--stack', name);
    expect([again.code, again.stderr]).toEqual([0, expect.stringContaining('already ended')]);
  });
});
