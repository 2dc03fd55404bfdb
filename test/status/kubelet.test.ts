import { describe, expect, it } from 'vitest';
import type { ContainerStatus, PodCondition, PodSpec } from '../../lib/status/core-v1.js';
import {
  generateContainersReadyCondition,
  generatePodInitializedCondition,
  generatePodReadyCondition,
  generatePodReadyToStartContainersCondition,
  getPhase,
  hasAnyRegularContainerStarted,
  REASONS,
  type GeneratedCondition,
  type Sandbox,
} from '../../lib/status/kubelet.js';

/**
 * The kubelet's own tables (pkg/kubelet/status/generate_test.go), case for case, each `it` named
 * after its upstream test and case number. Go's zero values become the defaults of `status` below.
 */
const status = (name: string, fields: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name,
  ready: false,
  restartCount: 0,
  state: {},
  lastState: {},
  ...fields,
});
const ready = (name: string) => status(name, { ready: true });
const notReady = (name: string) => status(name, { ready: false });
const started = (name: string) => status(name, { started: true });
const notStarted = (name: string) => status(name, { started: false });
const cond = (type: string, s: PodCondition['status'], reason = '', message = ''): GeneratedCondition => ({
  type,
  status: s,
  ...(reason && { reason }),
  ...(message && { message }),
});
const always = 'Always';
const sidecars = (...names: string[]) => names.map((name) => ({ name, restartPolicy: always }));

describe('generateContainersReadyCondition (TestGenerateContainersReadyCondition)', () => {
  const cases: Array<[PodSpec, ContainerStatus[] | undefined, string, GeneratedCondition]> = [
    [{}, undefined, 'Running', cond('ContainersReady', 'False', REASONS.unknownContainerStatuses)],
    [{}, [], 'Running', cond('ContainersReady', 'True')],
    [
      { containers: [{ name: '1234' }] },
      [],
      'Running',
      cond('ContainersReady', 'False', REASONS.containersNotReady, 'containers with unknown status: [1234]'),
    ],
    [
      { containers: [{ name: '1234' }, { name: '5678' }] },
      [ready('1234'), ready('5678')],
      'Running',
      cond('ContainersReady', 'True'),
    ],
    [
      { containers: [{ name: '1234' }, { name: '5678' }] },
      [ready('1234')],
      'Running',
      cond('ContainersReady', 'False', REASONS.containersNotReady, 'containers with unknown status: [5678]'),
    ],
    [
      { containers: [{ name: '1234' }, { name: '5678' }] },
      [ready('1234'), notReady('5678')],
      'Running',
      cond('ContainersReady', 'False', REASONS.containersNotReady, 'containers with unready status: [5678]'),
    ],
    [
      { containers: [{ name: '1234' }] },
      [notReady('1234')],
      'Succeeded',
      cond('ContainersReady', 'False', REASONS.podCompleted),
    ],
    [
      { initContainers: sidecars('restartable-init-1'), containers: [{ name: 'regular-1' }] },
      [ready('regular-1')],
      'Running',
      cond(
        'ContainersReady',
        'False',
        REASONS.containersNotReady,
        'containers with unknown status: [restartable-init-1]',
      ),
    ],
    [
      { initContainers: sidecars('restartable-init-1', 'restartable-init-2'), containers: [{ name: 'regular-1' }] },
      [ready('restartable-init-1'), ready('restartable-init-2'), ready('regular-1')],
      'Running',
      cond('ContainersReady', 'True'),
    ],
    [
      { initContainers: sidecars('restartable-init-1', 'restartable-init-2'), containers: [{ name: 'regular-1' }] },
      [ready('restartable-init-1'), ready('regular-1')],
      'Running',
      cond(
        'ContainersReady',
        'False',
        REASONS.containersNotReady,
        'containers with unknown status: [restartable-init-2]',
      ),
    ],
    [
      { initContainers: sidecars('restartable-init-1', 'restartable-init-2'), containers: [{ name: 'regular-1' }] },
      [ready('restartable-init-1'), notReady('restartable-init-2'), ready('regular-1')],
      'Running',
      cond(
        'ContainersReady',
        'False',
        REASONS.containersNotReady,
        'containers with unready status: [restartable-init-2]',
      ),
    ],
  ];
  it.each(cases.map((c, i) => [i, ...c] as const))('case %i', (_, spec, statuses, phase, want) => {
    // GIVEN upstream's spec and statuses / WHEN generated / THEN upstream's condition
    expect(generateContainersReadyCondition(spec, statuses, phase)).toEqual(want);
  });
});

