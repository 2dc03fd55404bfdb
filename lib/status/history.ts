/**
 * AWS execution history → PodEvent[]: what `pod2sfn status` feeds the same status mapper as `run`.
 *
 * Which Task state is which container comes from the emitter's TaskBindings (`Compiled.tasks`), or,
 * when only the deployed definition is at hand, from `deployedPod(definition)`, which reads them back
 * from the state names the emitter gives; ./task-owners.ts finds the Task each event belongs to. What a
 * Task's events say of its container is for its executor to read (HISTORY_READERS,
 * lib/executors/<executor>/history.ts). Imports no AWS SDK code: the event shape is structural.
 */
import type { TaskBinding } from '../asl/emit.js';
import { parseJson, parseObject } from '../json.js';
import { ERRORS, type ContainerFailureCause } from '../asl/errors.js';
import { STATE_NAMES } from '../asl/names.js';
import type { ParallelState, StateMachineFragment, TaskState } from '../asl/types.js';
import type { ErrorDetails } from '../executors/contract.js';
import { HISTORY_READERS } from '../executors/history.js';
import { describeError } from '../executors/readings.js';
import type { PodShape, StepShape } from '../model/pod-shape.js';
import { JOB_POD_BACKOFF } from '../model/backoff.js';
import { EXECUTORS } from '../model/executor.js';
import { stepIdOf, type Backoff, type Executor, type Role } from '../model/workflow.js';
import type { PodEvent } from './events.js';
import { finishedEvent, type RunEnding } from './outcome.js';
import { taskOwners } from './task-owners.js';

/** The fields of @aws-sdk/client-sfn's HistoryEvent that matter here (its objects fit this type). */
export interface HistoryEventLike {
  readonly id: number;
  readonly previousEventId?: number | undefined;
  readonly timestamp: Date;
  readonly type: string;
  readonly stateEnteredEventDetails?: { readonly name?: string | undefined } | undefined;
  readonly taskSucceededEventDetails?: { readonly output?: string | undefined } | undefined;
  readonly taskFailedEventDetails?: ErrorDetails | undefined;
  readonly taskTimedOutEventDetails?: ErrorDetails | undefined;
  readonly taskStartFailedEventDetails?: ErrorDetails | undefined;
  readonly taskSubmitFailedEventDetails?: ErrorDetails | undefined;
  readonly activitySucceededEventDetails?: { readonly output?: string | undefined } | undefined;
  readonly activityFailedEventDetails?: ErrorDetails | undefined;
  readonly activityTimedOutEventDetails?: ErrorDetails | undefined;
  readonly activityScheduleFailedEventDetails?: ErrorDetails | undefined;
  readonly activityScheduledEventDetails?: { readonly timeoutInSeconds?: number | undefined } | undefined;
  readonly executionFailedEventDetails?: ErrorDetails | undefined;
  readonly executionTimedOutEventDetails?: ErrorDetails | undefined;
  readonly executionAbortedEventDetails?: ErrorDetails | undefined;
}

/** What the translation needs to know about the pod. */
export interface DeployedPod {
  readonly shape: PodShape;
  readonly tasks: readonly TaskBinding[];
}

const SCHEDULED = new Set(['TaskScheduled', 'ActivityScheduled']);
const STARTED = new Set(['TaskStarted', 'ActivityStarted']);
const SUCCEEDED = new Set(['TaskSucceeded', 'ActivitySucceeded']);
const FAILED = new Set([
  'TaskFailed',
  'ActivityFailed',
  'TaskStartFailed',
  'TaskSubmitFailed',
  'ActivityScheduleFailed',
]);
const TIMED_OUT = new Set(['TaskTimedOut', 'ActivityTimedOut']);
const FINISHED = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);

/**
 * What `pod2sfn delete` stops a run with (StopExecution's error and cause): the pod is Terminating
 * for the grace period its containers get, as a deleted Pod is, and then Failed.
 */
export const DELETION = {
  error: 'Pod2sfn.Deleted',
  cause: (graceSeconds: number) => `pod2sfn delete: grace period ${graceSeconds}s`,
} as const;

/** The grace period of a run that `pod2sfn delete` stopped; undefined for any other ending. */
function deletionGraceOf(event: HistoryEventLike): number | undefined {
  const details = event.executionAbortedEventDetails;
  if (event.type !== 'ExecutionAborted' || details?.error !== DELETION.error) return undefined;
  return Number(/grace period (\d+)s/.exec(details.cause ?? '')?.[1] ?? 0);
}

