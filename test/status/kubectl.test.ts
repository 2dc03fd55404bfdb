import { describe, expect, it } from 'vitest';
import type { ContainerStatus, Job, Pod, PodStatus, SpecContainer } from '../../lib/status/core-v1.js';
import {
  POD_FAILED_CONDITIONS,
  POD_SUCCESS_CONDITIONS,
  printJob,
  printJobList,
  printPod,
  printPodList,
  translateTimestampSince,
  translateTimestampUntil,
  type TableRow,
} from '../../lib/status/kubectl.js';

/**
 * kubectl's own tables (pkg/printers/internalversion/printers_test.go), case for case, each `it`
 * named after its upstream test and case. `now` stands for time.Now(); Go's zero values become the
 * defaults below (an empty name, not ready, no restarts, no state).
 */
const now = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
const s = 1000;
const m = 60 * s;
const day = 24 * 60 * m;
const running = { running: {} };
const cs = (status: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name: '',
  ready: false,
  restartCount: 0,
  state: {},
  lastState: {},
  ...status,
});
const unnamed = (n: number): SpecContainer[] => Array.from({ length: n }, () => ({ name: '' }));
const finishedAgo = (ms: number) => ({ terminated: { exitCode: 0, finishedAt: at(-ms) } });
const pod = (name: string, spec: Pod['spec'], status: PodStatus, deletionTimestamp?: string): Pod => ({
  metadata: { name, ...(deletionTimestamp && { deletionTimestamp }) },
  spec,
  status,
});
const row = (cells: string[], conditions?: TableRow['conditions']): TableRow => ({
  cells,
  ...(conditions && { conditions }),
});
const always = 'Always';

