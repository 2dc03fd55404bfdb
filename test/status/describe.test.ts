import { describe, expect, it } from 'vitest';
import { describePod, kubeEvents, rfc1123z, tabwrite } from '../../lib/status/describe.js';
import type { PodEvent } from '../../lib/status/events.js';
import { runPod } from '../../lib/status/run-list.js';
import { compileOrThrow } from '../helpers/compile.js';

const SPEC = `apiVersion: v1
kind: Pod
metadata: { name: web, labels: { tier: backend, app: web } }
spec:
  restartPolicy: OnFailure
  initContainers:
    - { name: migrate, image: alpine, command: [sh, -c, "echo migrate"] }
  containers:
    - name: app
      image: alpine
      args: [serve]
      volumeMounts: [{ name: scratch, mountPath: /scratch }]
  volumes: [{ name: scratch, emptyDir: {} }]
`;
const T0 = Date.parse('2025-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const RUN = {
  name: 'web-1',
  executionArn: 'arn:aws:states:us-east-1:000000000000:execution:pod2sfn-default-web:web-1',
};

/** migrate runs; app fails once ("db down"), backs off, and runs again. */
const EVENTS: PodEvent[] = [
  { type: 'PodStarted', at: at(0) },
  { type: 'ContainerWaiting', container: 'migrate', at: at(1), reason: 'PodInitializing' },
  { type: 'ContainerStarted', container: 'migrate', at: at(2), attempt: 0 },
  { type: 'ContainerExited', container: 'migrate', at: at(3), exitCode: 0 },
  { type: 'ContainerWaiting', container: 'app', at: at(3), reason: 'ContainerCreating' },
  { type: 'ContainerStarted', container: 'app', at: at(4), attempt: 0 },
  { type: 'ContainerExited', container: 'app', at: at(6), exitCode: 1, message: 'db down' },
  { type: 'ContainerWaiting', container: 'app', at: at(6), reason: 'CrashLoopBackOff' },
  { type: 'ContainerStarted', container: 'app', at: at(16), attempt: 1 },
];

function described(events: readonly PodEvent[], now: Date) {
  const compiled = compileOrThrow(SPEC, { executor: 'activity' });
  const pod = runPod(compiled.workflow, events, RUN, compiled.pod.spec);
  return describePod({ pod, shape: compiled.workflow, events, now, logsTarget: 'web-1 --stack web' });
}

