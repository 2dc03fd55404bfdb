import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../lib/asl/errors.js';
import { compile, type Compiled } from '../../lib/compile.js';
import { packageRoot } from '../../lib/package-root.js';
import type { PodEvent } from '../../lib/status/events.js';
import type { PodShape } from '../../lib/model/pod-shape.js';
import {
  DELETION,
  deployedPod,
  historyToPodEvents,
  type DeployedPod,
  type HistoryEventLike,
} from '../../lib/status/history.js';
import { printPod } from '../../lib/status/kubectl.js';
import { podObject } from '../../lib/status/pod-object.js';
import { PodStatusTracker } from '../../lib/status/pod-status.js';

function compiled(text: string, options: Parameters<typeof compile>[1] = {}): Compiled & DeployedPod {
  const result = compile(text, options);
  if (!result.compiled) throw new Error(JSON.stringify(result.diagnostics));
  return { ...result.compiled, shape: result.compiled.workflow };
}

const examples = (name: string) => readFileSync(join(packageRoot(), 'examples', name), 'utf8');

/** Writes an execution history the way Step Functions links it (previousEventId). */
class History {
  readonly events: HistoryEventLike[] = [];
  private clock = Date.parse('2025-01-01T00:00:00Z');

  add(type: string, previous: number | undefined, details: Partial<HistoryEventLike> = {}): number {
    const id = this.events.length + 1;
    this.clock += 1000;
    this.events.push({
      id,
      type,
      timestamp: new Date(this.clock),
      ...(previous !== undefined && { previousEventId: previous }),
      ...details,
    });
    return id;
  }

  entered(state: string, previous: number | undefined, type = 'TaskStateEntered'): number {
    return this.add(type, previous, { stateEnteredEventDetails: { name: state } });
  }

  /** TaskStateEntered → Scheduled → Started → Succeeded with `output`; returns the last id. */
  task(state: string, previous: number, output: unknown): number {
    const entered = this.entered(state, previous);
    const scheduled = this.add('TaskScheduled', entered);
    const started = this.add('TaskStarted', scheduled);
    return this.add('TaskSucceeded', started, { taskSucceededEventDetails: { output: JSON.stringify(output) } });
  }
}

const brief = (events: PodEvent[]) =>
  events.map((e) => {
    switch (e.type) {
      case 'ContainerStarted':
        return `started ${e.container} #${e.attempt}`;
      case 'ContainerExited':
        return (
          `exited ${e.container} ${e.exitCode}${e.reason ? ` ${e.reason}` : ''}` +
          `${e.message ? ` "${e.message}"` : ''}`
        );
      case 'ContainerWaiting':
        return `waiting ${e.container} ${e.reason}`;
      case 'PodFinished':
        return `finished ${e.phase}${e.reason ? ` ${e.reason}` : ''}`;
      default:
        return 'started pod';
    }
  });

const lambdaOk = { Payload: { exitCode: 0, message: '' }, StatusCode: 200 };