describe('printPod (TestPrintPod)', () => {
  const deleteTime = at(-10 * s);
  const two = { containers: unnamed(2) };
  const one = { containers: unnamed(1) };
  const cases: Array<[string, Pod, TableRow]> = [
    [
      'test1: name, num of containers, restarts, container ready status',
      pod('test1', two, {
        phase: 'podPhase',
        containerStatuses: [cs({ ready: true, restartCount: 3, state: running }), cs({ restartCount: 3 })],
      }),
      row(['test1', '1/2', 'podPhase', '6', '<unknown>']),
    ],
    [
      'test2: container error overwrites pod phase',
      pod('test2', two, {
        phase: 'podPhase',
        containerStatuses: [
          cs({ ready: true, restartCount: 3, state: running }),
          cs({ state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 }),
        ],
      }),
      row(['test2', '1/2', 'ContainerWaitingReason', '6', '<unknown>']),
    ],
    [
      'test3: Terminated state, the first container overwrites the rest',
      pod('test3', two, {
        phase: 'podPhase',
        containerStatuses: [
          cs({ state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 }),
          cs({ state: { terminated: { exitCode: 0, reason: 'ContainerTerminatedReason' } }, restartCount: 3 }),
        ],
      }),
      row(['test3', '0/2', 'ContainerWaitingReason', '6', '<unknown>']),
    ],
    [
      'test4: ready is not enough for reporting running',
      pod('test4', two, {
        phase: 'podPhase',
        containerStatuses: [cs({ ready: true, restartCount: 3, state: running }), cs({ ready: true, restartCount: 3 })],
      }),
      row(['test4', '1/2', 'podPhase', '6', '<unknown>']),
    ],
    [
      'test5: ready is not enough for reporting running (pod reason)',
      pod('test5', two, {
        reason: 'podReason',
        phase: 'podPhase',
        containerStatuses: [cs({ ready: true, restartCount: 3, state: running }), cs({ ready: true, restartCount: 3 })],
      }),
      row(['test5', '1/2', 'podReason', '6', '<unknown>']),
    ],
    [
      'test6: one running, one completed, without Ready condition → NotReady',
      pod('test6', two, {
        phase: 'Running',
        reason: '',
        containerStatuses: [
          cs({ ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } }),
          cs({ ready: true, restartCount: 3, state: running }),
        ],
      }),
      row(['test6', '1/2', 'NotReady', '6', '<unknown>']),
    ],
    [
      'test6: one running, one completed, with Ready condition → Running',
      pod('test6', two, {
        phase: 'Running',
        reason: '',
        containerStatuses: [
          cs({ ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } }),
          cs({ ready: true, restartCount: 3, state: running }),
        ],
        conditions: [{ type: 'Ready', status: 'True' }],
      }),
      row(['test6', '1/2', 'Running', '6', '<unknown>']),
    ],
    [
      'test7: 1 init container restarting and 1 container not running',
      pod(
        'test7',
        { initContainers: unnamed(1), containers: unnamed(1) },
        {
          phase: 'podPhase',
          initContainerStatuses: [cs({ restartCount: 3, state: running, lastState: finishedAgo(10 * s) })],
          containerStatuses: [cs({ state: { waiting: {} } })],
        },
      ),
      row(['test7', '0/1', 'Init:0/1', '3 (10s ago)', '<unknown>']),
    ],
    [
      'test8: 2 init containers, one restarting and the other not running',
      pod(
        'test8',
        { initContainers: unnamed(2), containers: unnamed(1) },
        {
          phase: 'podPhase',
          initContainerStatuses: [
            cs({ restartCount: 3, state: running, lastState: finishedAgo(10 * s) }),
            cs({ state: { waiting: {} } }),
          ],
          containerStatuses: [cs({ state: { waiting: {} } })],
        },
      ),
      row(['test8', '0/1', 'Init:0/2', '3 (10s ago)', '<unknown>']),
    ],
    [
      'test9: 2 init containers, one completed without restarts and the other restarting',
      pod(
        'test9',
        { initContainers: unnamed(2), containers: unnamed(1) },
        {
          phase: 'podPhase',
          initContainerStatuses: [
            cs({ state: { terminated: { exitCode: 0 } } }),
            cs({ restartCount: 3, state: running, lastState: finishedAgo(10 * s) }),
          ],
          containerStatuses: [cs({ state: { waiting: {} } })],
        },
      ),
      row(['test9', '0/1', 'Init:1/2', '3 (10s ago)', '<unknown>']),
    ],
    [
      'test10: 2 init containers, one completed with restarts and the other restarting',
      pod(
        'test10',
        { initContainers: unnamed(2), containers: unnamed(1) },
        {
          phase: 'podPhase',
          initContainerStatuses: [
            cs({ restartCount: 2, state: { terminated: { exitCode: 0 } }, lastState: finishedAgo(2 * m) }),
            cs({ restartCount: 3, state: running, lastState: finishedAgo(10 * s) }),
          ],
          containerStatuses: [cs({ state: { waiting: {} } })],
        },
      ),
      row(['test10', '0/1', 'Init:1/2', '5 (10s ago)', '<unknown>']),
    ],
    [
      'test11: 1 init container completed with restarts and one container restarting',
      pod(
        'test11',
        { initContainers: unnamed(1), containers: unnamed(1) },
        {
          phase: 'Running',
          initContainerStatuses: [
            cs({ restartCount: 2, state: { terminated: { exitCode: 0 } }, lastState: finishedAgo(2 * m) }),
          ],
          containerStatuses: [cs({ restartCount: 4, state: running, lastState: finishedAgo(20 * s) })],
        },
      ),
      row(['test11', '0/1', 'Running', '4 (20s ago)', '<unknown>']),
    ],
    [
      'test12: 1 container that restarted 5d ago',
      pod('test12', one, {
        phase: 'Running',
        containerStatuses: [cs({ ready: true, restartCount: 3, state: running, lastState: finishedAgo(5 * day) })],
      }),
      row(['test12', '1/1', 'Running', '3 (5d ago)', '<unknown>']),
    ],
    [
      'test13: 2 containers, one never restarted and the other restarted 10d ago',
      pod('test13', two, {
        phase: 'Running',
        containerStatuses: [
          cs({ ready: true, state: running }),
          cs({ ready: true, restartCount: 3, state: running, lastState: finishedAgo(10 * day) }),
        ],
      }),
      row(['test13', '2/2', 'Running', '3 (10d ago)', '<unknown>']),
    ],
    [
      'test14: 2 containers, one restarted 5d ago and the other 20d ago',
      pod('test14', two, {
        phase: 'Running',
        containerStatuses: [
          cs({ ready: true, restartCount: 6, state: running, lastState: finishedAgo(5 * day) }),
          cs({ ready: true, restartCount: 3, state: running, lastState: finishedAgo(20 * day) }),
        ],
      }),
      row(['test14', '2/2', 'Running', '9 (5d ago)', '<unknown>']),
    ],
    [
      'test15: PodScheduled condition with reason SchedulingGated',
      pod('test15', two, {
        phase: 'podPhase',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
      }),
      row(['test15', '0/2', 'SchedulingGated', '0', '<unknown>']),
    ],
    [
      'test16: pod condition succeed',
      pod('test16', one, {
        phase: 'Succeeded',
        containerStatuses: [cs({ state: { terminated: { reason: 'Completed', exitCode: 0 } } })],
      }),
      row(['test16', '0/1', 'Completed', '0', '<unknown>'], POD_SUCCESS_CONDITIONS),
    ],
    [
      'test17: pod condition failed',
      pod('test17', one, {
        phase: 'Failed',
        containerStatuses: [cs({ state: { terminated: { reason: 'Error', exitCode: 1 } } })],
      }),
      row(['test17', '0/1', 'Error', '0', '<unknown>'], POD_FAILED_CONDITIONS),
    ],
    [
      'test18: pod condition succeed with deletion',
      pod(
        'test18',
        one,
        {
          phase: 'Succeeded',
          containerStatuses: [cs({ state: { terminated: { reason: 'Completed', exitCode: 0 } } })],
        },
        deleteTime,
      ),
      row(['test18', '0/1', 'Completed', '0', '<unknown>'], POD_SUCCESS_CONDITIONS),
    ],
    [
      'test19: pod condition running with deletion',
      pod('test19', one, { phase: 'Running', containerStatuses: [cs({ state: running })] }, deleteTime),
      row(['test19', '0/1', 'Terminating', '0', '<unknown>']),
    ],
    [
      'test20: pod condition pending with deletion',
      pod('test20', one, { phase: 'Pending' }, deleteTime),
      row(['test20', '0/1', 'Terminating', '0', '<unknown>']),
    ],
  ];
  it.each(cases)('%s', (_, given, want) => {
    // GIVEN upstream's pod / WHEN printed / THEN upstream's row
    expect(printPod(given, now)).toEqual(want);
  });
});

