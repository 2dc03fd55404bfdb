import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeleteActivityCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_ENV } from './env.js';
import { activityPod, CLI, createPod, cuttableLine, marks, startAgent, until } from './agent-harness.js';
import type { CuttableLine, PodMachine, RunningAgent } from './agent-harness.js';
import { history, sfn, startExecution, waitForEnd } from './sfn.js';

/**
 * The agent never loses a task (docs/agent.md): a task given to a killed, stopping or cut-off agent
 * is run again by a live one, a worker's loss never reads as DeadlineExceeded, and an execution no
 * worker serves ends by its deadline. Short heartbeats (pod2sfn.dev/heartbeat-seconds) keep it quick.
 */
const suffix = Date.now().toString(36);
const dir = mkdtempSync(join(tmpdir(), 'pod2sfn-agent-faults-'));
const MARKS = join(dir, 'marks');
const run = promisify(execFile);

/** One container that ticks for about `seconds`, then leaves a "done" mark. */
function ticker(name: string, heartbeatSeconds: number, seconds = 8, deadline = 300): string {
  const ticks = Math.round(seconds / 0.2);
  const loop = `i=0; while [ $i -lt ${ticks} ]; do echo t >> "${MARKS}/$RUN-ticks"; sleep 0.2; i=$((i+1)); done`;
  return activityPod(
    name,
    heartbeatSeconds,
    deadline,
    `    - name: tick
      image: alpine
      env: [{ name: RUN, valueFrom: { fieldRef: { fieldPath: metadata.uid } } }]
      command: [sh, -c, 'mkdir -p ${MARKS}; ${loop}; echo ran >> "${MARKS}/$RUN-done"']`,
  );
}

const agents: RunningAgent[] = [];
let line: CuttableLine | undefined;
const pods: Record<string, PodMachine> = {};

beforeAll(async () => {
  pods.short = await createPod(`faults-${suffix}`, ticker(`faults-${suffix}`, 4));
  pods.patient = await createPod(`patient-${suffix}`, ticker(`patient-${suffix}`, 30));
  pods.gone = await createPod(`gone-${suffix}`, ticker(`gone-${suffix}`, 4));
  pods.unserved = await createPod(`unserved-${suffix}`, ticker(`unserved-${suffix}`, 2, 1, 6));
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await line?.close();
  rmSync(dir, { recursive: true, force: true });
});

function agent(pod: PodMachine, name: string, options: { endpoint?: string; args?: string[] } = {}): RunningAgent {
  const started = startAgent(pod, { name, ...options });
  agents.push(started);
  return started;
}

const ticks = (execution: string) => marks(MARKS).get(`${execution}-ticks`) ?? 0;
const done = (execution: string) => marks(MARKS).get(`${execution}-done`) ?? 0;
const arnOf = (pod: PodMachine, execution: string) =>
  `${pod.stateMachineArn.replace(':stateMachine:', ':execution:')}:${execution}`;

/** `pod2sfn status -o json`: every container status reason, to check none says DeadlineExceeded. */
async function reasons(executionArn: string): Promise<string[]> {
  const env = { ...process.env, ...AWS_ENV };
  const { stdout } = await run(process.execPath, [CLI, 'status', executionArn, '-o', 'json'], { env });
  type Reasoned = { reason?: string };
  type Status = Reasoned & { containerStatuses: Array<{ state: Record<string, Reasoned> }> };
  const { status } = JSON.parse(stdout) as { status: Status };
  const containers = status.containerStatuses.flatMap((c) => Object.values(c.state).map((s) => s.reason ?? ''));
  return [status.reason ?? '', ...containers];
}