describe('generatePodReadyCondition (TestGeneratePodReadyCondition)', () => {
  const gate = (...names: string[]) => names.map((conditionType) => ({ conditionType }));
  const cases: Array<[PodSpec, PodCondition[] | undefined, ContainerStatus[] | undefined, string, GeneratedCondition]> =
    [
      [{}, undefined, undefined, 'Running', cond('Ready', 'False', REASONS.unknownContainerStatuses)],
      [{}, undefined, [], 'Running', cond('Ready', 'True')],
      [
        { containers: [{ name: '1234' }] },
        undefined,
        [],
        'Running',
        cond('Ready', 'False', REASONS.containersNotReady, 'containers with unknown status: [1234]'),
      ],
      [
        { containers: [{ name: '1234' }, { name: '5678' }] },
        undefined,
        [ready('1234'), ready('5678')],
        'Running',
        cond('Ready', 'True'),
      ],
      [
        { containers: [{ name: '1234' }, { name: '5678' }] },
        undefined,
        [ready('1234')],
        'Running',
        cond('Ready', 'False', REASONS.containersNotReady, 'containers with unknown status: [5678]'),
      ],
      [
        { containers: [{ name: '1234' }, { name: '5678' }] },
        undefined,
        [ready('1234'), notReady('5678')],
        'Running',
        cond('Ready', 'False', REASONS.containersNotReady, 'containers with unready status: [5678]'),
      ],
      [
        { containers: [{ name: '1234' }] },
        undefined,
        [notReady('1234')],
        'Succeeded',
        cond('Ready', 'False', REASONS.podCompleted),
      ],
      [
        { readinessGates: gate('gate1') },
        undefined,
        [],
        'Running',
        cond(
          'Ready',
          'False',
          REASONS.readinessGatesNotReady,
          'corresponding condition of pod readiness gate "gate1" does not exist.',
        ),
      ],
      [
        { readinessGates: gate('gate1') },
        [cond('gate1', 'False')],
        [],
        'Running',
        cond(
          'Ready',
          'False',
          REASONS.readinessGatesNotReady,
          'the status of pod readiness gate "gate1" is not "True", but False',
        ),
      ],
      [{ readinessGates: gate('gate1') }, [cond('gate1', 'True')], [], 'Running', cond('Ready', 'True')],
      [
        { readinessGates: gate('gate1', 'gate2') },
        [cond('gate1', 'True')],
        [],
        'Running',
        cond(
          'Ready',
          'False',
          REASONS.readinessGatesNotReady,
          'corresponding condition of pod readiness gate "gate2" does not exist.',
        ),
      ],
      [
        { readinessGates: gate('gate1', 'gate2') },
        [cond('gate1', 'True'), cond('gate2', 'False')],
        [],
        'Running',
        cond(
          'Ready',
          'False',
          REASONS.readinessGatesNotReady,
          'the status of pod readiness gate "gate2" is not "True", but False',
        ),
      ],
      [
        { readinessGates: gate('gate1', 'gate2') },
        [cond('gate1', 'True'), cond('gate2', 'True')],
        [],
        'Running',
        cond('Ready', 'True'),
      ],
      [
        { containers: [{ name: '1234' }], readinessGates: gate('gate1') },
        [cond('gate1', 'True')],
        [notReady('1234')],
        'Running',
        cond('Ready', 'False', REASONS.containersNotReady, 'containers with unready status: [1234]'),
      ],
    ];
  it.each(cases.map((c, i) => [i, ...c] as const))('case %i', (_, spec, conditions, statuses, phase, want) => {
    expect(generatePodReadyCondition(spec, conditions, statuses, phase)).toEqual(want);
  });
});