describe('printPod (TestPrintPodWithRestartableInitContainer)', () => {
  const sidecars = {
    initContainers: [
      { name: 'restartable-init-1', restartPolicy: always },
      { name: 'restartable-init-2', restartPolicy: always },
    ],
    containers: unnamed(1),
  };
  const cases: Array<[string, Pod, TableRow]> = [
    [
      '2 restartable init containers, the first one running but not started',
      pod('test1', sidecars, {
        phase: 'Pending',
        initContainerStatuses: [
          cs({
            name: 'restartable-init-1',
            restartCount: 3,
            state: running,
            started: false,
            lastState: finishedAgo(10 * s),
          }),
          cs({ name: 'restartable-init-2', state: { waiting: {} }, started: false }),
        ],
        containerStatuses: [cs({ state: { waiting: {} } })],
        conditions: [{ type: 'Initialized', status: 'False' }],
      }),
      row(['test1', '0/3', 'Init:0/2', '3 (10s ago)', '<unknown>']),
    ],
    [
      '2 restartable init containers, the first started, the second running but not started',
      pod('test1', sidecars, {
        phase: 'Pending',
        initContainerStatuses: [
          cs({
            name: 'restartable-init-1',
            restartCount: 3,
            state: running,
            started: true,
            lastState: finishedAgo(10 * s),
          }),
          cs({ name: 'restartable-init-2', state: running, started: false }),
        ],
        containerStatuses: [cs({ state: { waiting: {} } })],
        conditions: [{ type: 'Initialized', status: 'False' }],
      }),
      row(['test1', '0/3', 'Init:1/2', '3 (10s ago)', '<unknown>']),
    ],
    [
      '2 restartable init containers started and 1 container running',
      pod('test2', sidecars, {
        phase: 'Running',
        initContainerStatuses: [
          cs({
            name: 'restartable-init-1',
            restartCount: 3,
            state: running,
            started: true,
            lastState: finishedAgo(10 * s),
          }),
          cs({ name: 'restartable-init-2', state: running, started: true }),
        ],
        containerStatuses: [cs({ ready: true, restartCount: 4, state: running, lastState: finishedAgo(20 * s) })],
        conditions: [{ type: 'Initialized', status: 'True' }],
      }),
      row(['test2', '1/3', 'Running', '7 (10s ago)', '<unknown>']),
    ],
    [
      '2 restartable init containers completed with non-zero and 1 container completed',
      pod('test3', sidecars, {
        phase: 'Succeeded',
        initContainerStatuses: [
          cs({
            name: 'restartable-init-1',
            restartCount: 3,
            state: { terminated: { reason: 'Error', exitCode: 137 } },
            started: false,
            lastState: finishedAgo(10 * s),
          }),
          cs({ name: 'restartable-init-2', state: { terminated: { reason: 'Error', exitCode: 137 } }, started: false }),
        ],
        containerStatuses: [
          cs({
            restartCount: 4,
            state: { terminated: { reason: 'Completed', exitCode: 0 } },
            lastState: finishedAgo(20 * s),
          }),
        ],
        conditions: [{ type: 'Initialized', status: 'True' }],
      }),
      row(['test3', '0/3', 'Completed', '7 (10s ago)', '<unknown>'], POD_SUCCESS_CONDITIONS),
    ],
    [
      'container statuses for non-existent initContainers and containers',
      pod(
        'test4',
        {
          initContainers: [
            { name: 'init1', image: 'initimage' },
            { name: 'sidecar1', image: 'sidecarimage', restartPolicy: always },
          ],
          containers: [{ name: 'container1', image: 'containerimage' }],
        },
        {
          phase: 'Running',
          initContainerStatuses: [cs({ name: 'initinvalid' }), cs({ name: 'init1' }), cs({ name: 'sidecar1' })],
          containerStatuses: [cs({ name: 'containerinvalid' }), cs({ name: 'container1' })],
        },
      ),
      row(['test4', '0/2', 'Init:0/2', '0', '<unknown>']),
    ],
  ];
  it.each(cases)('%s', (_, given, want) => {
    expect(printPod(given, now)).toEqual(want);
  });
});

