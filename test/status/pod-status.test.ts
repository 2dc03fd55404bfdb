import { describe, expect, it } from 'vitest';
import { compile } from '../../lib/compile.js';
import type { Workflow } from '../../lib/model/workflow.js';
import type { PodEvent } from '../../lib/status/events.js';
import { jobObject } from '../../lib/status/job.js';
import { printJob, printPod } from '../../lib/status/kubectl.js';
import { podOutcome } from '../../lib/status/outcome.js';
import { podObject } from '../../lib/status/pod-object.js';
import { podStatus, PodStatusTracker, type PodStatus } from '../../lib/status/pod-status.js';

function workflow(yaml: string): Workflow {
  const { compiled, diagnostics } = compile(yaml);
  if (!compiled) throw new Error(JSON.stringify(diagnostics));
  return compiled.workflow;
}

const seed = workflow(`
apiVersion: v1
kind: Pod
metadata: { name: seed }
spec:
  restartPolicy: Always
  activeDeadlineSeconds: 60
  initContainers:
    - { name: init1, image: busybox, command: ["true"] }
    - { name: init2, image: busybox, command: ["true"] }
  containers:
    - { name: app, image: busybox, command: ["true"] }
`);

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const started = (container: string, s: number, attempt = 0): PodEvent => ({
  type: 'ContainerStarted',
  container,
  at: at(s),
  attempt,
});
const exited = (container: string, s: number, exitCode: number): PodEvent => ({
  type: 'ContainerExited',
  container,
  at: at(s),
  exitCode,
});
const podStarted: PodEvent = { type: 'PodStarted', at: at(0) };
const condition = (status: PodStatus, type: string) => status.conditions.find((c) => c.type === type);
/** kubectl's columns for the Pod of this status: READY, STATUS, RESTARTS. */
const columns = (w: Workflow, events: readonly PodEvent[], now = at(60)) => {
  const tracker = new PodStatusTracker(w);
  for (const e of events) tracker.apply(e);
  return printPod(podObject(w, tracker.status, { deletionTimestamp: tracker.deletionTimestamp }), now).cells.slice(
    1,
    4,
  );
};

