import { endpointOf } from '../../endpoints.js';
import type { Workflow } from '../../model/workflow.js';
import { DELETION, historyToPodEvents, type HistoryEventLike } from '../../status/history.js';
import { trackEvents } from '../../status/pod-status.js';
import { EXIT, type Io } from '../io.js';
import { orNotFound, podRunArgument, resolveRun, type ResolvedRun } from '../run-ref.js';
import { UsageError, type Invocation } from '../verb.js';

/** Kubernetes' default terminationGracePeriodSeconds, when the spec is not at hand. */
const DEFAULT_GRACE_SECONDS = 30;

/** `pod2sfn delete` (its flags and help: lib/cli/verbs/delete.ts). */
export async function run(invocation: Invocation): Promise<number> {
  return orNotFound(invocation.io, () => deletePod(invocation));
}

async function deletePod(invocation: Invocation): Promise<number> {
  const { values, positionals, io } = invocation;
  const ref = podRunArgument(positionals, 'delete');
  if (values.api !== undefined) throw new UsageError('--api cannot stop a run: give -f FILE or --stack NAME');
  const run = await resolveRun(invocation, ref);
  const client = run.source.client!;
  const { pod } = await run.source.pod();
  const grace = graceSeconds(values['grace-period'], (pod.shape as Partial<Workflow>).terminationGracePeriodSeconds);
  if (run.status !== 'RUNNING') {
    io.stderr.write(`pod2sfn delete: run ${JSON.stringify(run.name)} already ended (${run.status}): nothing to stop\n`);
    return EXIT.ok;
  }

  const history = await run.source.history(run);
  const { StopExecutionCommand } = await import('@aws-sdk/client-sfn');
  await client.send(
    new StopExecutionCommand({ executionArn: run.executionArn, error: DELETION.error, cause: DELETION.cause(grace) }),
  );
  const tracker = trackEvents(pod.shape, historyToPodEvents(history, pod));
  const running = new Set(
    [...(tracker.status.initContainerStatuses ?? []), ...tracker.status.containerStatuses]
      .filter((s) => s.state.running !== undefined || s.state.waiting !== undefined)
      .map((s) => s.name),
  );
  for (const step of [...pod.shape.init, ...pod.shape.app]) {
    const name = step.container.name;
    if (!running.has(name)) continue;
    if (step.executor === 'lambda')
      note(io, name, 'runs on Lambda: an invocation cannot be stopped; it runs to its end or its timeout');
    else if (step.executor === 'activity')
      note(io, name, 'the pod2sfn agent stops it at its next heartbeat (SIGTERM, then SIGKILL after its grace)');
  }
  for (const task of await stopEcsTasks(history, run, io))
    note(io, task.container ?? 'ecs', `ECS task ${task.arn} stopping`);
  io.stdout.write(`pod ${JSON.stringify(run.name)} deleted\n`);
  return EXIT.ok;
}

function note(io: Io, container: string, text: string): void {
  io.stderr.write(`container ${JSON.stringify(container)}: ${text}\n`);
}

function graceSeconds(flag: unknown, fromSpec: number | undefined): number {
  if (flag === undefined) return fromSpec ?? DEFAULT_GRACE_SECONDS;
  const n = Number(flag);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--grace-period ${JSON.stringify(flag)}: use a whole number of seconds, 0 or more`);
  return n;
}

/** What an ECS RunTask answered: in TaskSubmitted for runTask.sync, in TaskSucceeded for a sidecar's runTask. */
type EcsEvent = HistoryEventLike & {
  readonly taskSubmittedEventDetails?: { resourceType?: string; output?: string };
  readonly taskScheduledEventDetails?: { resourceType?: string };
};

/** StopTask for every ECS task the run started that has not stopped: the containers the execution ran there. */
async function stopEcsTasks(
  history: readonly HistoryEventLike[],
  run: ResolvedRun,
  io: Io,
): Promise<Array<{ arn: string; container?: string }>> {
  const tasks = new Map<string, { cluster: string; container?: string }>();
  for (const event of history as readonly EcsEvent[]) {
    const output = event.taskSubmittedEventDetails?.output ?? event.taskSucceededEventDetails?.output;
    if (!output || !output.includes('TaskArn')) continue;
    try {
      const answer = JSON.parse(output) as {
        Tasks?: Array<{ TaskArn?: string; ClusterArn?: string; Containers?: Array<{ Name?: string }> }>;
      };
      for (const t of answer.Tasks ?? [])
        if (t.TaskArn && t.ClusterArn)
          tasks.set(t.TaskArn, {
            cluster: t.ClusterArn,
            ...(t.Containers?.[0]?.Name && { container: t.Containers[0].Name }),
          });
    } catch {
      // Not an ECS answer.
    }
  }
  if (tasks.size === 0) return [];
  const { ECSClient, StopTaskCommand } = await import('@aws-sdk/client-ecs');
  const ecs = new ECSClient(endpointOf(io.env, 'ECS'));
  const stopped: Array<{ arn: string; container?: string }> = [];
  for (const [arn, { cluster, container }] of tasks) {
    const answer = await ecs.send(
      new StopTaskCommand({ cluster, task: arn, reason: `pod2sfn delete pod ${run.name}` }),
    );
    if (answer.task?.lastStatus !== 'STOPPED') stopped.push({ arn, ...(container && { container }) });
  }
  return stopped;
}
