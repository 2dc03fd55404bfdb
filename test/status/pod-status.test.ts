import { describe, expect, it } from 'vitest';
import { compile } from '../../lib/compile.js';
import type { Workflow } from '../../lib/model/workflow.js';
import type { PodEvent } from '../../lib/status/events.js';
import { kubectlRestarts, kubectlStatus, watchLine } from '../../lib/status/kubectl.js';
import { podStatus } from '../../lib/status/pod-status.js';

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
const started = (container: string, s: number, attempt = 0): PodEvent => ({ type: 'ContainerStarted', container, at: at(s), attempt });
const exited = (container: string, s: number, exitCode: number): PodEvent => ({ type: 'ContainerExited', container, at: at(s), exitCode });

describe('podStatus', () => {
  it('is Pending with Init:0/2 and app containers waiting on PodInitializing before anything ran', () => {
    const status = podStatus(seed, [{ type: 'PodStarted', at: at(0) }]);
    expect(status.phase).toBe('Pending');
    expect(kubectlStatus(status)).toBe('Init:0/2');
    expect(status.containerStatuses[0]!.state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(status.conditions.find((c) => c.type === 'Initialized')).toMatchObject({ status: 'False', message: 'containers with incomplete status: [init1 init2]' });
  });

  it('walks Init:1/2 → PodInitializing → Running → Completed', () => {
    const events: PodEvent[] = [{ type: 'PodStarted', at: at(0) }, started('init1', 0), exited('init1', 1, 0)];
    expect(kubectlStatus(podStatus(seed, events))).toBe('Init:1/2');
    events.push(started('init2', 1), exited('init2', 2, 0));
    expect(kubectlStatus(podStatus(seed, events))).toBe('PodInitializing');
    events.push(started('app', 2));
    const running = podStatus(seed, events);
    expect([running.phase, kubectlStatus(running)]).toEqual(['Running', 'Running']);
    expect(running.containerStatuses[0]).toMatchObject({ ready: true, started: true, state: { running: { startedAt: '2026-01-01T00:00:02Z' } } });
    expect(running.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
    events.push(exited('app', 5, 0), { type: 'PodFinished', at: at(5), phase: 'Succeeded' });
    const done = podStatus(seed, events);
    expect([done.phase, kubectlStatus(done)]).toEqual(['Succeeded', 'Completed']);
    expect(done.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(done.containerStatuses[0]!.state.terminated).toEqual({ exitCode: 0, reason: 'Completed', startedAt: '2026-01-01T00:00:02Z', finishedAt: '2026-01-01T00:00:05Z' });
  });

  it('counts restarts, keeps lastState and shows Init:CrashLoopBackOff while backing off', () => {
    const events: PodEvent[] = [
      { type: 'PodStarted', at: at(0) },
      started('init1', 0),
      exited('init1', 1, 1),
      { type: 'ContainerWaiting', container: 'init1', at: at(1), reason: 'CrashLoopBackOff', message: 'back-off 10s' },
      started('init1', 11, 1),
      exited('init1', 12, 1),
    ];
    expect(kubectlStatus(podStatus(seed, events))).toBe('Init:Error');
    events.push({ type: 'ContainerWaiting', container: 'init1', at: at(12), reason: 'CrashLoopBackOff' });
    const status = podStatus(seed, events);
    expect(kubectlStatus(status)).toBe('Init:CrashLoopBackOff');
    expect(status.initContainerStatuses![0]).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 1, reason: 'Error' } } });
    expect(kubectlRestarts(status, at(22))).toBe('1 (10s ago)');
    expect(watchLine('seed', status, at(22))).toMatch(/^seed\s+0\/1\s+Init:CrashLoopBackOff\s+1 \(10s ago\)\s+22s$/);
  });

  it('reports DeadlineExceeded and keeps Initialized True once it was True', () => {
    const status = podStatus(seed, [
      { type: 'PodStarted', at: at(0) },
      started('init1', 0),
      exited('init1', 1, 0),
      started('init2', 1),
      exited('init2', 2, 0),
      started('app', 2),
      exited('app', 60, 143),
      { type: 'PodFinished', at: at(60), phase: 'Failed', reason: 'DeadlineExceeded' },
    ]);
    expect(status).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded' });
    expect(status.conditions.find((c) => c.type === 'Initialized')?.status).toBe('True');
    expect(kubectlStatus(status)).toBe('Error');
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
  const firstPod = [{ type: 'PodStarted', at: at(0) } as PodEvent, started('fetch', 1), exited('fetch', 2, 0), started('work', 3), exited('work', 4, 1)];

  it('shows the new pod initializing again, and counts the replacement on the failed container', () => {
    // GIVEN the first pod failed / WHEN the replacement's init container starts
    const status = podStatus(job, [...firstPod, started('fetch', 20, 1)]);
    // THEN the STATUS is the new pod's, the failed container counts one restart, the init container none
    expect(kubectlStatus(status)).toBe('Init:0/1');
    expect(status.phase).toBe('Pending');
    expect(status.containerStatuses[0]).toMatchObject({ restartCount: 1, state: { waiting: { reason: 'PodInitializing' } }, lastState: { terminated: { exitCode: 1 } } });
    expect(status.initContainerStatuses![0]).toMatchObject({ restartCount: 0, state: { running: {} }, lastState: { terminated: { exitCode: 0 } } });
  });
});