describe('historyToPodEvents', () => {
  it('the seed pod on Lambda: init containers one after the other, then the app container, then Succeeded', () => {
    const pod = compiled(examples('init-containers.yaml'));
    const h = new History();
    const start = h.add('ExecutionStarted', undefined);
    let last = h.task('Init: init-container-1', start, lambdaOk);
    last = h.add('TaskStateExited', last);
    last = h.task('Init: init-container-2', last, { Payload: { exitCode: 0, message: 'ready' } });
    last = h.add('TaskStateExited', last);
    const parallel = h.entered('Containers', last, 'ParallelStateEntered');
    last = h.task('Run: main-container', parallel, lambdaOk);
    h.add('ExecutionSucceeded', h.add('ParallelStateExited', last));
    const events = historyToPodEvents(h.events, pod);
    expect(brief(events)).toEqual([
      'started pod',
      'waiting init-container-1 PodInitializing',
      'started init-container-1 #0',
      'exited init-container-1 0',
      'waiting init-container-2 PodInitializing',
      'started init-container-2 #0',
      'exited init-container-2 0 "ready"',
      'waiting main-container ContainerCreating',
      'started main-container #0',
      'exited main-container 0',
      'finished Succeeded',
    ]);
    expect(events[0]!.at).toEqual(new Date('2025-01-01T00:00:01Z'));
  });

  const LAMBDA_RETRY =
    'a Lambda failure (the runner error inside the Lambda envelope) then a retry: CrashLoopBackOff, restart #1';
  it(LAMBDA_RETRY, () => {
    const pod = compiled(
      readFileSync(join(packageRoot(), 'test/fixtures/asl/onfailure-max-restarts/input.yaml'), 'utf8'),
      { executor: 'lambda' },
    );
    const first = pod.tasks.find((t) => t.action === 'run')!;
    const name = pod.workflow.init[0]?.container.name ?? pod.workflow.app[0]!.container.name;
    const h = new History();
    const start = h.add('ExecutionStarted', undefined);
    const entered = h.entered(first.state, start);
    const started = h.add('TaskStarted', h.add('TaskScheduled', entered));
    const cause = {
      errorType: ERRORS.containerFailed,
      errorMessage: JSON.stringify({ container: name, exitCode: 3, message: 'no input' }),
      trace: [],
    };
    const failed = h.add('TaskFailed', started, {
      taskFailedEventDetails: { error: ERRORS.containerFailed, cause: JSON.stringify(cause) },
    });
    const again = h.add('TaskStarted', h.add('TaskScheduled', failed));
    h.add('TaskSucceeded', again, { taskSucceededEventDetails: { output: JSON.stringify(lambdaOk) } });
    expect(brief(historyToPodEvents(h.events, pod))).toEqual([
      'started pod',
      `waiting ${name} PodInitializing`,
      `started ${name} #0`,
      `exited ${name} 3 "no input"`,
      `waiting ${name} CrashLoopBackOff`,
      `waiting ${name} PodInitializing`,
      `started ${name} #1`,
      `exited ${name} 0`,
    ]);
  });

  it('a run still waiting out its retry interval shows CrashLoopBackOff', () => {
    const pod = compiled(
      readFileSync(join(packageRoot(), 'test/fixtures/asl/onfailure-max-restarts/input.yaml'), 'utf8'),
      { executor: 'lambda' },
    );
    const first = pod.tasks.find((t) => t.action === 'run')!;
    const h = new History();
    const started = h.add(
      'TaskStarted',
      h.add('TaskScheduled', h.entered(first.state, h.add('ExecutionStarted', undefined))),
    );
    h.add('TaskFailed', started, {
      taskFailedEventDetails: {
        error: ERRORS.containerFailed,
        cause: JSON.stringify({ container: 'x', exitCode: 1, message: '' }),
      },
    });
    expect(brief(historyToPodEvents(h.events, pod)).at(-1)).toMatch(/CrashLoopBackOff$/);
  });

  const ECS_EXIT_CODE =
    'ECS: the exit code comes from the task description, ' +
    'whether the Task succeeded or AWS failed it (States.TaskFailed)';
  it(ECS_EXIT_CODE, () => {
    const pod = compiled(examples('init-containers.yaml'), { executor: 'ecs' });
    const bound = (container: string) => pod.tasks.find((t) => t.state === `ECS task: ${container}`)!.state;
    const h = new History();
    const start = h.add('ExecutionStarted', undefined);
    const p1 = h.entered('Init: init-container-1', start, 'ParallelStateEntered');
    let last = h.task(bound('init-container-1'), p1, { TaskArn: 'arn:task/1', Containers: [{ ExitCode: 0 }] });
    const p2 = h.entered('Init: init-container-2', h.add('ParallelStateExited', last), 'ParallelStateEntered');
    const entered = h.entered(bound('init-container-2'), p2);
    const started = h.add('TaskStarted', h.add('TaskScheduled', entered));
    const task = {
      TaskArn: 'arn:task/2',
      StopCode: 'EssentialContainerExited',
      Containers: [{ ExitCode: 2, Reason: '' }],
    };
    last = h.add('TaskFailed', started, {
      taskFailedEventDetails: { error: 'States.TaskFailed', cause: JSON.stringify(task) },
    });
    h.add('ExecutionFailed', last, { executionFailedEventDetails: { error: 'States.TaskFailed', cause: 'x' } });
    expect(brief(historyToPodEvents(h.events, pod))).toEqual([
      'started pod',
      'waiting init-container-1 PodInitializing',
      'started init-container-1 #0',
      'exited init-container-1 0',
      'waiting init-container-2 PodInitializing',
      'started init-container-2 #0',
      'exited init-container-2 2',
      'finished Failed',
    ]);
  });

  it('ECS: a task that stopped before its container ran is waiting (ErrImagePull), not exited', () => {
    const pod = compiled(examples('init-containers.yaml'), { executor: 'ecs' });
    const h = new History();
    const p = h.entered('Init: init-container-1', h.add('ExecutionStarted', undefined), 'ParallelStateEntered');
    h.task('ECS task: init-container-1', p, {
      StoppedReason: 'CannotPullContainerError: pull access denied',
      Containers: [{ Reason: 'CannotPullContainerError' }],
    });
    expect(brief(historyToPodEvents(h.events, pod)).at(-1)).toBe('waiting init-container-1 ErrImagePull');
  });

  it('ECS: a task AWS failed because a secret could not be read is waiting with CreateContainerConfigError', () => {
    // GIVEN the Task of a task that stopped before any container ran, its Cause the stopped task
    const pod = compiled(examples('init-containers.yaml'), { executor: 'ecs' });
    const h = new History();
    const p = h.entered('Init: init-container-1', h.add('ExecutionStarted', undefined), 'ParallelStateEntered');
    const started = h.add('TaskStarted', h.add('TaskScheduled', h.entered('ECS task: init-container-1', p)));
    const StoppedReason =
      'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval ' +
      'failed: unable to retrieve secrets from ssm: invalid parameters: /pod2sfn/default/configmaps/app/mode';
    const task = { StopCode: 'TaskFailedToStart', StoppedReason, Containers: [{ Name: 'init-container-1' }] };
    h.add('TaskFailed', started, {
      taskFailedEventDetails: { error: 'States.TaskFailed', cause: JSON.stringify(task) },
    });
    // THEN the container waits as a kubelet's would for a missing ConfigMap key, saying what ECS said
    expect(historyToPodEvents(h.events, pod).at(-1)).toMatchObject({
      type: 'ContainerWaiting',
      container: 'init-container-1',
      reason: 'CreateContainerConfigError',
      message: StoppedReason,
    });
  });

  it('activities and Parallel branches: events interleave, previousEventId keeps them apart', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: two, annotations: {pod2sfn.dev/executor: activity}}
spec:
  restartPolicy: Never
  containers:
    - {name: a, image: alpine, command: [sh, -c, 'exit 0']}
    - {name: b, image: alpine, command: [sh, -c, 'exit 4']}
`;
    const pod = compiled(text);
    const h = new History();
    const parallel = h.entered('Containers', h.add('ExecutionStarted', undefined), 'ParallelStateEntered');
    const ea = h.entered('Run: a', parallel);
    const eb = h.entered('Run: b', parallel);
    const sa = h.add('ActivityScheduled', ea);
    const sb = h.add('ActivityScheduled', eb);
    const tb = h.add('ActivityStarted', sb);
    const ta = h.add('ActivityStarted', sa);
    h.add('ActivityFailed', tb, {
      activityFailedEventDetails: {
        error: ERRORS.containerFailed,
        cause: JSON.stringify({ container: 'b', exitCode: 4, message: 'bad' }),
      },
    });
    h.add('ActivitySucceeded', ta, {
      activitySucceededEventDetails: { output: JSON.stringify({ exitCode: 0, message: 'fine' }) },
    });
    h.add('ExecutionFailed', undefined, {
      executionFailedEventDetails: { error: ERRORS.containerFailed, cause: '{}' },
    });
    expect(brief(historyToPodEvents(h.events, pod))).toEqual([
      'started pod',
      'waiting a ContainerCreating',
      'waiting b ContainerCreating',
      'started b #0',
      'started a #0',
      'exited b 4 "bad"',
      'exited a 0 "fine"',
      'finished Failed',
    ]);
  });

  it('execution endings: TimedOut → DeadlineExceeded, Aborted → stopped, a Job failure on the Job', () => {
    // GIVEN a Job's execution that ends one way or another
    const pod = compiled(examples('job.yaml'));
    const end = (type: string, details: Partial<HistoryEventLike> = {}) => {
      const h = new History();
      h.add(type, h.add('ExecutionStarted', undefined), details);
      return historyToPodEvents(h.events, pod).at(-1);
    };
    // THEN the pod and the Job say what the kubelet and the Job controller would
    expect(end('ExecutionTimedOut')).toMatchObject({
      phase: 'Failed',
      reason: 'DeadlineExceeded',
      job: { reason: 'DeadlineExceeded' },
    });
    expect(end('ExecutionAborted')).toMatchObject({ phase: 'Failed', message: 'the execution was stopped' });
    const failure = JSON.stringify({ container: 'worker', exitCode: 42, message: '' });
    const failed = (error: string, cause: string) =>
      end('ExecutionFailed', { executionFailedEventDetails: { error, cause } });
    expect(failed(ERRORS.jobFailed, failure)).toEqual({
      type: 'PodFinished',
      at: expect.any(Date),
      phase: 'Failed',
      job: {
        reason: 'PodFailurePolicy',
        message: 'Container worker for pod default/report-job failed with exit code 42 matching FailJob rule',
      },
    });
    expect(failed(ERRORS.containerFailed, '')).toMatchObject({
      job: { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
    });
  });

  it('a run pod2sfn delete stopped is Terminating for its grace period, then Failed', () => {
    // GIVEN the seed pod's main container running when `pod2sfn delete --grace-period 5` stopped the run
    const pod = compiled(examples('init-containers.yaml'));
    const h = new History();
    let last = h.task('Init: init-container-1', h.add('ExecutionStarted', undefined), lambdaOk);
    last = h.task('Init: init-container-2', h.add('TaskStateExited', last), lambdaOk);
    const parallel = h.entered('Containers', h.add('TaskStateExited', last), 'ParallelStateEntered');
    const started = h.add('TaskStarted', h.add('TaskScheduled', h.entered('Run: main-container', parallel)));
    const abort = h.add('ExecutionAborted', started, {
      executionAbortedEventDetails: { error: DELETION.error, cause: DELETION.cause(5) },
    });
    const abortedAt = h.events[abort - 1]!.timestamp.getTime();
    const at = (seconds: number) => new Date(abortedAt + seconds * 1000);
    const statusAt = (seconds: number) => {
      const tracker = new PodStatusTracker(pod.shape);
      for (const event of historyToPodEvents(h.events, pod, at(seconds))) tracker.apply(event);
      return printPod(
        podObject(pod.shape, tracker.status, { deletionTimestamp: tracker.deletionTimestamp }),
        at(seconds),
      ).cells[2];
    };
    // WHEN it is read during the grace period, at its end, and without a clock
    // THEN Terminating, then Failed; the ending comes at the end of the grace period
    expect([statusAt(0), statusAt(4), statusAt(5)]).toEqual(['Terminating', 'Terminating', 'Failed']);
    expect(historyToPodEvents(h.events, pod).slice(-2)).toEqual([
      { type: 'PodStopping', at: at(0), reason: 'Interrupted' },
      expect.objectContaining({ type: 'PodFinished', at: at(5), phase: 'Failed' }),
    ]);
  });

  it('a timed-out Lambda is a container killed at its deadline', () => {
    const pod = compiled(examples('init-containers.yaml'));
    const h = new History();
    const started = h.add(
      'TaskStarted',
      h.add('TaskScheduled', h.entered('Init: init-container-1', h.add('ExecutionStarted', undefined))),
    );
    h.add('TaskFailed', started, {
      taskFailedEventDetails: { error: 'Sandbox.Timedout', cause: 'Task timed out after 900.00 seconds' },
    });
    expect(historyToPodEvents(h.events, pod).at(-1)).toMatchObject({
      type: 'ContainerExited',
      exitCode: 137,
      reason: 'DeadlineExceeded',
    });
  });
});

describe('deployedPod', () => {
  const fixtures = readdirSync(join(packageRoot(), 'test/fixtures/asl'));
  it.each(fixtures)("%s: the bindings and containers read back from the definition are the emitter's", (fixture) => {
    const pod = compiled(readFileSync(join(packageRoot(), 'test/fixtures/asl', fixture, 'input.yaml'), 'utf8'));
    const back = deployedPod(JSON.parse(JSON.stringify(pod.definition)));
    const key = (t: { state: string; stepId: string; action: string }) => `${t.action} ${t.stepId} ${t.state}`;
    expect(back.tasks.map(key).sort()).toEqual(pod.tasks.map(key).sort());
    const steps = (w: PodShape) =>
      [...w.init, ...w.app].map((s) => ({
        name: s.container.name,
        role: s.role,
        executor: s.executor,
        restart: s.restart,
        failurePolicy: s.failurePolicy,
      }));
    expect(steps(back.shape)).toEqual(steps(pod.workflow));
    expect(back.shape).toMatchObject({
      name: pod.workflow.name,
      namespace: pod.workflow.namespace,
      kind: pod.workflow.kind,
    });
    expect(back.shape.podRetry !== undefined).toBe(pod.workflow.podRetry !== undefined);
  });
});