describe('generatePodInitializedCondition (TestGeneratePodInitializedCondition)', () => {
  const noInitContainer: PodSpec = {};
  const oneInitContainer: PodSpec = { initContainers: [{ name: '1234' }], containers: [{ name: 'regular' }] };
  const twoInitContainer: PodSpec = {
    initContainers: [{ name: '1234' }, { name: '5678' }],
    containers: [{ name: 'regular' }],
  };
  const oneRestartableInitContainer: PodSpec = { initContainers: sidecars('1234'), containers: [{ name: 'regular' }] };
  // Upstream compares type, status and reason only.
  const cases: Array<[PodSpec, ContainerStatus[] | undefined, string, PodCondition['status'], string]> = [
    [twoInitContainer, undefined, 'Running', 'False', REASONS.unknownContainerStatuses],
    [noInitContainer, [], 'Running', 'True', ''],
    [oneInitContainer, [], 'Running', 'False', REASONS.containersNotInitialized],
    [twoInitContainer, [ready('1234'), ready('5678')], 'Running', 'True', ''],
    [twoInitContainer, [ready('1234')], 'Running', 'False', REASONS.containersNotInitialized],
    [twoInitContainer, [ready('1234'), notReady('5678')], 'Running', 'False', REASONS.containersNotInitialized],
    [oneInitContainer, [ready('1234')], 'Succeeded', 'True', REASONS.podCompleted],
    [oneRestartableInitContainer, [notStarted('1234')], 'Pending', 'False', REASONS.containersNotInitialized],
    [oneRestartableInitContainer, [started('1234')], 'Running', 'True', ''],
    [
      oneRestartableInitContainer,
      [notStarted('1234'), status('regular', { state: { running: {} } })],
      'Running',
      'True',
      '',
    ],
    [
      oneInitContainer,
      [status('1234', { state: { waiting: {} } }), status('regular', { state: { terminated: { exitCode: 0 } } })],
      'Running',
      'True',
      '',
    ],
  ];
  it.each(cases.map((c, i) => [i, ...c] as const))('case %i', (_, spec, statuses, phase, s, reason) => {
    const got = generatePodInitializedCondition(spec, statuses, phase);
    expect([got.type, got.status, got.reason ?? '']).toEqual(['Initialized', s, reason]);
  });
});

describe('generatePodReadyToStartContainersCondition (TestGeneratePodReadyToStartContainersCondition)', () => {
  it.each<[string, Sandbox[], PodCondition['status']]>([
    ['Empty pod status', [], 'False'],
    ['Pod sandbox status not ready', [{ ready: false }], 'False'],
    ['Pod sandbox status ready but no IP configured', [{ ready: true, ip: '' }], 'False'],
    ['Pod sandbox status ready and IP configured', [{ ready: true, ip: '10.0.0.10' }], 'True'],
  ])('%s', (_, sandboxes, want) => {
    const got = generatePodReadyToStartContainersCondition(sandboxes);
    expect([got.type, got.status]).toEqual(['PodReadyToStartContainers', want]);
  });
});

/**
 * getPhase's own tables (pkg/kubelet/kubelet_pods_test.go, TestPodPhaseWith*), case for case.
 * `podHasInitialized` is what the kubelet passes: an app container is or was running.
 */
