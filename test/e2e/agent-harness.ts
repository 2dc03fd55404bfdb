import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { CreateActivityCommand, CreateStateMachineCommand } from '@aws-sdk/client-sfn';
import { placeholdersIn, substitute } from '../../lib/asl/substitutions.js';
import { definitionJson } from '../../lib/compile.js';
import { ACCOUNT, AWS_ENV, ENDPOINT } from './env.js';
import { compileOrThrow, sfn } from './sfn.js';

/**
 * What the agent fault tests share: a pod "deployed" straight through the Step Functions API (its
 * activities and state machine, as `pod2sfn deploy` creates them, without CDK's minute), the built
 * CLI's agent as a child process, marks that containers leave, and a TCP proxy that cuts the line.
 */
export const CLI = join(import.meta.dirname, '../../dist/bin/pod2sfn.js');

export interface PodMachine {
  readonly stateMachineArn: string;
  readonly activities: readonly string[];
}

/**
 * A pod all on the activity executor, restartPolicy Never, with a short heartbeat so that a lost worker
 * shows within the test; `containers` is the YAML list under `containers:` (indented four spaces).
 */
export function activityPod(
  name: string,
  heartbeatSeconds: number,
  deadlineSeconds: number,
  containers: string,
): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  annotations: { pod2sfn.dev/executor: activity, pod2sfn.dev/heartbeat-seconds: "${heartbeatSeconds}" }
spec:
  restartPolicy: Never
  activeDeadlineSeconds: ${deadlineSeconds}
  containers:
${containers}
`;
}

/**
 * Creates the pod's activities and its STANDARD state machine; `name` must be unique per run.
 * `given` fills other placeholders (VolumeBucket).
 */
export async function createPod(name: string, yaml: string, given: Record<string, string> = {}): Promise<PodMachine> {
  const json = definitionJson(compileOrThrow(yaml));
  const values: Record<string, string> = {};
  for (const key of placeholdersIn(json).filter((k) => !(k in given))) {
    if (!key.startsWith('Activity_')) throw new Error(`${name}: only the activity executor runs here, not ${key}`);
    const activity = await sfn.send(new CreateActivityCommand({ name: `${name}-${key.slice('Activity_'.length)}` }));
    values[key] = activity.activityArn!;
  }
  const created = await sfn.send(
    new CreateStateMachineCommand({
      name,
      type: 'STANDARD',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
      definition: substitute(json, { ...values, ...given }),
    }),
  );
  return { stateMachineArn: created.stateMachineArn!, activities: Object.values(values) };
}

export interface RunningAgent {
  readonly process: ChildProcess;
  log(): string;
  readonly exited: Promise<number | null>;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
}

export interface AgentOptions {
  readonly name: string;
  readonly endpoint?: string;
  readonly args?: readonly string[];
}

/** `pod2sfn agent --activity ARN... --runtime host`, talking to `endpoint` (LocalStack, or a proxy in front). */
export function startAgent(pod: PodMachine, options: AgentOptions): RunningAgent {
  const activities = pod.activities.flatMap((a) => ['--activity', a]);
  const args = [CLI, 'agent', ...activities, '--runtime', 'host', '--worker-name', options.name];
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...AWS_ENV, AWS_ENDPOINT_URL: options.endpoint ?? ENDPOINT },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    process: child,
    log: () => log,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Container commands append a line to `<dir>/<execution>-<container>` (RUN is metadata.uid, the execution name). */
export function marks(dir: string): Map<string, number> {
  const counts = new Map<string, number>();
  if (!existsSync(dir)) return counts;
  for (const file of readdirSync(dir)) {
    counts.set(file, readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean).length);
  }
  return counts;
}

export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface CuttableLine {
  /** `http://127.0.0.1:<port>`: give it to the agent as its endpoint. */
  readonly endpoint: string;
  /** Resets every open connection and refuses new ones for `ms`: a network cut, as the agent sees one. */
  cut(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** A TCP proxy on loopback in front of LocalStack. */
export async function cuttableLine(): Promise<CuttableLine> {
  const target = new URL(ENDPOINT);
  const open = new Set<Socket>();
  let cutUntil = 0;
  const server: Server = createServer((client) => {
    if (Date.now() < cutUntil) return void client.resetAndDestroy();
    const upstream = connect(Number(target.port), target.hostname);
    open.add(client).add(upstream);
    const drop = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async cut(ms) {
      cutUntil = Date.now() + ms;
      for (const socket of open) socket.resetAndDestroy();
      open.clear();
      await new Promise((r) => setTimeout(r, ms));
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
