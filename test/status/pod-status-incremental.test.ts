import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PodShape } from '../../lib/model/pod-shape.js';
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
import { podEventsOf, podShapes } from '../helpers/pod-events.js';

// The tracker updates the status from counts kept event by event (docs/design.md §7); these
// properties hold it to the fold from scratch and to the kubelet's rules run over every container.

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
        podShapes.chain((shape) => fc.tuple(fc.constant(shape), podEventsOf(shape))),
        ([shape, events]) => {
          // GIVEN a tracker fed a random stream one event at a time
          const tracker = new PodStatusTracker(shape);
          const returned: PodStatus[] = [];
          const copies: PodStatus[] = [];
          events.forEach((event, i) => {
            const previous = tracker.status;
            tracker.apply(event);
            const status = tracker.status;
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