describe('printPod -o wide (TestPrintPodwide)', () => {
  const gates = {
    containers: unnamed(2),
    nodeName: 'test1',
    readinessGates: [{ conditionType: 'condition1' }, { conditionType: 'condition2' }, { conditionType: 'condition3' }],
  };
  const gateConditions = [
    { type: 'condition1', status: 'False' as const },
    { type: 'condition2', status: 'True' as const },
  ];
  const statuses = [cs({ ready: true, restartCount: 3, state: running }), cs({ restartCount: 3 })];
  const cases: Array<[string, Pod, TableRow]> = [
    [
      'NodeName and PodIP are not none',
      pod('test1', gates, {
        conditions: gateConditions,
        phase: 'podPhase',
        podIPs: [{ ip: '1.1.1.1' }],
        containerStatuses: statuses,
        nominatedNodeName: 'node1',
      }),
      row(['test1', '1/2', 'podPhase', '6', '<unknown>', '1.1.1.1', 'test1', 'node1', '1/3']),
    ],
    [
      'NodeName and PodIP are not none (dual stack)',
      pod('test1', gates, {
        conditions: gateConditions,
        phase: 'podPhase',
        podIPs: [{ ip: '1.1.1.1' }, { ip: '2001:db8::' }],
        containerStatuses: statuses,
        nominatedNodeName: 'node1',
      }),
      row(['test1', '1/2', 'podPhase', '6', '<unknown>', '1.1.1.1', 'test1', 'node1', '1/3']),
    ],
    [
      'NodeName and PodIP are none',
      pod(
        'test2',
        { containers: unnamed(2), nodeName: '' },
        {
          phase: 'podPhase',
          containerStatuses: [
            cs({ ready: true, restartCount: 3, state: running }),
            cs({ state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 }),
          ],
        },
      ),
      row(['test2', '1/2', 'ContainerWaitingReason', '6', '<unknown>', '<none>', '<none>', '<none>', '<none>']),
    ],
  ];
  it.each(cases)('%s', (_, given, want) => {
    expect(printPod(given, now, { wide: true })).toEqual(want);
  });
});

