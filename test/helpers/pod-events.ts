import fc from 'fast-check';
import type { PodShape, StepShape } from '../../lib/model/pod-shape.js';
import type { PodEvent } from '../../lib/status/events.js';

// Random pods and random PodEvent streams for the status properties: any event in any order, on any
// container, so that what is kept event by event must agree with what is computed from scratch.

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

/** Init containers (regular or sidecars, failures ignored or not), app containers, restarts, a Job's pod retry. */
export const podShapes: fc.Arbitrary<PodShape> = fc
  .record({
    init: fc.array(fc.record({ sidecar: fc.boolean(), ignore: fc.boolean(), restarts: fc.boolean() }), {
      maxLength: 5,
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

/** Events of the shape's containers, seconds to minutes apart; mostly after a PodStarted, as every runtime says it. */
export const podEventsOf = (shape: PodShape): fc.Arbitrary<PodEvent[]> => {
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
  return fc
    .tuple(fc.nat(5), fc.array(fc.tuple(kind, fc.constantFrom(0, 1, 3, 45, 400)), { minLength: 1, maxLength: 60 }))
    .map(([scheduled, steps]) => {
      let s = 0;
      const events = steps.map(([e, gap]) => ({ ...e, at: new Date((s += gap) * 1000) }) as PodEvent);
      return scheduled === 0 ? events : [{ type: 'PodStarted', at: new Date(0) } as PodEvent, ...events];
    });
};
