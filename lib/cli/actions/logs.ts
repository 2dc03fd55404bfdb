import { setTimeout as sleep } from 'node:timers/promises';
import { awsLogServices } from '../../logs/aws.js';
import { logLocations, type LogHistoryEvent } from '../../logs/locations.js';
import { AttemptReader } from '../../logs/read.js';
import { parseDuration, selectAttempt, selectContainers, SelectionError } from '../../logs/select.js';
import { cloudFormationClient, stateMachineLogGroup } from '../../logs/stack.js';
import type { DeployedPod } from '../../status/history.js';
import { EXIT, type Io } from '../io.js';
import { orNotFound, resolveRun, runArgument } from '../run-ref.js';
import { UsageError, type Invocation } from '../verb.js';

const FOLLOW_POLL_MS = 2000;

/** `pod2sfn logs` (its flags and help: lib/cli/verbs/logs.ts). */
export async function run(invocation: Invocation): Promise<number> {
  return orNotFound(invocation.io, () => logs(invocation));
}

async function logs(invocation: Invocation): Promise<number> {
  const { io, values } = invocation;
  const since = values.since === undefined ? undefined : sinceMs(String(values.since));
  const found = await resolveRun(invocation, runArgument(invocation.positionals));
  if (found.source.via === 'api')
    throw new UsageError('logs are read from CloudWatch Logs with AWS credentials: not through --api');
  const { executionArn, stateMachineArn, name: run } = found;
  const { pod } = await found.source.pod();
  const selection = {
    ...(values.container !== undefined && { container: String(values.container) }),
    allContainers: values['all-containers'] === true,
    previous: values.previous === true,
  };
  const containers = userError(() => selectContainers(pod.shape, run, selection));
  const agentGroup = needsAgentLogGroup(pod, containers)
    ? ((values['log-group'] as string | undefined) ?? (await stackLogGroup(stateMachineArn, pod, io)))
    : undefined;
  const reader = new AttemptReader(
    awsLogServices(io.env),
    agentGroup,
    since === undefined ? undefined : Date.now() - since,
  );
  const print = (container: string, message: string) =>
    io.stdout.write(values.prefix ? `[pod/${run}/${container}] ${message}\n` : `${message}\n`);
  for (;;) {
    const running = values.follow === true && (await found.source.describe(executionArn)).status === 'RUNNING';
    // Step Functions' own events: what the status mapper reads, with the Task details logLocations reads too.
    const attempts = logLocations((await found.source.history(found)) as LogHistoryEvent[], pod, run);
    for (const container of containers) {
      const picked = userError(() => selectAttempt(attempts, container, run, selection.previous));
      if (picked) for (const line of await reader.next(picked.attempt, picked.next)) print(container, line);
    }
    if (!running) return EXIT.ok;
    await sleep(FOLLOW_POLL_MS);
  }
}

function sinceMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined)
    throw new UsageError(`--since ${JSON.stringify(text)}: use a duration such as 10s, 5m or 1h30m`);
  return ms;
}

function userError<T>(pick: () => T): T {
  try {
    return pick();
  } catch (e) {
    if (e instanceof SelectionError) throw new UsageError(e.message);
    throw e;
  }
}

function needsAgentLogGroup(pod: DeployedPod, containers: readonly string[]): boolean {
  return [...pod.shape.init, ...pod.shape.app].some(
    (s) => s.executor === 'activity' && containers.includes(s.container.name),
  );
}

/** The log group of the stack that deployed the state machine, if a stack did and it has one. */
async function stackLogGroup(stateMachineArn: string, pod: DeployedPod, io: Io): Promise<string> {
  const cloudFormation = await cloudFormationClient(io.env);
  const { stack, logGroup } = await stateMachineLogGroup(stateMachineArn, pod.shape.name, cloudFormation);
  if (logGroup !== undefined) return logGroup;
  const why = stack === undefined ? 'no stack of pod2sfn deploy holds the state machine' : `stack ${stack} has none`;
  throw new UsageError(`no log group for the agent's containers: ${why}; give --log-group NAME`);
}