describe('printPod (TestPrintPodConditions, TestPrintNonTerminatedPod, TestPrintPodList)', () => {
  const statuses = [cs({ ready: true, restartCount: 3, state: running }), cs({ restartCount: 3 })];
  const withPhase = (name: string, phase: string, list = statuses) =>
    pod(name, { containers: unnamed(2) }, { phase, containerStatuses: list });
  it.each<[string, Pod, TableRow]>([
    [
      'TestPrintPodConditions: running pod, no row condition',
      withPhase('test1', 'Running'),
      row(['test1', '1/2', 'Running', '6', '<unknown>']),
    ],
    [
      'TestPrintPodConditions: succeeded pod',
      withPhase('test1', 'Succeeded'),
      row(['test1', '1/2', 'Succeeded', '6', '<unknown>'], POD_SUCCESS_CONDITIONS),
    ],
    [
      'TestPrintPodConditions: failed pod',
      withPhase('test2', 'Failed'),
      row(['test2', '1/2', 'Failed', '6', '<unknown>'], POD_FAILED_CONDITIONS),
    ],
    [
      'TestPrintNonTerminatedPod: Running',
      withPhase('test1', 'Running'),
      row(['test1', '1/2', 'Running', '6', '<unknown>']),
    ],
    [
      'TestPrintNonTerminatedPod: Pending',
      withPhase('test2', 'Pending'),
      row(['test2', '1/2', 'Pending', '6', '<unknown>']),
    ],
    [
      'TestPrintNonTerminatedPod: Unknown',
      withPhase('test3', 'Unknown'),
      row(['test3', '1/2', 'Unknown', '6', '<unknown>']),
    ],
    [
      'TestPrintNonTerminatedPod: Succeeded',
      withPhase('test4', 'Succeeded'),
      row(['test4', '1/2', 'Succeeded', '6', '<unknown>'], POD_SUCCESS_CONDITIONS),
    ],
    [
      'TestPrintNonTerminatedPod: Failed',
      withPhase('test5', 'Failed', [
        cs({ ready: true, restartCount: 3, state: running }),
        cs({ ready: true, restartCount: 3 }),
      ]),
      row(['test5', '1/2', 'Failed', '6', '<unknown>'], POD_FAILED_CONDITIONS),
    ],
  ])('%s', (_, given, want) => {
    expect(printPod(given, now)).toEqual(want);
  });

  it('TestPrintPodList: one row per pod', () => {
    const both = [
      cs({ ready: true, restartCount: 3, state: running }),
      cs({ ready: true, restartCount: 3, state: running }),
    ];
    const pods = [
      withPhase('test1', 'podPhase', both),
      pod(
        'test2',
        { containers: unnamed(1) },
        { phase: 'podPhase', containerStatuses: [cs({ ready: true, restartCount: 1, state: running })] },
      ),
    ];
    expect(printPodList(pods, now)).toEqual([
      row(['test1', '2/2', 'podPhase', '6', '<unknown>']),
      row(['test2', '1/1', 'podPhase', '1', '<unknown>']),
    ]);
  });
});

describe('translateTimestampSince / Until (TestTranslateTimestampSince, TestTranslateTimestampUntil)', () => {
  const utc = (days: number) =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days)).toISOString();
  it.each<[string, string | undefined, string]>([
    ['a while from now', at(2100), '<invalid>'],
    ['almost now', at(1900), '0s'],
    ['now', at(0), '0s'],
    ['unknown', undefined, '<unknown>'],
    ['30 seconds ago', at(-30 * s), '30s'],
    ['5 minutes ago', at(-5 * m), '5m'],
    ['an hour ago', at(-100 * m), '100m'],
    ['2 days ago', utc(-2), '2d'],
    ['months ago', utc(-90), '90d'],
    ['10 years ago', at(-10 * 365 * day), '10y'],
  ])('since: %s', (_, time, want) => {
    expect(translateTimestampSince(time, now)).toBe(want);
  });
  it.each<[string, string | undefined, string]>([
    ['a while ago', at(-2100), '<invalid>'],
    ['almost now', at(-1900), '0s'],
    ['now', at(0), '0s'],
    ['unknown', undefined, '<unknown>'],
    ['in 30 seconds', at(30 * s + 100), '30s'],
    ['in 5 minutes', at(5 * m + 100), '5m'],
    ['in an hour', at(100 * m + 100), '100m'],
    ['in 2 days', utc(2), '2d'],
    ['in months', utc(90), '90d'],
    ['in 10 years', at(10 * 365 * day + 100), '10y'],
  ])('until: %s', (_, time, want) => {
    expect(translateTimestampUntil(time, now)).toBe(want);
  });
});

