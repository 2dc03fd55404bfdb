import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../lib/diagnostics.js';
import { CRASH_LOOP_BACKOFF } from '../../lib/model/backoff.js';
import { plan, UNBOUNDED_ATTEMPTS, type PlanOptions } from '../../lib/model/plan.js';
import { loadPod } from '../../lib/manifest/index.js';

function planOf(text: string, options: PlanOptions = {}) {
  const loaded = loadPod(text);
  if (!loaded.pod) throw new Error(loaded.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
  const result = plan(loaded.pod, options);
  return {
    workflow: result.workflow!,
    messages: result.diagnostics.map((d) => formatDiagnostic(d)),
    errors: result.diagnostics.filter((d) => d.severity === 'error'),
  };
}

interface PodOptions {
  restartPolicy?: string;
  deadline?: number;
  annotations?: Record<string, string>;
  init?: string;
  app?: string;
}

function pod({ restartPolicy, deadline, annotations, init, app }: PodOptions = {}): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations: ${JSON.stringify(annotations ?? {})}
spec:
  ${restartPolicy ? `restartPolicy: ${restartPolicy}` : ''}
  ${deadline ? `activeDeadlineSeconds: ${deadline}` : ''}
  initContainers: ${init ?? '[{ name: init-1, image: alpine }, { name: init-2, image: alpine }]'}
  containers: ${app ?? '[{ name: main, image: alpine }]'}
`;
}

function job(restartPolicy: string, extra = ''): string {
  return `apiVersion: batch/v1
kind: Job
metadata: { name: j }
spec:
  ${extra}
  template:
    spec:
      restartPolicy: ${restartPolicy}
      initContainers: [{ name: init-1, image: alpine }]
      containers: [{ name: main, image: alpine }]
`;
}

const crashLoop = (maxAttempts: number) => ({ ...CRASH_LOOP_BACKOFF, maxAttempts });

describe('docs/design.md §2, row by row', () => {
  it('init containers run one at a time in spec order; app containers after them', () => {
    const { workflow } = planOf(pod({ app: '[{ name: a, image: alpine }, { name: b, image: alpine }]' }));
    expect(workflow.init.map((s) => [s.container.name, s.role])).toEqual([
      ['init-1', 'init'],
      ['init-2', 'init'],
    ]);
    expect(workflow.app.map((s) => [s.container.name, s.role])).toEqual([
      ['a', 'app'],
      ['b', 'app'],
    ]);
  });

  // restartPolicy → what a failing container gets; the table is the kubelet's.
  it.each([
    { restartPolicy: 'Never', init: undefined, app: undefined },
    { restartPolicy: 'OnFailure', init: crashLoop(UNBOUNDED_ATTEMPTS), app: crashLoop(UNBOUNDED_ATTEMPTS) },
    // Always acts as OnFailure for init containers; app containers are restarted on failure only.
    { restartPolicy: 'Always', init: crashLoop(UNBOUNDED_ATTEMPTS), app: crashLoop(UNBOUNDED_ATTEMPTS) },
  ])('restartPolicy $restartPolicy', ({ restartPolicy, init, app }) => {
    const { workflow } = planOf(pod({ restartPolicy, deadline: 60 }));
    expect(workflow.init.map((s) => s.restart)).toEqual([init, init]);
    expect(workflow.app[0]!.restart).toEqual(app);
    expect(workflow.podRetry).toBeUndefined();
  });

  it('CrashLoopBackOff is 10 s, doubling, capped at 300 s', () => {
    expect(CRASH_LOOP_BACKOFF).toEqual({ intervalSeconds: 10, backoffRate: 2, maxDelaySeconds: 300 });
  });

  it('restarts forever warn unless a deadline bounds them', () => {
    expect(planOf(pod({ restartPolicy: 'OnFailure' })).messages).toContainEqual(
      expect.stringMatching(/restarts a failing container forever/),
    );
    expect(planOf(pod({ restartPolicy: 'OnFailure', deadline: 60 })).messages).not.toContainEqual(
      expect.stringMatching(/forever/),
    );
  });

  it('pod2sfn.dev/max-restarts bounds restarts', () => {
    const { workflow, messages } = planOf(
      pod({ restartPolicy: 'OnFailure', annotations: { 'pod2sfn.dev/max-restarts': '3' } }),
    );
    expect(workflow.init[0]!.restart).toEqual(crashLoop(3));
    expect(messages).not.toContainEqual(expect.stringMatching(/forever/));
  });

  it('Always on app containers warns that they run to completion', () => {
    expect(planOf(pod({ restartPolicy: 'Always', deadline: 60 })).messages).toContainEqual(
      expect.stringMatching(/restartPolicy Always also restarts app containers that exit 0/),
    );
  });

  it('activeDeadlineSeconds bounds the whole run', () => {
    expect(planOf(pod({ deadline: 120 })).workflow.deadlineSeconds).toBe(120);
    expect(planOf(job('Never', 'activeDeadlineSeconds: 90')).workflow.deadlineSeconds).toBe(90);
  });

  it('a native sidecar is an init container with restartPolicy Always, never restarted by Retry', () => {
    const { workflow } = planOf(
      pod({
        restartPolicy: 'Never',
        init: '[{ name: proxy, image: envoy, restartPolicy: Always }, { name: init-1, image: alpine }]',
      }),
    );
    expect(workflow.init.map((s) => [s.container.name, s.role, s.restart])).toEqual([
      ['proxy', 'sidecar', undefined],
      ['init-1', 'init', undefined],
    ]);
    // A sidecar outlives a Lambda invocation.
    expect(workflow.init[0]!.executor).toBe('ecs');
  });

  it('a Job under OnFailure restarts containers up to backoffLimit (default 6)', () => {
    expect(planOf(job('OnFailure')).workflow.init[0]!.restart).toEqual(crashLoop(6));
    expect(planOf(job('OnFailure', 'backoffLimit: 2')).workflow.app[0]!.restart).toEqual(crashLoop(2));
  });

  it('a Job under Never replaces the whole pod up to backoffLimit', () => {
    const { workflow } = planOf(job('Never', 'backoffLimit: 3'));
    expect(workflow.podRetry).toEqual({ intervalSeconds: 10, backoffRate: 2, maxDelaySeconds: 360, maxAttempts: 3 });
    expect(workflow.init[0]!.restart).toBeUndefined();
  });

  it('podFailurePolicy keeps its exit-code rules and warns for pod conditions', () => {
    const { workflow, messages } = planOf(
      job(
        'Never',
        `podFailurePolicy:
    rules:
      - { action: FailJob, onExitCodes: { containerName: main, operator: In, values: [42] } }
      - { action: Ignore, onPodConditions: [{ type: DisruptionTarget, status: "True" }] }`,
      ),
    );
    expect(workflow.podFailurePolicy).toEqual([
      { action: 'FailJob', containerName: 'main', operator: 'In', values: [42] },
    ]);
    expect(messages).toContainEqual(expect.stringMatching(/onPodConditions - ignoring/));
  });

  it('terminationMessagePath and policy default as in Kubernetes', () => {
    const { container } = planOf(pod()).workflow.app[0]!;
    expect([container.terminationMessagePath, container.terminationMessagePolicy]).toEqual([
      '/dev/termination-log',
      'File',
    ]);
  });

  it('failurePolicy Ignore (field or annotation) lets the pod go on', () => {
    const field = planOf(pod({ init: '[{ name: init-1, image: alpine, failurePolicy: Ignore }]' }));
    const annotation = planOf(pod({ annotations: { 'pod2sfn.dev/failure-policy.init-2': 'Ignore' } }));
    expect(field.workflow.init[0]!.failurePolicy).toBe('Ignore');
    expect(annotation.workflow.init.map((s) => s.failurePolicy)).toEqual(['Fail', 'Ignore']);
  });
});

describe('executors and sizes', () => {
  it('defaults to Lambda, with the container asking for the memory', () => {
    const { workflow } = planOf(
      pod({ app: '[{ name: main, image: alpine, resources: { limits: { memory: 1Gi } } }]' }),
    );
    expect(workflow.app[0]!.executor).toBe('lambda');
    expect(workflow.app[0]!.lambda).toEqual({ memoryMiB: 1024, ephemeralStorageMiB: 512, timeoutSeconds: 900 });
  });

  it('moves to ECS, saying so, when Lambda cannot hold the container', () => {
    const memory = planOf(pod({ app: '[{ name: main, image: alpine, resources: { requests: { memory: 16Gi } } }]' }));
    expect(memory.workflow.app[0]!.executor).toBe('ecs');
    expect(memory.messages).toContainEqual(expect.stringMatching(/spec\.containers\[0\]: runs on ECS Fargate/));
    expect(planOf(pod({ deadline: 3600 })).workflow.app[0]!.executor).toBe('ecs');
  });

  it('refuses an explicit lambda executor that cannot hold the container', () => {
    const { errors } = planOf(
      pod({
        annotations: { 'pod2sfn.dev/executor': 'lambda' },
        app: '[{ name: main, image: alpine, resources: { limits: { memory: 16Gi } } }]',
      }),
    );
    expect(errors.map((e) => e.path)).toEqual(['spec.containers[0]']);
  });

  it('times a Lambda out past the deadline, which the state machine enforces first', () => {
    expect(planOf(pod({ deadline: 60 })).workflow.app[0]!.lambda.timeoutSeconds).toBe(90);
    expect(planOf(pod({ deadline: 890 })).workflow.app[0]!.lambda.timeoutSeconds).toBe(900);
    expect(planOf(pod()).workflow.app[0]!.lambda.timeoutSeconds).toBe(900);
  });

  it('checks the Fargate size only of containers that run on ECS', () => {
    const big = '[{ name: main, image: alpine, resources: { limits: { cpu: "32", memory: 200Gi } } }]';
    expect(planOf(pod({ app: big, annotations: { 'pod2sfn.dev/executor': 'activity' } })).errors).toEqual([]);
    expect(planOf(pod({ app: big, annotations: { 'pod2sfn.dev/executor': 'ecs' } })).errors.map((e) => e.path)).toEqual(
      ['spec.containers[0].resources'],
    );
  });

  it('warns that max-restarts does nothing under restartPolicy Never', () => {
    const { messages } = planOf(pod({ restartPolicy: 'Never', annotations: { 'pod2sfn.dev/max-restarts': '2' } }));
    expect(messages).toContainEqual(
      expect.stringMatching(/pod2sfn\.dev\/max-restarts has no effect under restartPolicy Never/),
    );
  });

  it('takes the container annotation over the pod annotation over --executor', () => {
    const { workflow } = planOf(
      pod({ annotations: { 'pod2sfn.dev/executor': 'activity', 'pod2sfn.dev/executor.main': 'ecs' } }),
      { executor: 'lambda' },
    );
    expect([...workflow.init, ...workflow.app].map((s) => s.executor)).toEqual(['activity', 'activity', 'ecs']);
    expect(planOf(pod(), { executor: 'activity' }).workflow.app[0]!.executor).toBe('activity');
  });

  it.each([
    { cpu: undefined, memory: undefined, fargate: { cpu: 256, memoryMiB: 512 } },
    { cpu: '250m', memory: '600Mi', fargate: { cpu: 256, memoryMiB: 1024 } },
    { cpu: '1', memory: '1Gi', fargate: { cpu: 1024, memoryMiB: 2048 } },
    { cpu: '3', memory: '5Gi', fargate: { cpu: 4096, memoryMiB: 8192 } },
    { cpu: '500m', memory: '40Gi', fargate: { cpu: 8192, memoryMiB: 40960 } },
  ])('rounds cpu $cpu / memory $memory up to a valid Fargate pair', ({ cpu, memory, fargate }) => {
    const limits = JSON.stringify({ ...(cpu && { cpu }), ...(memory && { memory }) });
    const { workflow } = planOf(pod({ app: `[{ name: main, image: alpine, resources: { limits: ${limits} } }]` }), {
      executor: 'ecs',
    });
    expect(workflow.app[0]!.fargate).toMatchObject(fargate);
  });

  it('resolves fieldRef env at compile time and keeps secret references as references', () => {
    const { workflow } = planOf(
      pod({
        app: `[{ name: main, image: alpine, env: [
        { name: POD, valueFrom: { fieldRef: { fieldPath: metadata.name } } },
        { name: IP, valueFrom: { fieldRef: { fieldPath: status.podIP } } },
        { name: PASSWORD, valueFrom: { secretKeyRef: { name: db, key: password } } },
        { name: PLAIN, value: "a \\"quoted\\" $(value)" } ] }]`,
      }),
    );
    expect(workflow.app[0]!.container.env).toEqual([
      { name: 'POD', value: 'p' },
      { name: 'IP', runtimeField: 'status.podIP' },
      { name: 'PASSWORD', secretKeyRef: { name: 'db', key: 'password', optional: false } },
      { name: 'PLAIN', value: 'a "quoted" $(value)' },
    ]);
  });
});