/**
 * `now`, when given, leaves out what has not happened yet: a deleted run's end, which comes once its
 * grace period is over (until then the pod is Terminating).
 */
export function historyToPodEvents(history: readonly HistoryEventLike[], pod: DeployedPod, now?: Date): PodEvent[] {
  const events = [...history].sort((a, b) => a.id - b.id);
  const byId = new Map(events.map((e) => [e.id, e]));
  const steps = new Map([...pod.shape.init, ...pod.shape.app].map((s) => [s.id, s]));
  const ownerOf = taskOwners(events, pod.tasks);

  const finished = events.some((e) => FINISHED.has(e.type));
  const exits = new Map<string, number>();
  const out: PodEvent[] = [];
  events.forEach((event, index) => {
    const at = event.timestamp;
    if (event.type === 'ExecutionStarted') {
      out.push({ type: 'PodStarted', at });
      return;
    }
    if (FINISHED.has(event.type)) {
      const grace = deletionGraceOf(event);
      if (grace !== undefined) out.push({ type: 'PodStopping', at, reason: 'Interrupted' });
      const end = new Date(at.getTime() + (grace ?? 0) * 1000);
      if (now === undefined || end <= now) out.push(podFinished(event, pod.shape, end));
      return;
    }
    const binding =
      SCHEDULED.has(event.type) ||
      STARTED.has(event.type) ||
      SUCCEEDED.has(event.type) ||
      FAILED.has(event.type) ||
      TIMED_OUT.has(event.type)
        ? ownerOf(event)
        : undefined;
    const step = binding && steps.get(binding.stepId);
    if (!binding || !step) return;
    const container = step.container.name;
    const attempt = exits.get(step.id) ?? 0;
    const exited = (exitCode: number, message?: string, reason?: string) => {
      out.push({
        type: 'ContainerExited',
        container,
        at,
        exitCode,
        ...(message ? { message } : {}),
        ...(reason ? { reason } : {}),
      });
      exits.set(step.id, attempt + 1);
      if (exitCode !== 0 && willRestart(step, attempt + 1, events.slice(index + 1), ownerOf, finished)) {
        out.push({
          type: 'ContainerWaiting',
          container,
          at,
          reason: 'CrashLoopBackOff',
          message: `back-off restarting failed container ${container}`,
        });
      }
    };
    const waiting = (reason: string, message?: string) =>
      out.push({ type: 'ContainerWaiting', container, at, reason, ...(message ? { message } : {}) });
    // A Task scheduled and not yet running: kubectl shows init containers then as Init:i/N.
    const creating = step.role === 'app' ? 'ContainerCreating' : 'PodInitializing';

    if (binding.action === 'stop') {
      if (SUCCEEDED.has(event.type) || FAILED.has(event.type))
        out.push({ type: 'ContainerExited', container, at, exitCode: 0, reason: 'Completed' });
      return;
    }
    if (binding.action === 'start') {
      if (SCHEDULED.has(event.type)) waiting(creating);
      else if (SUCCEEDED.has(event.type)) out.push({ type: 'ContainerStarted', container, at, attempt });
      else if (FAILED.has(event.type) || TIMED_OUT.has(event.type))
        waiting('CreateContainerError', describeError(errorOf(event)));
      return;
    }
    if (SCHEDULED.has(event.type)) waiting(creating);
    else if (STARTED.has(event.type)) out.push({ type: 'ContainerStarted', container, at, attempt });
    else if (SUCCEEDED.has(event.type)) {
      const result = HISTORY_READERS[step.executor].succeeded(outputOf(event));
      if (result.exitCode !== undefined) exited(result.exitCode, result.message, result.reason);
      else waiting(result.reason ?? 'CreateContainerError', result.message);
    } else if (TIMED_OUT.has(event.type)) {
      const error = errorOf(event);
      const timedOut = activityTimeout(event, error, byId);
      if (timedOut === 'heartbeat') {
        waiting('ContainerStatusUnknown', 'the pod2sfn agent running the container stopped sending heartbeats');
      } else if (timedOut === 'unclaimed') {
        waiting(creating, 'no pod2sfn agent took the container within its TimeoutSeconds');
      } else {
        exited(137, describeError(error), 'DeadlineExceeded');
      }
    } else if (FAILED.has(event.type)) {
      const error = errorOf(event);
      const exit = HISTORY_READERS[step.executor].failed(error);
      if (exit?.exitCode !== undefined) exited(exit.exitCode, exit.message || undefined, exit.reason);
      else if (exit?.reason) waiting(exit.reason, exit.message);
      else if (error.error === ERRORS.containerNotStarted) waiting('CreateContainerConfigError', error.cause);
      else if (error.error === 'States.Timeout') exited(137, describeError(error), 'DeadlineExceeded');
      else waiting('ContainerCreating', describeError(error));
    }
  });
  return out;
}

