import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContainerState, ContainerStatus, Pod, PodCondition, PodSpec } from '../../lib/status/core-v1.js';
import { timestamp } from '../../lib/status/core-v1.js';
import { printPod } from '../../lib/status/kubectl.js';
import { podObject } from '../../lib/status/pod-object.js';
import { PodRow } from '../../lib/status/pod-row.js';
import { PodStatusTracker } from '../../lib/status/pod-status.js';
import { podEventsOf, podShapes } from '../helpers/pod-events.js';

// The row kept container by container (docs/design.md §7) must be printPod's, which walks every
// container: after every event of a random stream, and after every change of any container status.

const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000);

describe('PodStatusTracker.rowCells', () => {
  it("is printPod's row of the tracked pod after every event, whenever it was first read", () => {
    fc.assert(
      fc.property(
        podShapes.chain((shape) => fc.tuple(fc.constant(shape), podEventsOf(shape), fc.nat(60), fc.nat(900))),
        ([shape, events, firstRead, later]) => {
          // GIVEN a tracker fed a random stream, its row first read after some of the events
          const tracker = new PodStatusTracker(shape);
          events.forEach((event, i) => {
            tracker.apply(event);
            if (i < firstRead % events.length) return;
            // WHEN the row is read, now or a while after the event
            const now = new Date(event.at.getTime() + (i % 2) * later * 1000);
            const { spec, deletionTimestamp } = tracker;
            const pod = podObject(shape, tracker.status, { spec, deletionTimestamp });
            // THEN it is printPod's row over every container
            expect(tracker.rowCells(now)).toEqual(printPod(pod, now).cells);
          });
        },
      ),
      { numRuns: 400, seed: 13 },
    );
  });
});

/** Any container status, not only the ones the tracker writes. */
const states: fc.Arbitrary<ContainerState> = fc.oneof(
  fc.record({ waiting: fc.record({ reason: fc.constantFrom('', 'PodInitializing', 'CrashLoopBackOff') }) }),
  fc.constant({ running: { startedAt: timestamp(at(0)) } }),
  fc.record({
    terminated: fc.record(
      {
        exitCode: fc.constantFrom(0, 1, 137),
        reason: fc.constantFrom('', 'Completed', 'Error', 'OOMKilled'),
        signal: fc.constantFrom(9, 15),
      },
      { requiredKeys: ['exitCode'] },
    ),
  }),
);
const statuses = (name: string): fc.Arbitrary<ContainerStatus> =>
  fc
    .record({
      state: states,
      finishedAt: fc.option(fc.nat(4000), { nil: undefined }),
      restartCount: fc.nat(3),
      ready: fc.boolean(),
      started: fc.boolean(),
    })
    .map(({ state, finishedAt, restartCount, ready, started }) => ({
      name,
      image: 'busybox',
      imageID: '',
      ready,
      started,
      restartCount,
      state,
      lastState: finishedAt === undefined ? {} : { terminated: { exitCode: 1, finishedAt: timestamp(at(finishedAt)) } },
    }));

const pods = fc
  .record({
    sidecars: fc.array(fc.boolean(), { maxLength: 6 }),
    app: fc.integer({ min: 1, max: 4 }),
    phase: fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed'),
    reason: fc.constantFrom(undefined, '', 'DeadlineExceeded', 'NodeLost'),
    initialized: fc.boolean(),
    ready: fc.boolean(),
    created: fc.option(fc.nat(100), { nil: undefined }),
    deleted: fc.boolean(),
  })
  .map((p) => {
    const spec: PodSpec = {
      initContainers: p.sidecars.map((sidecar, i) => ({ name: `i${i}`, ...(sidecar && { restartPolicy: 'Always' }) })),
      containers: Array.from({ length: p.app }, (_, i) => ({ name: `a${i}` })),
    };
    const conditions: PodCondition[] = [
      { type: 'Initialized', status: p.initialized ? 'True' : 'False' },
      { type: 'Ready', status: p.ready ? 'True' : 'False' },
    ];
    return { ...p, spec, conditions };
  });

describe('PodRow', () => {
  it("is printPod's row after every change of any container status", () => {
    fc.assert(
      fc.property(
        pods.chain((pod) => {
          const names = [...pod.spec.initContainers!, ...pod.spec.containers!].map((c) => c.name);
          const change = fc
            .nat(names.length - 1)
            .chain((i) => fc.tuple(fc.constant(i), statuses(names[i]!), fc.nat(5000)));
          return fc.tuple(fc.constant(pod), fc.array(change, { minLength: 1, maxLength: 40 }));
        }),
        ([p, changes]) => {
          // GIVEN a pod's row, told each change of a container status
          const inits = p.spec.initContainers!.length;
          const lists = {
            init: p.spec.initContainers!.map((c) => statusOf(c.name)),
            app: p.spec.containers!.map((c) => statusOf(c.name)),
          };
          const row = new PodRow(p.spec, lists.init, lists.app);
          for (const [index, status, now] of changes) {
            const [list, slot] = index < inits ? (['init', index] as const) : (['app', index - inits] as const);
            lists[list] = lists[list].with(slot, status);
            row.set(list, slot, status);
            const pod: Pod = {
              metadata: {
                name: 'p',
                ...(p.created !== undefined && { creationTimestamp: timestamp(at(p.created)) }),
                ...(p.deleted && { deletionTimestamp: timestamp(at(50)) }),
              },
              spec: p.spec,
              status: {
                phase: p.phase,
                ...(p.reason !== undefined && { reason: p.reason }),
                conditions: p.conditions,
                ...(inits > 0 && { initContainerStatuses: lists.init }),
                containerStatuses: lists.app,
              },
            };
            // THEN its cells are printPod's
            expect(row.cells(pod, at(now))).toEqual(printPod(pod, at(now)).cells);
          }
        },
      ),
      { numRuns: 400, seed: 13 },
    );
  });
});

function statusOf(name: string): ContainerStatus {
  return { name, image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { waiting: {} }, lastState: {} };
}
