import { describe, expect, it } from 'vitest';
import { compile } from '../../lib/compile.js';
import type { ContainerReading } from '../../lib/executors/contract.js';
import { HISTORY_READERS } from '../../lib/executors/history.js';
import { startExecution, type TaskHandler } from '../../lib/local/engine.js';
import { localDefinition } from '../../lib/local/definition.js';
import { bindHandlers } from '../../lib/local/handlers.js';
import { Recorder } from '../../lib/local/recorder.js';
import { Restarts } from '../../lib/local/restarts.js';
import type { ContainerRuntime } from '../../lib/local/runtime.js';
import { EXECUTORS, type Executor } from '../../lib/model/executor.js';

/**
 * What an executor's local handler answers (lib/executors/<executor>/local.ts) is what the service
 * answers on AWS, so it must read back through that executor's history reader (history.ts) as the
 * container's exit: `pod2sfn run` and `pod2sfn status` then tell the same story.
 */
const spec = (executor: Executor) => `apiVersion: v1
kind: Pod
metadata: { name: agree, annotations: { pod2sfn.dev/executor: ${executor} } }
spec:
  restartPolicy: Never
  containers: [{ name: main, image: alpine, command: ["true"] }]
`;

/** A runtime whose every container exits at once with `exitCode`, leaving `message` as its termination message. */
function exitingRuntime(exitCode: number, message: string): ContainerRuntime {
  const exit = { exitCode, terminationMessage: message };
  const start = async () => ({ exited: Promise.resolve(exit), stop: async () => exit });
  return { name: 'host', start, close: async () => {} };
}

/** Runs the pod on the embedded engine and returns how its run Task's answer reads back. */
async function readBack(executor: Executor, exitCode: number, message: string): Promise<ContainerReading | undefined> {
  const compiled = compile(spec(executor)).compiled!;
  const { definition } = localDefinition(compiled.definition);
  const bound = bindHandlers(compiled.tasks, {
    workflow: compiled.workflow,
    execution: 'agree-1',
    runtime: exitingRuntime(exitCode, message),
    values: { read: async () => undefined },
    runtimeFields: {},
    recorder: new Recorder(),
    restarts: new Restarts(definition),
    signal: new AbortController().signal,
    backoffScale: 1,
    output: () => () => {},
  });
  // The answer as Step Functions records it: a TaskSucceeded's output, or a TaskFailed's error and cause.
  let reading: ContainerReading | undefined;
  const reader = HISTORY_READERS[executor];
  const recording =
    (handler: TaskHandler): TaskHandler =>
    async (input) => {
      try {
        const output = await handler(input);
        reading = reader.succeeded(JSON.parse(JSON.stringify(output)) as Record<string, unknown>);
        return output;
      } catch (e) {
        reading = reader.failed({ error: (e as Error).name, cause: (e as Error).message });
        throw e;
      }
    };
  const run = compiled.tasks.find((t) => t.action === 'run')!.state;
  await startExecution(definition, { ...bound.handlers, [run]: recording(bound.handlers[run]!) }, 'agree-1').outcome;
  return reading;
}

describe.each(EXECUTORS)('the %s executor: its local answer reads back through its history reader', (executor) => {
  // ECS keeps no termination message: a stopped task tells its exit code (and a Reason) only.
  const message = (text: string) => (executor === 'ecs' ? {} : { message: text });

  it('as exit code 0 and the termination message', async () => {
    // GIVEN a container that exits 0 with a termination message
    // WHEN pod2sfn run's engine runs it and its run Task's answer is read back
    const reading = await readBack(executor, 0, 'all done');
    // THEN the reader sees the same exit
    expect(reading).toEqual({ exitCode: 0, ...message('all done') });
  });

  it('as the non-zero exit code and the termination message', async () => {
    // GIVEN a container that exits 3 with a termination message
    // WHEN pod2sfn run's engine runs it and its run Task's answer is read back
    const reading = await readBack(executor, 3, 'bad thing');
    // THEN the reader sees the same exit
    expect(reading).toEqual({ exitCode: 3, ...message('bad thing') });
  });
});