/** A failed attempt is followed by CrashLoopBackOff when the container is tried again (or will be). */
function willRestart(
  step: StepShape,
  exitsSoFar: number,
  later: readonly HistoryEventLike[],
  ownerOf: (e: HistoryEventLike) => TaskBinding | undefined,
  finished: boolean,
): boolean {
  const again = later.find(
    (e) => SCHEDULED.has(e.type) && ownerOf(e)?.stepId === step.id && ownerOf(e)?.action === 'run',
  );
  if (again) return true;
  if (finished || !step.restart) return false;
  // Still running, no new attempt yet: Step Functions is waiting out the retry interval, unless the
  // failure was caught (the state machine moved on) or the attempts are spent.
  const movedOn = later.some((e) => e.type.endsWith('StateExited') || e.type.endsWith('StateEntered'));
  return !movedOn && exitsSoFar <= step.restart.maxAttempts;
}

/**
 * Which timeout ended an activity attempt. A lost worker's heartbeat timeout is States.HeartbeatTimeout
 * on AWS but States.Timeout on LocalStack, like the Task's TimeoutSeconds: it is the heartbeat when it
 * came before TimeoutSeconds (ActivityScheduled says how long that is). A worker's loss is never a
 * DeadlineExceeded; a task no worker ever took is still waiting to be created.
 */
function activityTimeout(
  event: HistoryEventLike,
  error: ErrorDetails,
  byId: ReadonlyMap<number, HistoryEventLike>,
): 'heartbeat' | 'unclaimed' | undefined {
  if (error.error === 'States.HeartbeatTimeout') return 'heartbeat';
  if (event.type !== 'ActivityTimedOut') return undefined;
  let started = false;
  let scheduled = event.previousEventId === undefined ? undefined : byId.get(event.previousEventId);
  while (scheduled && scheduled.type !== 'ActivityScheduled') {
    started ||= scheduled.type === 'ActivityStarted';
    scheduled = scheduled.previousEventId === undefined ? undefined : byId.get(scheduled.previousEventId);
  }
  const limit = scheduled?.activityScheduledEventDetails?.timeoutInSeconds;
  const elapsed = scheduled ? (event.timestamp.getTime() - scheduled.timestamp.getTime()) / 1000 : 0;
  if (limit === undefined || elapsed < limit - 0.5) return started ? 'heartbeat' : 'unclaimed';
  return started ? undefined : 'unclaimed';
}

function errorOf(event: HistoryEventLike): ErrorDetails {
  return (
    event.taskFailedEventDetails ??
    event.activityFailedEventDetails ??
    event.taskTimedOutEventDetails ??
    event.activityTimedOutEventDetails ??
    event.taskStartFailedEventDetails ??
    event.taskSubmitFailedEventDetails ??
    event.activityScheduleFailedEventDetails ??
    {}
  );
}

/** A successful Task's output: what its executor answered. */
function outputOf(event: HistoryEventLike): Record<string, unknown> {
  return parseObject(event.taskSucceededEventDetails?.output ?? event.activitySucceededEventDetails?.output) ?? {};
}

/** The execution's last event, as the one pod outcome reads it (./outcome.ts). */
function podFinished(event: HistoryEventLike, shape: PodShape, at: Date): PodEvent {
  return finishedEvent(shape, runEnding(event), at);
}