describe('pod2sfn agent under faults', () => {
  it('SIGKILL mid-container: the container dies with the agent, and a live agent runs the task again', async () => {
    // GIVEN an agent running a container
    const killed = agent(pods.short!, 'killed');
    await startExecution(pods.short!.stateMachineArn, { name: 'killed-run' });
    await until(() => ticks('killed-run') > 0, 30_000, 'the container to start');
    // WHEN the agent is SIGKILLed
    killed.process.kill('SIGKILL');
    await killed.exited;
    // THEN its container stops too
    await new Promise((r) => setTimeout(r, 1000));
    const after = ticks('killed-run');
    await new Promise((r) => setTimeout(r, 1500));
    expect(ticks('killed-run')).toBe(after);
    // AND another agent runs the task once the heartbeat times out, which no status reads as a deadline
    agent(pods.short!, 'survivor');
    const end = await waitForEnd(arnOf(pods.short!, 'killed-run'), 60_000);
    expect(end.status).toBe('SUCCEEDED');
    expect(done('killed-run')).toBe(1);
    const events = await history(end.executionArn!);
    // (once, or twice when the retry went to a long poll the killed agent left open on the server,
    // which LocalStack keeps serving after its client is gone: docs/agent.md)
    const timedOut = events.filter((e) => e.type === 'ActivityTimedOut');
    expect(timedOut.length).toBeGreaterThanOrEqual(1);
    expect(new Set(timedOut.map((e) => e.activityTimedOutEventDetails?.error))).toEqual(new Set(['States.Timeout']));
    expect(await reasons(end.executionArn!)).not.toContain('DeadlineExceeded');
  });

  it('SIGTERM: the stopping agent hands its task back, aborts its polls; a live agent runs it', async () => {
    // GIVEN an agent (the survivor of the last test is stopped first) running a container
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    const stopping = agent(pods.short!, 'stopping', { args: ['--grace-period', '1'] });
    await startExecution(pods.short!.stateMachineArn, { name: 'stopped-run' });
    await until(() => ticks('stopped-run') > 0, 30_000, 'the container to start');
    // WHEN it gets SIGTERM
    const stoppedAt = Date.now();
    expect(await stopping.stop()).toBe(0);
    // THEN it stopped at once, failed its task with WorkerStopped, and a new agent runs it to the end
    expect(Date.now() - stoppedAt).toBeLessThan(8_000);
    agent(pods.short!, 'successor');
    const end = await waitForEnd(arnOf(pods.short!, 'stopped-run'), 60_000);
    expect(end.status).toBe('SUCCEEDED');
    expect(done('stopped-run')).toBe(1);
    const events = await history(end.executionArn!);
    const failed = events.find((e) => e.type === 'ActivityFailed');
    expect(failed?.activityFailedEventDetails?.error).toBe('Pod2sfn.WorkerStopped');
  });

  it('a 20 s cut, shorter than the heartbeat: the running task survives, a task sent meanwhile arrives', async () => {
    // GIVEN an agent behind a line that can be cut, running a container (HeartbeatSeconds 30)
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    line = await cuttableLine();
    agent(pods.patient!, 'behind-the-line', { endpoint: line.endpoint });
    await startExecution(pods.patient!.stateMachineArn, { name: 'cut-run' });
    await until(() => ticks('cut-run') > 0, 30_000, 'the container to start');
    // WHEN the line is cut for 20 s, and another run starts during the cut
    const cut = line.cut(20_000);
    await new Promise((r) => setTimeout(r, 2000));
    await startExecution(pods.patient!.stateMachineArn, { name: 'during-cut' });
    await cut;
    // THEN both succeed, each container having run once
    const ends = ['cut-run', 'during-cut'].map((e) => waitForEnd(arnOf(pods.patient!, e), 90_000));
    const [first, second] = await Promise.all(ends);
    expect([first.status, second.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect([done('cut-run'), done('during-cut')]).toEqual([1, 1]);
    expect((await history(first.executionArn!)).some((e) => e.type === 'ActivityTimedOut')).toBe(false);
  });

  it('a cut longer than the heartbeat: the lost task runs again after it, never read as DeadlineExceeded', async () => {
    // GIVEN an agent behind the line, running a container (HeartbeatSeconds 4)
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    const behind = agent(pods.short!, 'cut-off', { endpoint: line!.endpoint });
    await startExecution(pods.short!.stateMachineArn, { name: 'long-cut' });
    await until(() => ticks('long-cut') > 0, 30_000, 'the container to start');
    // WHEN the line is cut for 10 s
    await line!.cut(10_000);
    // THEN the task timed out during the cut, ran again once the agent was back, and the run succeeded
    const end = await waitForEnd(arnOf(pods.short!, 'long-cut'), 90_000);
    expect(end.status, behind.log().slice(-2000)).toBe('SUCCEEDED');
    const events = await history(end.executionArn!);
    expect(events.filter((e) => e.type === 'ActivityTimedOut').length).toBeGreaterThanOrEqual(1);
    expect(await reasons(end.executionArn!)).not.toContain('DeadlineExceeded');
  });

  it('an activity that disappeared (LocalStack restarted): the agent says so once and exits 70', async () => {
    // GIVEN activities that no longer exist
    for (const activityArn of pods.gone!.activities) await sfn.send(new DeleteActivityCommand({ activityArn }));
    // WHEN an agent serves them
    const orphan = agent(pods.gone!, 'orphan');
    // THEN it stops by itself, non-zero, having said why once per activity
    expect(await Promise.race([orphan.exited, new Promise((r) => setTimeout(r, 20_000, 'still running'))])).toBe(70);
    expect(orphan.log().match(/does not exist/g)).toHaveLength(pods.gone!.activities.length);
  });

  it('with no agent at all, an execution ends at its deadline rather than running forever', async () => {
    // GIVEN a pod with a 6 s deadline, and no agent serving it
    const arn = await startExecution(pods.unserved!.stateMachineArn, { name: 'nobody' });
    // WHEN nobody takes the task
    const end = await waitForEnd(arn, 30_000);
    // THEN the execution timed out at its deadline
    expect(end.status).toBe('TIMED_OUT');
  });
});