describe('describePod', () => {
  it("prints kubectl describe pod's layout: the pod, each container's states, conditions, volumes, events", () => {
    // GIVEN a run whose init container completed and whose app container failed once and runs again
    // WHEN it is described a minute after it started
    const text = described(EVENTS, at(60));
    // THEN the text is kubectl's, line for line: tabwriter columns per block, the Events table aligned
    // on its own, repeats counted, events in the order they last happened
    expect(text.split('\n')).toEqual([
      'Name:         web-1',
      'Namespace:    default',
      'Start Time:   Wed, 01 Jan 2025 00:00:00 +0000',
      'Labels:       app=web',
      '              tier=backend',
      `Annotations:  pod2sfn.dev/execution-arn=${RUN.executionArn}`,
      'Status:       Running',
      'Init Containers:',
      '  migrate:',
      '    Image:     alpine',
      '    Executor:  activity',
      '    Logs:      pod2sfn logs web-1 --stack web -c migrate',
      '    Command:',
      '      sh',
      '      -c',
      '      echo migrate',
      '    State:          Terminated',
      '      Reason:       Completed',
      '      Exit Code:    0',
      '      Started:      Wed, 01 Jan 2025 00:00:02 +0000',
      '      Finished:     Wed, 01 Jan 2025 00:00:03 +0000',
      '    Ready:          True',
      '    Restart Count:  0',
      '    Mounts:         <none>',
      'Containers:',
      '  app:',
      '    Image:     alpine',
      '    Executor:  activity',
      '    Logs:      pod2sfn logs web-1 --stack web -c app',
      '    Args:',
      '      serve',
      '    State:          Running',
      '      Started:      Wed, 01 Jan 2025 00:00:16 +0000',
      '    Last State:     Terminated',
      '      Reason:       Error',
      '      Message:      db down',
      '      Exit Code:    1',
      '      Started:      Wed, 01 Jan 2025 00:00:04 +0000',
      '      Finished:     Wed, 01 Jan 2025 00:00:06 +0000',
      '    Ready:          True',
      '    Restart Count:  1',
      '    Mounts:',
      '      /scratch from scratch (rw)',
      'Conditions:',
      '  Type                        Status',
      '  PodReadyToStartContainers   True ',
      '  Initialized                 True ',
      '  Ready                       True ',
      '  ContainersReady             True ',
      '  PodScheduled                True ',
      'Volumes:',
      '  scratch:',
      "    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)",
      '    Medium:     ',
      '    SizeLimit:  <unset>',
      'Events:',
      '  Type     Reason     Age                From            Message',
      '  ----     ------     ----               ----            -------',
      '  Normal   Scheduled  60s                step-functions  Successfully assigned default/web-1 to Step Functions',
      '  Normal   Created    59s                activity        Created container migrate',
      '  Normal   Started    58s                activity        Started container migrate',
      '  Normal   Completed  57s                activity        Container migrate completed',
      '  Normal   Created    57s                activity        Created container app',
      '  Warning  Failed     54s                activity        Container app exited with code 1',
      '  Warning  BackOff    54s                activity        Back-off restarting failed container app in pod web-1',
      '  Normal   Started    44s (x2 over 56s)  activity        Started container app',
      '',
    ]);
  });

  it('says Terminating while a deleted run stops, and the Killing event', () => {
    // GIVEN the run above being deleted after 20 s
    const events: PodEvent[] = [...EVENTS, { type: 'PodStopping', at: at(20), reason: 'Interrupted' }];
    // WHEN it is described 2 s later
    const text = described(events, at(22));
    // THEN its status is Terminating, and the events say the containers are being stopped
    expect(text).toMatch(/\nStatus: +Terminating \(lasts 2s\)\n/);
    expect(text).toMatch(/\n {2}Normal +Killing +2s +step-functions +Stopping the containers of the run/);
  });
});

describe('tabwrite', () => {
  it("aligns each column over the lines that have a cell there, as Go's text/tabwriter (padding 2)", () => {
    // GIVEN two blocks split by a line without a tab, and a line whose text follows its last tab
    const lines = ['Name:\tweb', 'Start Time:\tnow', 'Containers:', '  a:\tx\ty', '  bbb:\tlonger\tz'];
    // WHEN written THEN each block is as wide as its widest cell plus two; the text after the last tab is not padded
    expect(tabwrite(lines)).toBe(
      'Name:        web\nStart Time:  now\nContainers:\n  a:    x       y\n  bbb:  longer  z\n',
    );
  });

  it("formats times as Go's RFC1123Z, in UTC", () => {
    expect(rfc1123z('2025-03-04T05:06:07Z')).toBe('Tue, 04 Mar 2025 05:06:07 +0000');
    expect(rfc1123z(undefined)).toBe('');
  });
});

describe('kubeEvents', () => {
  it('says a deadline, a start error and a failed pod as Warning or Normal events, as the kubelet does', () => {
    // GIVEN a run whose app could not start, then hit the deadline
    const compiled = compileOrThrow(SPEC, { executor: 'activity' });
    const events: PodEvent[] = [
      { type: 'PodStarted', at: at(0) },
      { type: 'ContainerWaiting', container: 'app', at: at(1), reason: 'CreateContainerError', message: 'no image' },
      { type: 'PodStopping', at: at(2), reason: 'DeadlineExceeded' },
      { type: 'PodFinished', at: at(3), phase: 'Failed', message: 'States.Runtime: broken' },
    ];
    const pod = runPod(compiled.workflow, events, RUN);
    // WHEN read as kubectl events THEN type, reason, from and message for each
    expect(
      kubeEvents({ pod, shape: compiled.workflow, events }).map((e) => [e.type, e.reason, e.from, e.message]),
    ).toEqual([
      ['Normal', 'Scheduled', 'step-functions', 'Successfully assigned default/web-1 to Step Functions'],
      ['Warning', 'Failed', 'activity', 'Error: CreateContainerError: no image'],
      ['Normal', 'DeadlineExceeded', 'step-functions', 'Pod was active on the node longer than the specified deadline'],
      ['Warning', 'Failed', 'step-functions', 'States.Runtime: broken'],
    ]);
  });
});
