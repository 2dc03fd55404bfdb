import { describe, expect, it } from 'vitest';
import { compile } from '../../lib/compile.js';
import type { State, StateMachineDefinition, TaskState } from '../../lib/asl/types.js';
import { localDefinition, MAX_TIMER_SECONDS } from '../../lib/local/definition.js';
import { Restarts } from '../../lib/local/restarts.js';

const yaml = (deadline: number, executor = 'lambda') => `
apiVersion: v1
kind: Pod
metadata: { name: p, annotations: { pod2sfn.dev/max-restarts: "2", pod2sfn.dev/executor: ${executor} } }
spec:
  restartPolicy: OnFailure
  activeDeadlineSeconds: ${deadline}
  initContainers:
    - { name: init, image: busybox, command: ["true"] }
  containers:
    - { name: app, image: busybox, command: ["true"], }
`;

function compiled(deadline = 600, executor = 'lambda') {
  const { compiled: c } = compile(yaml(deadline, executor));
  return c!;
}

function tasks(definition: StateMachineDefinition): TaskState[] {
  const all: State[] = [];
  const walk = (states: Record<string, State>) => {
    for (const s of Object.values(states)) {
      all.push(s);
      if (s.Type === 'Parallel') s.Branches.forEach((b) => walk(b.States as Record<string, State>));
    }
  };
  walk(definition.States as Record<string, State>);
  return all.filter((s): s is TaskState => s.Type === 'Task');
}

describe('localDefinition', () => {
  const TAKES_DEADLINE_OUT =
    'takes the deadline out, gives every Task a timeout below the timer overflow and leaves the original alone';
  it(TAKES_DEADLINE_OUT, () => {
    const c = compiled(31_536_000, 'ecs');
    const before = JSON.stringify(c.definition);
    const local = localDefinition(c.definition);
    expect(local.deadlineSeconds).toBe(31_536_000);
    expect('TimeoutSeconds' in local.definition).toBe(false);
    for (const t of tasks(local.definition))
      expect((t as { TimeoutSeconds?: number }).TimeoutSeconds).toBe(MAX_TIMER_SECONDS);
    expect(JSON.stringify(c.definition)).toBe(before);
  });

  it('scales every Retry wait and keeps the doubling', () => {
    const local = localDefinition(compiled().definition, 0.01);
    const retrier = tasks(local.definition)[0]!.Retry!.find((r) => r.ErrorEquals.includes('Pod2sfn.ContainerFailed'))!;
    expect(retrier).toMatchObject({ IntervalSeconds: 0.1, BackoffRate: 2, MaxDelaySeconds: 3, MaxAttempts: 2 });
  });
});

describe('Restarts', () => {
  it.each([
    ['lambda', 'Init: init'],
    ['ecs', 'ECS task: init'],
  ])('predicts the back-off of each retry and stops when MaxAttempts is spent (%s)', (executor, task) => {
    const restarts = new Restarts(compiled(600, executor).definition);
    expect(restarts.failed(task)).toEqual({ waitSeconds: 10 });
    expect(restarts.failed(task)).toEqual({ waitSeconds: 20 });
    expect(restarts.failed(task)).toBeUndefined();
    // A new entry into the state counts from zero again.
    expect(restarts.failed(task)).toEqual({ waitSeconds: 10 });
    restarts.succeeded(task);
    expect(restarts.failed(task)).toEqual({ waitSeconds: 10 });
  });
});
