import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityPod, createPod, marks, startAgent, type PodMachine, type RunningAgent } from './agent-harness.js';
import { history, startExecution, waitForEnd } from './sfn.js';

/**
 * Delivery under load on LocalStack, with no fault at all: LocalStack 4.14 drops an answer that
 * comes before its interpreter armed the task's heartbeat wait (docs/agent.md), which made 4 of 10
 * concurrent runs fail; the agent answers only once a heartbeat went through. Two agents polling the
 * same activities never run a container twice.
 */
const suffix = Date.now().toString(36);
const dir = mkdtempSync(join(tmpdir(), 'pod2sfn-agent-load-'));
const MARKS = join(dir, 'marks');

function twoContainers(name: string): string {
  const container = (c: string) =>
    `    - name: ${c}
      image: alpine
      env: [{ name: RUN, valueFrom: { fieldRef: { fieldPath: metadata.uid } } }]
      command: [sh, -c, 'mkdir -p ${MARKS} && echo ran >> "${MARKS}/$RUN-${c}"']`;
  return activityPod(name, 10, 240, `${container('one')}\n${container('two')}`);
}

let pod: PodMachine;
let twoAgentsPod: PodMachine;
const agents: RunningAgent[] = [];

beforeAll(async () => {
  pod = await createPod(`load-${suffix}`, twoContainers(`load-${suffix}`));
  twoAgentsPod = await createPod(`two-agents-${suffix}`, twoContainers(`two-agents-${suffix}`));
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `count` runs at once and waits for them all; returns their final status by execution name. */
async function runMany(machine: PodMachine, prefix: string, count: number): Promise<Map<string, string>> {
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const arns = await Promise.all(names.map((name) => startExecution(machine.stateMachineArn, { name })));
  const ends = await Promise.all(arns.map((arn) => waitForEnd(arn, 180_000)));
  return new Map(ends.map((end, i) => [names[i]!, end.status!]));
}

describe('pod2sfn agent under load', () => {
  it('runs 50 concurrent runs to Succeeded, each container exactly once', async () => {
    // GIVEN 50 runs of a two-container pod started at once (before the agent: see docs/agent.md on
    // LocalStack losing a task polled while another execution starts)
    const started = Date.now();
    const running = runMany(pod, 'load', 50);
    await new Promise((r) => setTimeout(r, 8000));
    // WHEN one agent serves them, four containers at a time
    const agent = startAgent(pod, { name: 'load-agent', args: ['--concurrency', '4'] });
    agents.push(agent);
    const statuses = await running;
    const seconds = (Date.now() - started) / 1000;
    // THEN every run succeeded, and each of the 100 containers ran once
    expect(
      [...statuses.values()].filter((s) => s !== 'SUCCEEDED'),
      agent.log().slice(-3000),
    ).toEqual([]);
    const ran = marks(MARKS);
    const expected = [...statuses.keys()].flatMap((run) => [`${run}-one`, `${run}-two`]);
    expect(expected.filter((m) => ran.get(m) !== 1)).toEqual([]);
    // AND no attempt was lost and retried
    const first = `${pod.stateMachineArn.replace(':stateMachine:', ':execution:')}:load-0`;
    const timedOut = (await history(first)).filter((e) => e.type === 'ActivityTimedOut');
    expect(timedOut).toEqual([]);
    const rate = `${(50 / seconds).toFixed(2)} pods/s`;
    console.log(`[agent-load] 50 runs (100 containers) in ${seconds.toFixed(1)} s: ${rate}`);
  });

  it('shares the work of one stack between two agents without running a container twice', async () => {
    // GIVEN 16 runs started at once
    const running = runMany(twoAgentsPod, 'shared', 16);
    await new Promise((r) => setTimeout(r, 4000));
    // WHEN two agents serve the same activities
    const first = startAgent(twoAgentsPod, { name: 'agent-a', args: ['--concurrency', '2'] });
    const second = startAgent(twoAgentsPod, { name: 'agent-b', args: ['--concurrency', '2'] });
    agents.push(first, second);
    const statuses = await running;
    // THEN all succeeded, every container ran exactly once, and both agents took part
    expect([...statuses.values()].filter((s) => s !== 'SUCCEEDED')).toEqual([]);
    const ran = marks(MARKS);
    const expected = [...statuses.keys()].flatMap((run) => [`${run}-one`, `${run}-two`]);
    expect(expected.filter((m) => ran.get(m) !== 1)).toEqual([]);
    expect(first.log()).toMatch(/shared-\d+ container/);
    expect(second.log()).toMatch(/shared-\d+ container/);
  });
});