function runEnding(event: HistoryEventLike): RunEnding {
  switch (event.type) {
    case 'ExecutionSucceeded':
      return { status: 'succeeded' };
    case 'ExecutionTimedOut':
      return { status: 'timedOut' };
    case 'ExecutionAborted': {
      const message = describeError(event.executionAbortedEventDetails ?? {});
      return { status: 'aborted', message: message || 'the execution was stopped' };
    }
    default: {
      const error = event.executionFailedEventDetails ?? {};
      return { status: 'failed', error: error.error ?? '', cause: error.cause ?? '' };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The pod, read back from a deployed definition (when the spec is not at hand).

/**
 * The Workflow skeleton and TaskBindings of a definition pod2sfn emitted: container names and
 * roles from the state names, executors from the states (each executor's history reader knows its
 * own), restarts from the Retry on Pod2sfn.ContainerFailed, command and image from the task input
 * where it is carried (lambda, activity). Enough for the status mapper; not enough to run the pod.
 */
export function deployedPod(
  definition: { readonly Comment?: string; readonly TimeoutSeconds?: number } & StateMachineFragment,
): DeployedPod {
  const [, kind = 'Pod', namespace = 'default', name = 'pod'] =
    /^pod2sfn: (\S+) ([^/]+)\/(\S+)$/.exec(definition.Comment ?? '') ?? [];
  let body: StateMachineFragment = definition;
  const top = definition.States[definition.StartAt];
  if (top?.Type === 'Parallel' && Object.keys(definition.States).length === 1 && top.Branches.length === 1)
    body = top.Branches[0]!;

  const init: StepShape[] = [];
  const app: StepShape[] = [];
  const tasks: TaskBinding[] = [];
  const visit = (fragment: StateMachineFragment) => {
    for (const [stateName, state] of Object.entries(fragment.States)) {
      if (state.Type === 'Parallel' && stateName === STATE_NAMES.containers) {
        for (const branch of state.Branches) visit(branch);
        continue;
      }
      const stopped = STATE_NAMES.stopSidecar.containerIn(stateName);
      if (stopped && state.Type === 'Task') {
        tasks.push({ state: stateName, stepId: stepIdOf(stopped), action: 'stop' });
        continue;
      }
      const role = STEP_ROLES.find((r) => STATE_NAMES.step[r].names(stateName));
      if (!role || (state.Type !== 'Task' && state.Type !== 'Parallel')) continue;
      const executor = EXECUTORS.find((e) => HISTORY_READERS[e].runs(state));
      if (!executor) continue;
      const index = role === 'app' ? app.length : init.length;
      const step = stepOf(STATE_NAMES.step[role].containerIn(stateName)!, role, executor, state, index);
      (role === 'app' ? app : init).push(step);
      const action = role === 'sidecar' ? 'start' : 'run';
      if (state.Type === 'Task') tasks.push({ state: stateName, stepId: step.id, action });
      else
        for (const branch of state.Branches)
          for (const [inner, s] of Object.entries(branch.States))
            if (s.Type === 'Task') tasks.push({ state: inner, stepId: step.id, action });
    }
  };
  visit(body);
  const pod: PodShape = {
    name,
    namespace,
    kind,
    labels: {},
    annotations: {},
    init,
    app,
    ...(definition.TimeoutSeconds !== undefined && { deadlineSeconds: definition.TimeoutSeconds }),
    ...(top?.Type === 'Parallel' &&
      body !== definition && { podRetry: backoffOf(top, 'States.ALL') ?? { ...JOB_POD_BACKOFF, maxAttempts: 0 } }),
  };
  return { shape: pod, tasks };
}

const STEP_ROLES = Object.keys(STATE_NAMES.step) as Role[];

function recordsFailure(state: string): boolean {
  return STATE_NAMES.failed.names(state) || STATE_NAMES.exitFailure.names(state);
}

function stepOf(
  nameFromState: string,
  role: Role,
  executor: Executor,
  state: TaskState | ParallelState,
  index: number,
): StepShape {
  const wire = HISTORY_READERS[executor].containerIn(state);
  const name = typeof wire?.name === 'string' ? wire.name : nameFromState;
  const strings = (text: unknown): string[] => {
    const parsed = typeof text === 'string' ? parseJson(text) : text;
    return Array.isArray(parsed) ? parsed.map(String) : [];
  };
  const restart = backoffOf(state, ERRORS.containerFailed);
  return {
    id: stepIdOf(name),
    role,
    index,
    container: {
      name,
      image: typeof wire?.image === 'string' ? wire.image : '',
      command: strings(wire?.command),
      args: strings(wire?.args),
    },
    executor,
    ...(restart && { restart }),
    // An ignored failure goes on to the next state; a recorded one goes through "Failed: <name>".
    failurePolicy: role === 'init' && state.Catch?.every((c) => !recordsFailure(c.Next)) ? 'Ignore' : 'Fail',
  };
}

function backoffOf(state: TaskState | ParallelState, error: string): Backoff | undefined {
  const retrier = state.Retry?.find((r) => r.ErrorEquals.length === 1 && r.ErrorEquals[0] === error);
  return retrier
    ? {
        intervalSeconds: retrier.IntervalSeconds,
        backoffRate: retrier.BackoffRate,
        maxDelaySeconds: retrier.MaxDelaySeconds ?? 0,
        maxAttempts: retrier.MaxAttempts,
      }
    : undefined;
}

export type { ContainerFailureCause };
