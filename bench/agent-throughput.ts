/**
 * npm run bench:agent — `pod2sfn agent`'s throughput on LocalStack (pods/s) beside a bare worker's on
 * the same LocalStack: the bare worker polls, heartbeats until Step Functions accepts it (see
 * docs/agent.md: LocalStack ignores an earlier answer) and answers {exitCode: 0} without running
 * anything, so it is the floor LocalStack's activity delivery allows. A naive worker that answers at
 * once is shown too, with the attempts LocalStack lost. Each row: RUNS one-container pods, started
 * before their worker, CONCURRENCY at a time. Uses LOCALSTACK_ENDPOINT (default
 * http://127.0.0.1:4566), starting LocalStack with scripts/localstack/up.sh when nothing answers
 * there (and stopping it after). Needs `npm run build` first (the npm script does it).
 */
import { execFileSync } from 'node:child_process';
import {
  GetActivityTaskCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { activityPod, createPod, startAgent, type PodMachine } from '../test/e2e/agent-harness.js';
import { ENDPOINT } from '../test/e2e/env.js';
import { history, sfn, startExecution, waitForEnd } from '../test/e2e/sfn.js';

const RUNS = Number(process.env.BENCH_AGENT_RUNS ?? 30);
const CONCURRENCY = Number(process.env.BENCH_AGENT_CONCURRENCY ?? 4);
const suffix = Date.now().toString(36);

function pod(name: string): string {
  return activityPod(name, 5, 600, '    - { name: app, image: alpine, command: [sh, -c, "true"] }');
}

async function healthy(): Promise<boolean> {
  return fetch(`${ENDPOINT}/_localstack/health`).then(
    (r) => r.ok,
    () => false,
  );
}

/** Starts RUNS executions, then the worker; the wall time until all ended, and the lost attempts. */
async function measure(name: string, serve: (pod: PodMachine, stop: AbortSignal) => Promise<unknown>) {
  const machine = await createPod(`${name}-${suffix}`, pod(`${name}-${suffix}`));
  const names = Array.from({ length: RUNS }, (_, i) => `r${i}`);
  const arns = await Promise.all(names.map((run) => startExecution(machine.stateMachineArn, { name: run })));
  const stop = new AbortController();
  const started = performance.now();
  const serving = serve(machine, stop.signal);
  const ends = await Promise.all(arns.map((arn) => waitForEnd(arn, 600_000)));
  const seconds = (performance.now() - started) / 1000;
  stop.abort();
  await serving;
  const lost = (await Promise.all(arns.map(history))).flat().filter((e) => e.type === 'ActivityTimedOut').length;
  const succeeded = ends.filter((e) => e.status === 'SUCCEEDED').length;
  return { seconds, podsPerSecond: RUNS / seconds, succeeded, lost };
}

/** CONCURRENCY pollers on the pod's activity; `ready` makes them heartbeat before answering. */
async function bareWorker(client: SFNClient, machine: PodMachine, signal: AbortSignal, ready: boolean): Promise<void> {
  const poller = async () => {
    while (!signal.aborted) {
      const poll = new GetActivityTaskCommand({ activityArn: machine.activities[0]!, workerName: 'bare' });
      const task = await client.send(poll, { abortSignal: signal }).catch(() => undefined);
      if (!task?.taskToken) continue;
      for (let tries = 0; ready && tries < 100; tries++) {
        const heartbeat = new SendTaskHeartbeatCommand({ taskToken: task.taskToken });
        const accepted = await client.send(heartbeat).then(
          () => true,
          () => false,
        );
        if (accepted) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const output = '{"exitCode":0,"message":""}';
      await client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output })).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, poller));
}

const started = !(await healthy());
if (started) execFileSync('bash', ['scripts/localstack/up.sh'], { stdio: 'inherit' });
try {
  const rows: Array<[string, Awaited<ReturnType<typeof measure>>]> = [];
  rows.push([
    `pod2sfn agent --concurrency ${CONCURRENCY} (host runtime)`,
    await measure('bench-agent', async (machine, stop) => {
      const agent = startAgent(machine, { name: 'bench', args: ['--concurrency', String(CONCURRENCY)] });
      await new Promise((r) => stop.addEventListener('abort', r, { once: true }));
      await agent.stop();
    }),
  ]);
  const bare = await measure('bench-bare', (m, s) => bareWorker(sfn, m, s, true));
  rows.push([`bare worker, ${CONCURRENCY} pollers, heartbeat first`, bare]);
  const naive = await measure('bench-naive', (m, s) => bareWorker(sfn, m, s, false));
  rows.push([`naive worker, ${CONCURRENCY} pollers, answers at once`, naive]);
  console.log(`\nActivity throughput on LocalStack (${ENDPOINT}), ${RUNS} one-container pods per row\n`);
  for (const [label, r] of rows) {
    const rate = `${r.podsPerSecond.toFixed(2).padStart(6)} pods/s`;
    const detail = `${r.seconds.toFixed(1)} s, ${r.succeeded}/${RUNS} succeeded, ${r.lost} attempts lost`;
    console.log(`${label.padEnd(52)} ${rate}  (${detail})`);
  }
} finally {
  if (started) execFileSync('bash', ['scripts/localstack/down.sh'], { stdio: 'inherit' });
}
