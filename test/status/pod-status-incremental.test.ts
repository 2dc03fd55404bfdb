import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PodShape, StepShape } from '../../lib/model/pod-shape.js';
import type { ContainerStatus, PodSpec } from '../../lib/status/core-v1.js';
import type { PodEvent } from '../../lib/status/events.js';
import {
  generateContainersReadyCondition,
  generatePodInitializedCondition,
  generatePodReadyCondition,
  getPhase,
  hasAnyRegularContainerStarted,
} from '../../lib/status/kubelet.js';
import { podStatus, PodStatusTracker, timestamp, type PodStatus } from '../../lib/status/pod-status.js';

// The tracker updates the status from counts kept event by event (docs/design.md §7); these
// properties hold it to the fold from scratch and to the kubelet's rules run over every container.

const RESTART = { intervalSeconds: 10, backoffRate: 2, maxDelaySeconds: 300, maxAttempts: 3 };

const step = (role: StepShape['role'], index: number, ignore: boolean, restarts: boolean): StepShape => ({
  id: `${role}-${index}`,
  role,
  index,
  executor: 'lambda',
  ...(restarts && { restart: RESTART }),
  failurePolicy: ignore ? 'Ignore' : 'Fail',
  container: { name: `${role}-${index}`, image: 'busybox', command: ['true'], args: [] },
});

const shapes: fc.Arbitrary<PodShape> = fc
  .record({
    init: fc.array(fc.record({ sidecar: fc.boolean(), ignore: fc.boolean(), restarts: fc.boolean() }), {
      maxLength: 4,
    }),
    app: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
    restartPolicy: fc.constantFrom('Always', 'OnFailure', 'Never', undefined),
    podRetry: fc.boolean(),
  })
  .map(({ init, app, restartPolicy, podRetry }) => ({
    name: 'p',
    namespace: 'default',
    kind: podRetry ? 'Job' : 'Pod',
    labels: {},
    annotations: {},
    ...(podRetry && { podRetry: { maxAttempts: 3 } as PodShape['podRetry'] }),
    ...(restartPolicy && { restartPolicy }),
    init: init.map((c, i) => step(c.sidecar ? 'sidecar' : 'init', i, c.ignore && !c.sidecar, c.restarts)),
    app: app.map((restarts, i) => step('app', i, false, restarts)),
  }));