describe('getPhase (TestPodPhaseWith*)', () => {
  const runningState = (name: string) => status(name, { state: { running: {} } });
  const startedState = (name: string) => status(name, { state: { running: {} }, started: true });
  const stoppedState = (name: string) => status(name, { state: { terminated: { exitCode: 0 } } });
  const succeededState = stoppedState;
  const failedState = (name: string) => status(name, { state: { terminated: { exitCode: -1 } } });
  const waitingState = (name: string) => status(name, { state: { waiting: {} } });
  const waitingStateWithLastTermination = (name: string) =>
    status(name, { state: { waiting: {} }, lastState: { terminated: { exitCode: 0 } } });
  const waitingStateWithNonZeroTermination = (name: string) =>
    status(name, { state: { waiting: {} }, lastState: { terminated: { exitCode: -1 } } });
  const app = [{ name: 'containerA' }, { name: 'containerB' }];
  const phase = (spec: PodSpec, info: ContainerStatus[], terminal = false) =>
    getPhase(spec, info, terminal, hasAnyRegularContainerStarted(spec, info));
  type Case = [string, ContainerStatus[], string, boolean?];
  const table = (name: string, spec: PodSpec, cases: Case[]) =>
    describe(name, () => {
      it.each(cases)('%s', (_, info, want, terminal) => {
        // GIVEN upstream's statuses / WHEN the phase is computed / THEN upstream's phase
        expect(phase(spec, info, terminal ?? false)).toBe(want);
      });
    });

  table('TestPodPhaseWithRestartAlways', { containers: app, restartPolicy: 'Always' }, [
    ['waiting', [], 'Pending'],
    ['all running', [runningState('containerA'), runningState('containerB')], 'Running'],
    ['all stopped with restart always', [stoppedState('containerA'), stoppedState('containerB')], 'Running'],
    [
      'all succeeded with restart always, but the pod is terminal',
      [succeededState('containerA'), succeededState('containerB')],
      'Succeeded',
      true,
    ],
    [
      'all stopped with restart always, but the pod is terminal',
      [succeededState('containerA'), failedState('containerB')],
      'Failed',
      true,
    ],
    ['mixed state #1 with restart always', [runningState('containerA'), stoppedState('containerB')], 'Running'],
    ['mixed state #2 with restart always', [runningState('containerA')], 'Pending'],
    ['mixed state #3 with restart always', [runningState('containerA'), waitingState('containerB')], 'Pending'],
    [
      'backoff crashloop container with restart always',
      [runningState('containerA'), waitingStateWithLastTermination('containerB')],
      'Running',
    ],
  ]);
  table(
    'TestPodPhaseWithRestartAlwaysInitContainers',
    { initContainers: [{ name: 'containerX' }], containers: app, restartPolicy: 'Always' },
    [
      ['empty, waiting', [], 'Pending'],
      ['init container running', [runningState('containerX')], 'Pending'],
      ['init container terminated non-zero', [failedState('containerX')], 'Pending'],
      ['init container waiting, terminated zero', [waitingStateWithLastTermination('containerX')], 'Pending'],
      ['init container waiting, terminated non-zero', [waitingStateWithNonZeroTermination('containerX')], 'Pending'],
      ['init container waiting, not terminated', [waitingState('containerX')], 'Pending'],
      [
        'init container succeeded',
        [succeededState('containerX'), runningState('containerA'), runningState('containerB')],
        'Running',
      ],
    ],
  );
  table(
    'TestPodPhaseWithRestartAlwaysRestartableInitContainers',
    { initContainers: sidecars('containerX'), containers: app, restartPolicy: 'Always' },
    [
      ['empty, waiting', [], 'Pending'],
      ['restartable init container running', [runningState('containerX')], 'Pending'],
      ['restartable init container stopped', [stoppedState('containerX')], 'Pending'],
      [
        'restartable init container waiting, terminated zero',
        [waitingStateWithLastTermination('containerX')],
        'Pending',
      ],
      [
        'restartable init container waiting, terminated non-zero',
        [waitingStateWithNonZeroTermination('containerX')],
        'Pending',
      ],
      ['restartable init container waiting, not terminated', [waitingState('containerX')], 'Pending'],
      [
        'restartable init container started, 1/2 regular container running',
        [startedState('containerX'), runningState('containerA')],
        'Pending',
      ],
      [
        'restartable init container started, all regular containers running',
        [startedState('containerX'), runningState('containerA'), runningState('containerB')],
        'Running',
      ],
      [
        'restartable init container running, all regular containers running',
        [runningState('containerX'), runningState('containerA'), runningState('containerB')],
        'Running',
      ],
      [
        'restartable init container stopped, all regular containers running',
        [stoppedState('containerX'), runningState('containerA'), runningState('containerB')],
        'Running',
      ],
      [
        'backoff crashloop restartable init container, all regular containers running',
        [waitingStateWithLastTermination('containerX'), runningState('containerA'), runningState('containerB')],
        'Running',
      ],
      [
        'all regular containers succeeded and restartable init container failed with restart always, ' +
          'but the pod is terminal',
        [failedState('containerX'), succeededState('containerA'), succeededState('containerB')],
        'Succeeded',
        true,
      ],
      [
        'all regular containers succeeded and restartable init container succeeded with restart always, ' +
          'but the pod is terminal',
        [succeededState('containerX'), succeededState('containerA'), succeededState('containerB')],
        'Succeeded',
        true,
      ],
    ],
  );
  table(
    'TestPodPhaseWithRestartAlwaysAndPodHasRun',
    {
      initContainers: [{ name: 'containerX' }, { name: 'containerY', restartPolicy: always }],
      containers: [{ name: 'containerA' }],
      restartPolicy: 'Always',
    },
    [
      [
        'regular init containers, restartable init container and regular container are all running',
        [runningState('containerX'), runningState('containerY'), runningState('containerA')],
        'Pending',
      ],
      [
        'regular containers is stopped, restartable init container and regular int container are both running',
        [runningState('containerX'), runningState('containerY'), stoppedState('containerA')],
        'Pending',
      ],
      [
        'regular init container is succeeded, restartable init container is running, regular containers is stopped',
        [succeededState('containerX'), runningState('containerY'), stoppedState('containerA')],
        'Running',
      ],
      [
        'regular init container is succeeded, restartable init container and regular containers are both running',
        [succeededState('containerX'), runningState('containerY'), runningState('containerA')],
        'Running',
      ],
    ],
  );
  table('TestPodPhaseWithRestartNever', { containers: app, restartPolicy: 'Never' }, [
    ['waiting', [], 'Pending'],
    ['all running with restart never', [runningState('containerA'), runningState('containerB')], 'Running'],
    ['all succeeded with restart never', [succeededState('containerA'), succeededState('containerB')], 'Succeeded'],
    ['all failed with restart never', [failedState('containerA'), failedState('containerB')], 'Failed'],
    ['mixed state #1 with restart never', [runningState('containerA'), succeededState('containerB')], 'Running'],
    ['mixed state #2 with restart never', [runningState('containerA')], 'Pending'],
    ['mixed state #3 with restart never', [runningState('containerA'), waitingState('containerB')], 'Pending'],
  ]);
  table(
    'TestPodPhaseWithRestartNeverInitContainers',
    { initContainers: [{ name: 'containerX' }], containers: app, restartPolicy: 'Never' },
    [
      ['empty, waiting', [], 'Pending'],
      ['init container running', [runningState('containerX')], 'Pending'],
      ['init container terminated non-zero', [failedState('containerX')], 'Failed'],
      ['init container waiting, terminated zero', [waitingStateWithLastTermination('containerX')], 'Pending'],
      ['init container waiting, terminated non-zero', [waitingStateWithNonZeroTermination('containerX')], 'Failed'],
      ['init container waiting, not terminated', [waitingState('containerX')], 'Pending'],
      [
        'init container succeeded',
        [succeededState('containerX'), runningState('containerA'), runningState('containerB')],
        'Running',
      ],
    ],
  );
  table(
    'TestPodPhaseWithRestartNeverRestartableInitContainers',
    { initContainers: sidecars('containerX'), containers: app, restartPolicy: 'Never' },
    [
      ['empty, waiting', [], 'Pending'],
      ['restartable init container running', [runningState('containerX')], 'Pending'],
      ['restartable init container stopped', [stoppedState('containerX')], 'Pending'],
      [
        'restartable init container waiting, terminated zero',
        [waitingStateWithLastTermination('containerX')],
        'Pending',
      ],
      [
        'restartable init container waiting, terminated non-zero',
        [waitingStateWithNonZeroTermination('containerX')],
        'Pending',
      ],
      ['restartable init container waiting, not terminated', [waitingState('containerX')], 'Pending'],
      [
        'restartable init container started, one main container running',
        [startedState('containerX'), runningState('containerA')],
        'Pending',
      ],
      [
        'restartable init container started, main containers succeeded',
        [startedState('containerX'), succeededState('containerA'), succeededState('containerB')],
        'Running',
      ],
      [
        'restartable init container running, main containers succeeded',
        [runningState('containerX'), succeededState('containerA'), succeededState('containerB')],
        'Running',
      ],
      [
        'all containers succeeded',
        [succeededState('containerX'), succeededState('containerA'), succeededState('containerB')],
        'Succeeded',
      ],
      [
        'restartable init container terminated non-zero, main containers succeeded',
        [failedState('containerX'), succeededState('containerA'), succeededState('containerB')],
        'Succeeded',
      ],
      [
        'backoff crashloop restartable init container, main containers succeeded',
        [waitingStateWithLastTermination('containerX'), succeededState('containerA'), succeededState('containerB')],
        'Succeeded',
      ],
      [
        'backoff crashloop with non-zero restartable init container, main containers succeeded',
        [waitingStateWithNonZeroTermination('containerX'), succeededState('containerA'), succeededState('containerB')],
        'Succeeded',
      ],
    ],
  );
  table('TestPodPhaseWithRestartOnFailure', { containers: app, restartPolicy: 'OnFailure' }, [
    ['waiting', [], 'Pending'],
    ['all running with restart onfailure', [runningState('containerA'), runningState('containerB')], 'Running'],
    ['all succeeded with restart onfailure', [succeededState('containerA'), succeededState('containerB')], 'Succeeded'],
    ['all failed with restart never', [failedState('containerA'), failedState('containerB')], 'Running'],
    ['mixed state #1 with restart onfailure', [runningState('containerA'), succeededState('containerB')], 'Running'],
    ['mixed state #2 with restart onfailure', [runningState('containerA')], 'Pending'],
    ['mixed state #3 with restart onfailure', [runningState('containerA'), waitingState('containerB')], 'Pending'],
    [
      'backoff crashloop container with restart onfailure',
      [runningState('containerA'), waitingStateWithLastTermination('containerB')],
      'Running',
    ],
  ]);
});