describe('podStatus', () => {
  it('is Pending with Init:0/2 and app containers waiting on PodInitializing before anything ran', () => {
    // GIVEN a pod that has just been scheduled
    const status = podStatus(seed, [podStarted]);
    // THEN it waits as a kubelet shows it
    expect(status.phase).toBe('Pending');
    expect(columns(seed, [podStarted])).toEqual(['0/1', 'Init:0/2', '0']);
    expect(status.containerStatuses[0]!.state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(condition(status, 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [init1 init2]',
    });
    expect(condition(status, 'PodReadyToStartContainers')?.status).toBe('True');
    expect(status.conditions.map((c) => c.type)).toEqual([
      'PodReadyToStartContainers',
      'Initialized',
      'Ready',
      'ContainersReady',
      'PodScheduled',
    ]);
  });

  it('walks Init:1/2 → PodInitializing → Running → Completed; an init container is ready once exited 0', () => {
    // GIVEN the seed pod's events, one at a time
    const events: PodEvent[] = [podStarted, started('init1', 0)];
    const runningInit = podStatus(seed, events);
    // THEN a running regular init container is started but not ready (prober_manager.go)
    expect(runningInit.initContainerStatuses![0]).toMatchObject({ ready: false, started: true });
    events.push(exited('init1', 1, 0));
    expect(podStatus(seed, events).initContainerStatuses![0]).toMatchObject({ ready: true, started: false });
    expect(columns(seed, events)).toEqual(['0/1', 'Init:1/2', '0']);
    events.push(started('init2', 1), exited('init2', 2, 0));
    expect(columns(seed, events)).toEqual(['0/1', 'PodInitializing', '0']);
    events.push(started('app', 2));
    const running = podStatus(seed, events);
    expect([running.phase, columns(seed, events)[1]]).toEqual(['Running', 'Running']);
    expect(running.containerStatuses[0]).toMatchObject({
      ready: true,
      started: true,
      state: { running: { startedAt: '2026-01-01T00:00:02Z' } },
    });
    expect(condition(running, 'Ready')?.status).toBe('True');
    events.push(exited('app', 5, 0), { type: 'PodFinished', at: at(5), phase: 'Succeeded' });
    const done = podStatus(seed, events);
    expect([done.phase, columns(seed, events)[1]]).toEqual(['Succeeded', 'Completed']);
    // THEN the conditions carry the kubelet's reasons for a completed pod
    expect(condition(done, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(condition(done, 'ContainersReady')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(condition(done, 'Initialized')).toMatchObject({ status: 'True', reason: 'PodCompleted' });
    expect(condition(done, 'PodReadyToStartContainers')?.status).toBe('False');
    expect(done.containerStatuses[0]!.state.terminated).toEqual({
      exitCode: 0,
      reason: 'Completed',
      startedAt: '2026-01-01T00:00:02Z',
      finishedAt: '2026-01-01T00:00:05Z',
    });
    // THEN restartPolicy Always: pod2sfn says it did not restart the container that exited 0
    expect(done.message).toBe(
      'restartPolicy Always: pod2sfn does not restart a container that exits 0; not restarted: app',
    );
  });

  it('counts restarts, keeps lastState and shows Init:CrashLoopBackOff while backing off', () => {
    const events: PodEvent[] = [
      podStarted,
      started('init1', 0),
      exited('init1', 1, 1),
      { type: 'ContainerWaiting', container: 'init1', at: at(1), reason: 'CrashLoopBackOff', message: 'back-off 10s' },
      started('init1', 11, 1),
      exited('init1', 12, 1),
    ];
    expect(columns(seed, events)[1]).toBe('Init:Error');
    events.push({ type: 'ContainerWaiting', container: 'init1', at: at(12), reason: 'CrashLoopBackOff' });
    const status = podStatus(seed, events);
    expect(status.phase).toBe('Pending');
    expect(columns(seed, events, at(22))).toEqual(['0/1', 'Init:CrashLoopBackOff', '1 (10s ago)']);
    expect(status.initContainerStatuses![0]).toMatchObject({
      restartCount: 1,
      lastState: { terminated: { exitCode: 1, reason: 'Error' } },
    });
  });

  it('fails the pod at its deadline, before and after its containers are killed (STATUS DeadlineExceeded)', () => {
    // GIVEN the app container runs when the deadline passes
    const events: PodEvent[] = [
      podStarted,
      started('init1', 0),
      exited('init1', 1, 0),
      started('init2', 1),
      exited('init2', 2, 0),
      started('app', 2),
    ];
    events.push({ type: 'PodStopping', at: at(60), reason: 'DeadlineExceeded' });
    // THEN the pod fails at once, as the kubelet's active deadline handler fails it
    const failing = podStatus(seed, events);
    expect(failing).toMatchObject({
      phase: 'Failed',
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
    });
    expect(columns(seed, events)[1]).toBe('DeadlineExceeded');
    // WHEN the container is killed (SIGTERM) and the run ends
    events.push(exited('app', 61, 143), {
      type: 'PodFinished',
      at: at(61),
      ...podOutcome(seed, { status: 'timedOut' }),
    });
    const status = podStatus(seed, events);
    expect(status.containerStatuses[0]).toMatchObject({
      ready: false,
      state: { terminated: { exitCode: 143, signal: 15, reason: 'DeadlineExceeded' } },
    });
    expect(condition(status, 'Initialized')?.status).toBe('True');
    expect(condition(status, 'Ready')).toMatchObject({ status: 'False', reason: 'PodFailed' });
    expect(condition(status, 'ContainersReady')).toMatchObject({ status: 'False', reason: 'PodFailed' });
    expect(columns(seed, events)).toEqual(['0/1', 'DeadlineExceeded', '0']);
  });

  it('shows Terminating while an interrupted run stops its containers', () => {
    const events: PodEvent[] = [
      podStarted,
      started('init1', 0),
      { type: 'PodStopping', at: at(3), reason: 'Interrupted' },
    ];
    expect(columns(seed, events)[1]).toBe('Terminating');
    events.push(exited('init1', 4, 143), {
      type: 'PodFinished',
      at: at(4),
      ...podOutcome(seed, { status: 'aborted', message: 'the run was interrupted' }),
    });
    expect(columns(seed, events)[1]).toBe('Init:Error');
  });

  it('keeps a pod Pending until every app container has started; NotReady when one of two has finished', () => {
    // GIVEN two app containers and no init container
    const pair = workflow(`
apiVersion: v1
kind: Pod
metadata: { name: pair }
spec:
  restartPolicy: Never
  containers:
    - { name: a, image: busybox, command: ["true"] }
    - { name: b, image: busybox, command: ["true"] }
`);
    const events: PodEvent[] = [podStarted];
    // THEN containers not yet created wait as ContainerCreating (no init containers)
    expect(podStatus(pair, events).containerStatuses[0]!.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(condition(podStatus(pair, events), 'Initialized')?.status).toBe('True');
    events.push(started('a', 1));
    expect(podStatus(pair, events).phase).toBe('Pending');
    events.push(started('b', 1));
    expect(podStatus(pair, events).phase).toBe('Running');
    events.push(exited('a', 2, 0));
    expect(columns(pair, events)).toEqual(['1/2', 'NotReady', '0']);
    expect(condition(podStatus(pair, events), 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [a]',
    });
  });

  it('applies events one at a time to the same status the fold of every prefix gives', () => {
    const events: PodEvent[] = [
      podStarted,
      started('init1', 0),
      exited('init1', 1, 1),
      { type: 'ContainerWaiting', container: 'init1', at: at(1), reason: 'CrashLoopBackOff' },
      started('init1', 2, 1),
      exited('init1', 3, 0),
      started('init2', 3),
      exited('init2', 4, 0),
      started('app', 5),
      exited('app', 6, 0),
      { type: 'PodFinished', at: at(6), phase: 'Succeeded' },
    ];
    const tracker = new PodStatusTracker(seed);
    events.forEach((event, i) => {
      tracker.apply(event);
      expect(tracker.status).toEqual(podStatus(seed, events.slice(0, i + 1)));
    });
  });
});

describe('a Job whose pod is replaced (restartPolicy Never)', () => {
  const job = workflow(`
apiVersion: batch/v1
kind: Job
metadata: { name: job }
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      initContainers: [{ name: fetch, image: busybox, command: ["true"] }]
      containers: [{ name: work, image: busybox, command: ["false"] }]
`);
  const firstPod = [podStarted, started('fetch', 1), exited('fetch', 2, 0), started('work', 3), exited('work', 4, 1)];

  it('shows the new pod initializing again, and counts the replacement on the failed container', () => {
    // GIVEN the first pod failed / WHEN the replacement's init container starts
    const status = podStatus(job, [...firstPod, started('fetch', 20, 1)]);
    // THEN the STATUS is the new pod's, the failed container counts one restart, the init container none
    expect(columns(job, [...firstPod, started('fetch', 20, 1)])[1]).toBe('Init:0/1');
    expect(status.phase).toBe('Pending');
    expect(status.containerStatuses[0]).toMatchObject({
      restartCount: 1,
      state: { waiting: { reason: 'PodInitializing' } },
      lastState: { terminated: { exitCode: 1 } },
    });
    expect(status.initContainerStatuses![0]).toMatchObject({
      restartCount: 0,
      state: { running: {} },
      lastState: { terminated: { exitCode: 0 } },
    });
  });

  it('puts BackoffLimitExceeded on the Job, with its failed pods counted; the pod has no such reason', () => {
    // GIVEN three pods failed, the Job past its backoffLimit
    const events: PodEvent[] = [
      ...firstPod,
      started('fetch', 20, 1),
      exited('fetch', 21, 0),
      started('work', 22, 1),
      exited('work', 23, 1),
    ];
    const outcome = podOutcome(job, {
      status: 'failed',
      error: 'Pod2sfn.ContainerFailed',
      cause: JSON.stringify({ container: 'work', exitCode: 1, message: '' }),
    });
    events.push({ type: 'PodFinished', at: at(24), ...outcome });
    const tracker = new PodStatusTracker(job);
    for (const e of events) tracker.apply(e);
    const object = jobObject(job, tracker);
    // THEN the Job says why it failed, as the Job controller does
    expect(object.status).toMatchObject({ failed: 2, startTime: '2026-01-01T00:00:00Z', ready: 0 });
    expect(object.status!.conditions!.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
      ['Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ]);
    expect(printJob(object, at(30)).cells).toEqual(['job', 'Failed', '0/1', '30s', '30s']);
    expect(tracker.status.phase).toBe('Failed');
    expect(tracker.status.reason).toBeUndefined();
  });

  it('a successful Job is Complete with one success and a completion time', () => {
    const events: PodEvent[] = [
      podStarted,
      started('fetch', 1),
      exited('fetch', 2, 0),
      started('work', 3),
      exited('work', 4, 0),
      { type: 'PodFinished', at: at(4), phase: 'Succeeded' },
    ];
    const tracker = new PodStatusTracker(job);
    for (const e of events) tracker.apply(e);
    const object = jobObject(job, tracker);
    expect(object.status).toMatchObject({ succeeded: 1, completionTime: '2026-01-01T00:00:04Z' });
    expect(object.status!.conditions!.map((c) => c.type)).toEqual(['SuccessCriteriaMet', 'Complete']);
    expect(printJob(object, at(30)).cells).toEqual(['job', 'Complete', '1/1', '4s', '30s']);
  });
});
