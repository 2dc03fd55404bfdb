import { describe, expect, it } from 'vitest';
import { compile } from '../../lib/compile.js';
import { startExecution } from '../../lib/local/engine.js';

/** The embedded engine (vendor/aws-local-stepfunctions, patched) as pod2sfn relies on it. */
const appContainers = (count: number) =>
  [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: { name: wide, annotations: { pod2sfn.dev/executor: ecs } }',
    'spec:',
    '  restartPolicy: Never',
    '  containers:',
    ...Array.from({ length: count }, (_, i) => `    - { name: app-${i}, image: alpine, command: ["true"] }`),
  ].join('\n');

/** The stopped task of container `name`: the ECS check reads the container by name. */
const exited = (name: string) => ({
  TaskArn: 'arn:aws:ecs:us-east-1:1:task/c/1',
  LastStatus: 'STOPPED',
  Containers: [{ Name: name, ExitCode: 0 }],
});

describe('the embedded engine', () => {
  it('starts every app container of a Parallel together, past the 40 branches upstream runs at once', async () => {
    // GIVEN a pod of 45 app containers whose Tasks each wait until all 45 have started
    const { definition, tasks } = compile(appContainers(45)).compiled!;
    let started = 0;
    let allStarted!: () => void;
    const barrier = new Promise<void>((resolve) => (allStarted = resolve));
    const handler = async (name: string) => {
      if (++started === 45) allStarted();
      const timedOut = await Promise.race([
        barrier.then(() => false),
        new Promise((r) => setTimeout(() => r(true), 5000)),
      ]);
      if (timedOut) throw Object.assign(new Error(`only ${started} started`), { name: 'Barrier' });
      return exited(name);
    };
    const handlers = Object.fromEntries(tasks.map((t) => [t.state, () => handler(t.stepId.replaceAll('_', '-'))]));
    // WHEN the engine runs it
    const outcome = await startExecution(definition, handlers, 'wide').outcome;
    // THEN all 45 ran side by side and the pod succeeded
    expect(started).toBe(45);
    expect(outcome.status).toBe('succeeded');
  });

  it('fails a Task that has no local handler instead of calling AWS', async () => {
    // GIVEN a pod whose only Task has no handler
    const { definition } = compile(appContainers(1)).compiled!;
    // WHEN it runs
    const outcome = await startExecution(definition, {}, 'none').outcome;
    // THEN the execution fails: there is no AWS call to fall back to
    expect(outcome).toMatchObject({ status: 'failed' });
  });
});