/** Any event in any order, on any container: the tracker must agree with the fold whatever it is fed. */
const eventsOf = (shape: PodShape): fc.Arbitrary<PodEvent[]> => {
  const container = fc.constantFrom(...[...shape.init, ...shape.app].map((s) => s.container.name));
  const kind = fc.oneof(
    { weight: 1, arbitrary: fc.constant({ type: 'PodStarted' as const }) },
    {
      weight: 4,
      arbitrary: fc.record({ type: fc.constant('ContainerStarted' as const), container, attempt: fc.nat(3) }),
    },
    {
      weight: 4,
      arbitrary: fc.record(
        {
          type: fc.constant('ContainerExited' as const),
          container,
          exitCode: fc.constantFrom(0, 0, 1, 137),
          reason: fc.constantFrom('OOMKilled', 'DeadlineExceeded'),
          message: fc.constant('tail'),
        },
        { requiredKeys: ['type', 'container', 'exitCode'] },
      ),
    },
    {
      weight: 2,
      arbitrary: fc.record(
        {
          type: fc.constant('ContainerWaiting' as const),
          container,
          reason: fc.constantFrom('CrashLoopBackOff', 'PodInitializing', 'ContainerCreating', 'ImagePullBackOff'),
          message: fc.constant('back-off'),
        },
        { requiredKeys: ['type', 'container', 'reason'] },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant('PodStopping' as const),
        reason: fc.constantFrom('DeadlineExceeded' as const, 'Interrupted' as const),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record(
        {
          type: fc.constant('PodFinished' as const),
          phase: fc.constantFrom('Succeeded' as const, 'Failed' as const),
          message: fc.constant('done'),
        },
        { requiredKeys: ['type', 'phase'] },
      ),
    },
  );
  // Mostly scheduled first, as every runtime says it; sometimes after container events, or never.
  return fc
    .tuple(fc.nat(5), fc.array(fc.tuple(kind, fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 60 }))
    .map(([scheduled, steps]) => {
      let s = 0;
      const events = steps.map(([e, gap]) => ({ ...e, at: new Date((s += gap) * 1000) }) as PodEvent);
      return scheduled === 0 ? events : [{ type: 'PodStarted', at: new Date(0) } as PodEvent, ...events];
    });
};

/**
 * The spec the kubelet's rules read after `events`, found from scratch: an init container whose
 * failure is ignored (failurePolicy Ignore, failed, and not to be retried, or a later container ran
 * in this pod since) drops out of it.
 */
function rulesSpec(shape: PodShape, tracker: PodStatusTracker, events: readonly PodEvent[]): PodSpec {
  const order = [...shape.init, ...shape.app].map((s) => s.container.name);
  let ran = new Set<string>();
  for (const e of events) {
    if (e.type !== 'ContainerStarted' || !order.includes(e.container)) continue;
    if (shape.podRetry && ran.has(e.container)) ran = new Set();
    ran.add(e.container);
  }
  const statuses = tracker.status.initContainerStatuses ?? [];
  const ignored = shape.init.filter((s, i) => {
    const code = statuses[i]!.state.terminated?.exitCode ?? 0;
    const later = order.slice(i + 1).some((name) => ran.has(name));
    return s.failurePolicy === 'Ignore' && code !== 0 && (!s.restart || later);
  });
  const names = new Set(ignored.map((s) => s.container.name));
  return { ...tracker.spec, initContainers: tracker.spec.initContainers!.filter((c) => !names.has(c.name)) };
}

/** The kubelet's rules over every container of the status, as a non-incremental mapper runs them. */
function fromScratch(shape: PodShape, tracker: PodStatusTracker, events: readonly PodEvent[]) {
  const { status } = tracker;
  const rules = rulesSpec(shape, tracker, events);
  const all: ContainerStatus[] = [...(status.initContainerStatuses ?? []), ...status.containerStatuses];
  const terminal = events.some(
    (e) => e.type === 'PodFinished' || (e.type === 'PodStopping' && e.reason !== 'Interrupted'),
  );
  const phase = terminal ? status.phase : getPhase(rules, all, false, hasAnyRegularContainerStarted(rules, all));
  return {
    phase,
    conditions: [
      generatePodInitializedCondition(rules, all, phase),
      generatePodReadyCondition(rules, [], all, phase),
      generateContainersReadyCondition(rules, all, phase),
    ],
  };
}

const withoutTimes = (status: PodStatus) =>
  status.conditions
    .filter((c) => ['Initialized', 'Ready', 'ContainersReady'].includes(c.type))
    .map(({ lastTransitionTime: _, ...c }) => c);

describe('PodStatusTracker, incremental', () => {
  it('equals the fold from scratch and the kubelet rules over every container, after every prefix', () => {
    fc.assert(
      fc.property(
        shapes.chain((shape) => fc.tuple(fc.constant(shape), eventsOf(shape))),
        ([shape, events]) => {
          // GIVEN a tracker fed a random stream one event at a time
          const tracker = new PodStatusTracker(shape);
          const returned: PodStatus[] = [];
          const copies: PodStatus[] = [];
          events.forEach((event, i) => {
            const previous = tracker.status;
            const status = tracker.apply(event);
            returned.push(status);
            copies.push(structuredClone(status));
            const prefix = events.slice(0, i + 1);
            // THEN it is the status of the prefix computed from scratch
            expect(status).toEqual(podStatus(shape, prefix));
            const scratch = fromScratch(shape, tracker, prefix);
            expect(status.phase).toBe(scratch.phase);
            // (a pod not scheduled yet has no conditions)
            expect(withoutTimes(status)).toEqual(status.startTime ? scratch.conditions : []);
            // AND a condition's lastTransitionTime moves exactly when its status changes
            for (const c of status.conditions) {
              const before = previous.conditions.find((p) => p.type === c.type);
              const expected = before?.status === c.status ? before.lastTransitionTime : timestamp(event.at);
              expect(c.lastTransitionTime).toBe(expected);
            }
          });
          // AND a status once returned is never changed by the events after it
          expect(returned).toEqual(copies);
        },
      ),
      { numRuns: 300, seed: 13 },
    );
  });
});