describe('printJob (TestPrintJob, TestPrintJobList)', () => {
  const template = {
    spec: {
      containers: [
        { name: 'fake-job-container1', image: 'fake-job-image1' },
        { name: 'fake-job-container2', image: 'fake-job-image2' },
      ],
    },
  };
  const job = (
    name: string,
    creation: string,
    spec: Job['spec'],
    status: Job['status'] = {},
    deletion?: string,
  ): Job => ({
    metadata: { name, creationTimestamp: creation, ...(deletion && { deletionTimestamp: deletion }) },
    spec,
    status,
  });
  const soon = at(1900);
  const tenYears = at(-10 * 365 * day);
  const condition = (type: string) => ({ conditions: [{ type, status: 'True' as const }] });
  it.each<[string, Job, boolean, TableRow]>([
    [
      'no generate options',
      job(
        'job1',
        soon,
        { completions: 2, template, selector: { matchLabels: { 'job-label': 'job-lable-value' } } },
        { succeeded: 1 },
      ),
      false,
      row(['job1', 'Running', '1/2', '', '0s']),
    ],
    [
      'generate options Wide',
      job(
        'job1',
        soon,
        { completions: 2, template, selector: { matchLabels: { 'job-label': 'job-label-value' } } },
        { succeeded: 1 },
      ),
      true,
      row([
        'job1',
        'Running',
        '1/2',
        '',
        '0s',
        'fake-job-container1,fake-job-container2',
        'fake-job-image1,fake-job-image2',
        'job-label=job-label-value',
      ]),
    ],
    [
      'ten-year age',
      job('job2', new Date(Date.UTC(2016, 0, 1)).toISOString(), {}, { succeeded: 0 }),
      false,
      row(['job2', 'Running', '0/1', '', '10y']),
    ],
    [
      'duration',
      job('job3', tenYears, {}, { succeeded: 0, startTime: at(m), completionTime: at(31 * m) }),
      false,
      row(['job3', 'Running', '0/1', '30m', '10y']),
    ],
    [
      'running for 20m',
      job('job4', tenYears, {}, { succeeded: 0, startTime: at(-20 * m) }),
      false,
      row(['job4', 'Running', '0/1', '20m', '10y']),
    ],
    [
      'Complete',
      job('job5', soon, {}, { succeeded: 0, ...condition('Complete') }),
      false,
      row(['job5', 'Complete', '0/1', '', '0s']),
    ],
    [
      'Failed',
      job('job6', soon, {}, { succeeded: 0, ...condition('Failed') }),
      false,
      row(['job6', 'Failed', '0/1', '', '0s']),
    ],
    [
      'Suspended',
      job('job7', soon, {}, { succeeded: 0, ...condition('Suspended') }),
      false,
      row(['job7', 'Suspended', '0/1', '', '0s']),
    ],
    [
      'FailureTarget',
      job('job8', soon, {}, { succeeded: 0, ...condition('FailureTarget') }),
      false,
      row(['job8', 'FailureTarget', '0/1', '', '0s']),
    ],
    ['Terminating', job('job9', soon, {}, {}, soon), false, row(['job9', 'Terminating', '0/1', '', '0s'])],
  ])('TestPrintJob: %s', (_, given, wide, want) => {
    expect(printJob(given, now, { wide })).toEqual(want);
  });

  it('TestPrintJobList: one row per job', () => {
    const jobs = [
      job('job1', soon, { completions: 2, template }, { succeeded: 1 }),
      job('job2', soon, { completions: 2, template }, { succeeded: 2, startTime: at(-20 * m) }),
    ];
    expect(printJobList(jobs, now)).toEqual([
      row(['job1', 'Running', '1/2', '', '0s']),
      row(['job2', 'Running', '2/2', '20m', '0s']),
    ]);
  });
});
