import { describe, expect, it } from 'vitest';
import type { ContainerStatus, PodCondition, PodSpec } from '../../lib/status/core-v1.js';
import {
  generateContainersReadyCondition,
  generatePodInitializedCondition,
  generatePodReadyCondition,
  generatePodReadyToStartContainersCondition,
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
    [{ containers: [{ name: '1234' }] }, [], 'Running', cond('ContainersReady', 'False', REASONS.containersNotReady, 'containers with unknown status: [1234]')],
    [{ containers: [{ name: '1234' }, { name: '5678' }] }, [ready('1234'), ready('5678')], 'Running', cond('ContainersReady', 'True')],
    [{ containers: [{ name: '1234' }, { name: '5678' }] }, [ready('1234')], 'Running', cond('ContainersReady', 'False', REASONS.containersNotReady, 'containers with unknown status: [5678]')],
    [{ containers: [{ name: '1234' }, { name: '5678' }] }, [ready('1234'), notReady('5678')], 'Running', cond('ContainersReady', 'False', REASONS.containersNotReady, 'containers with unready status: [5678]')],
    [{ containers: [{ name: '1234' }] }, [notReady('1234')], 'Succeeded', cond('ContainersReady', 'False', REASONS.podCompleted)],
    [{ initContainers: sidecars('restartable-init-1'), containers: [{ name: 'regular-1' }] }, [ready('regular-1')], 'Running',
      cond('ContainersReady', 'False', REASONS.containersNotReady, 'containers with unknown status: [restartable-init-1]')],
    [{ initContainers: sidecars('restartable-init-1', 'restartable-init-2'), containers: [{ name: 'regular-1' }] },
      [ready('restartable-init-1'), ready('restartable-init-2'), ready('regular-1')], 'Running', cond('ContainersReady', 'True')],
    [{ initContainers: sidecars('restartable-init-1', 'restartable-init-2'), containers: [{ name: 'regular-1' }] },
      [ready('restartable-init-1'), ready('regular-1')], 'Running',
      cond('ContainersReady', 'False', REASONS.containersNotReady, 'containers with unknown status: [restartable-init-2]')],
    [{ initContainers: sidecars('restartable-init-1', 'restartable-init-2'), containers: [{ name: 'regular-1' }] },
      [ready('restartable-init-1'), notReady('restartable-init-2'), ready('regular-1')], 'Running',
      cond('ContainersReady', 'False', REASONS.containersNotReady, 'containers with unready status: [restartable-init-2]')],
  ];
  it.each(cases.map((c, i) => [i, ...c] as const))('case %i', (_, spec, statuses, phase, want) => {
    // GIVEN upstream's spec and statuses / WHEN generated / THEN upstream's condition
    expect(generateContainersReadyCondition(spec, statuses, phase)).toEqual(want);
  });
});

describe('generatePodReadyCondition (TestGeneratePodReadyCondition)', () => {
  const gate = (...names: string[]) => names.map((conditionType) => ({ conditionType }));
  const cases: Array<[PodSpec, PodCondition[] | undefined, ContainerStatus[] | undefined, string, GeneratedCondition]> = [
    [{}, undefined, undefined, 'Running', cond('Ready', 'False', REASONS.unknownContainerStatuses)],
    [{}, undefined, [], 'Running', cond('Ready', 'True')],
    [{ containers: [{ name: '1234' }] }, undefined, [], 'Running', cond('Ready', 'False', REASONS.containersNotReady, 'containers with unknown status: [1234]')],
    [{ containers: [{ name: '1234' }, { name: '5678' }] }, undefined, [ready('1234'), ready('5678')], 'Running', cond('Ready', 'True')],
    [{ containers: [{ name: '1234' }, { name: '5678' }] }, undefined, [ready('1234')], 'Running', cond('Ready', 'False', REASONS.containersNotReady, 'containers with unknown status: [5678]')],
    [{ containers: [{ name: '1234' }, { name: '5678' }] }, undefined, [ready('1234'), notReady('5678')], 'Running', cond('Ready', 'False', REASONS.containersNotReady, 'containers with unready status: [5678]')],
    [{ containers: [{ name: '1234' }] }, undefined, [notReady('1234')], 'Succeeded', cond('Ready', 'False', REASONS.podCompleted)],
    [{ readinessGates: gate('gate1') }, undefined, [], 'Running', cond('Ready', 'False', REASONS.readinessGatesNotReady, 'corresponding condition of pod readiness gate "gate1" does not exist.')],
    [{ readinessGates: gate('gate1') }, [cond('gate1', 'False')], [], 'Running', cond('Ready', 'False', REASONS.readinessGatesNotReady, 'the status of pod readiness gate "gate1" is not "True", but False')],
    [{ readinessGates: gate('gate1') }, [cond('gate1', 'True')], [], 'Running', cond('Ready', 'True')],
    [{ readinessGates: gate('gate1', 'gate2') }, [cond('gate1', 'True')], [], 'Running', cond('Ready', 'False', REASONS.readinessGatesNotReady, 'corresponding condition of pod readiness gate "gate2" does not exist.')],
    [{ readinessGates: gate('gate1', 'gate2') }, [cond('gate1', 'True'), cond('gate2', 'False')], [], 'Running',
      cond('Ready', 'False', REASONS.readinessGatesNotReady, 'the status of pod readiness gate "gate2" is not "True", but False')],
    [{ readinessGates: gate('gate1', 'gate2') }, [cond('gate1', 'True'), cond('gate2', 'True')], [], 'Running', cond('Ready', 'True')],
    [{ containers: [{ name: '1234' }], readinessGates: gate('gate1') }, [cond('gate1', 'True')], [notReady('1234')], 'Running',
      cond('Ready', 'False', REASONS.containersNotReady, 'containers with unready status: [1234]')],
  ];
  it.each(cases.map((c, i) => [i, ...c] as const))('case %i', (_, spec, conditions, statuses, phase, want) => {
    expect(generatePodReadyCondition(spec, conditions, statuses, phase)).toEqual(want);
  });
});

describe('generatePodInitializedCondition (TestGeneratePodInitializedCondition)', () => {
  const noInitContainer: PodSpec = {};
  const oneInitContainer: PodSpec = { initContainers: [{ name: '1234' }], containers: [{ name: 'regular' }] };
  const twoInitContainer: PodSpec = { initContainers: [{ name: '1234' }, { name: '5678' }], containers: [{ name: 'regular' }] };
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
    [oneRestartableInitContainer, [notStarted('1234'), status('regular', { state: { running: {} } })], 'Running', 'True', ''],
    [oneInitContainer, [status('1234', { state: { waiting: {} } }), status('regular', { state: { terminated: { exitCode: 0 } } })], 'Running', 'True', ''],
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
