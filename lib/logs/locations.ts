/**
 * Where each container attempt of a run wrote its output, read from the execution history alone
 * (pure, no AWS SDK: the Lambda runner bundles this module too):
 *
 * - `activity`: `pod2sfn agent` ships it to the pod's log group, stream `<run>/<container>/<n>`,
 *   n counting the container's attempts that reached an agent (ActivityStarted) from 0;
 * - `ecs`: the awslogs driver, stream `<step id>/<container>/<task id>` (lib/executors/ecs: the stream
 *   prefix is the step id) in the log group of the task definition;
 * - `lambda`: the runner function's log group; the invocation's lines follow the runner's marker line
 *   (`runnerMarker`) up to the Lambda's END line, in one stream.
 */
import { asRecord, parseObject } from '../json.js';
import type { Executor } from '../model/workflow.js';
import type { DeployedPod, HistoryEventLike } from '../status/history.js';
import { taskOwners } from '../status/task-owners.js';

export type LogLocation =
  | { readonly executor: 'activity'; readonly stream: string }
  | { readonly executor: 'ecs'; readonly stream?: string; readonly taskArn?: string; readonly taskDefinition?: string }
  | { readonly executor: 'lambda'; readonly functionName?: string; readonly marker: string };

/** One attempt of one container: attempt 0 is the first run, n > 0 the restart n (or a transient retry). */
export interface AttemptLogs {
  readonly container: string;
  readonly attempt: number;
  readonly startedAt: Date;
  readonly location: LogLocation;
}

/** What the locations read besides the status's fields: a Task's parameters and a submitted ECS task. */
export interface LogHistoryEvent extends HistoryEventLike {
  readonly taskScheduledEventDetails?: { readonly parameters?: string | undefined } | undefined;
  readonly taskSubmittedEventDetails?: { readonly output?: string | undefined } | undefined;
}

/** The output of a pod's stack that names the log group its agents ship to (lib/executors/activity/aws.ts). */
export const AGENT_LOG_GROUP_OUTPUT = 'AgentLogGroup';

/** Log stream names may not hold ':' or '*'. */
const streamPart = (text: string) => text.replace(/[:*]/g, '_');

export function agentStreamPrefix(run: string, container: string): string {
  return `${streamPart(run)}/${streamPart(container)}/`;
}

export function agentStreamName(run: string, container: string, attempt: number): string {
  return `${agentStreamPrefix(run, container)}${attempt}`;
}

/** The line the Lambda runner prints before the container's output (lambdas/container-runner). */
export function runnerMarker(run: string, container: string): string {
  return `pod2sfn: run ${run} container ${container}`;
}

/** Every container attempt of the run `run` in the order they started, with where its output is. */
export function logLocations(history: readonly LogHistoryEvent[], pod: DeployedPod, run: string): AttemptLogs[] {
  const events = [...history].sort((a, b) => a.id - b.id);
  const ownerOf = taskOwners(events, pod.tasks);
  const steps = new Map([...pod.shape.init, ...pod.shape.app].map((s) => [s.id, s]));
  const current = new Map<string, Draft>();
  const drafts: Draft[] = [];
  for (const event of events) {
    const binding = ownerOf(event);
    const step = binding && binding.action !== 'stop' ? steps.get(binding.stepId) : undefined;
    if (!step) continue;
    const begins = step.executor === 'activity' ? event.type === 'ActivityStarted' : event.type === 'TaskScheduled';
    if (begins) {
      const draft: Draft = { container: step.container.name, stepId: step.id, executor: step.executor, event };
      drafts.push(draft);
      current.set(step.id, draft);
    } else if (step.executor === 'ecs') {
      const draft = current.get(step.id);
      if (draft) draft.taskArn ??= taskArnIn(event);
    }
  }
  const counts = new Map<string, number>();
  return drafts.map((d) => {
    const attempt = counts.get(d.stepId) ?? 0;
    counts.set(d.stepId, attempt + 1);
    return { container: d.container, attempt, startedAt: d.event.timestamp, location: locationOf(d, run, attempt) };
  });
}

interface Draft {
  readonly container: string;
  readonly stepId: string;
  readonly executor: Executor;
  /** The event the attempt began with. */
  readonly event: LogHistoryEvent;
  taskArn?: string;
}

function locationOf(d: Draft, run: string, attempt: number): LogLocation {
  if (d.executor === 'activity') return { executor: 'activity', stream: agentStreamName(run, d.container, attempt) };
  const parameters = parseObject(d.event.taskScheduledEventDetails?.parameters) ?? {};
  if (d.executor === 'lambda') {
    const name = parameters.FunctionName;
    return {
      executor: 'lambda',
      ...(typeof name === 'string' && { functionName: name }),
      marker: runnerMarker(run, d.container),
    };
  }
  const taskDefinition = parameters.TaskDefinition;
  const taskId = d.taskArn?.split('/').at(-1);
  return {
    executor: 'ecs',
    ...(typeof taskDefinition === 'string' && { taskDefinition }),
    ...(d.taskArn !== undefined && { taskArn: d.taskArn, stream: `${d.stepId}/${d.container}/${taskId}` }),
  };
}

/** The ECS task an event of runTask names: its submission, its stopped description, or a failure's cause. */
function taskArnIn(event: LogHistoryEvent): string | undefined {
  const text =
    event.taskSubmittedEventDetails?.output ??
    event.taskSucceededEventDetails?.output ??
    event.taskFailedEventDetails?.cause;
  const value = parseObject(text);
  if (!value) return undefined;
  const first = Array.isArray(value.Tasks) ? asRecord(value.Tasks[0]) : undefined;
  const arn = first?.TaskArn ?? value.TaskArn ?? value.taskArn;
  return typeof arn === 'string' ? arn : undefined;
}
