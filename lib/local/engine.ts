import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StateMachineDefinition } from '../asl/types.js';
import { packageRoot } from '../package-root.js';

type Engine = typeof import('../../vendor/aws-local-stepfunctions/main.js');

/** A Task's local implementation, bound by state name; it receives the Task's effective input. */
export type TaskHandler = (input: unknown) => Promise<unknown>;

export type EngineOutcome =
  | { readonly status: 'succeeded'; readonly output: unknown }
  | { readonly status: 'failed'; readonly error: string; readonly cause: string }
  | { readonly status: 'aborted' };

export interface Execution {
  readonly outcome: Promise<EngineOutcome>;
  /** Stops the engine; it does not stop running handlers (the caller stops its containers). */
  abort(): void;
}

let engine: Promise<Engine> | undefined;

/**
 * The embedded engine: aws-local-stepfunctions 3.0.0, a patched copy in vendor/ (its README says
 * what and why), loaded on the first run only. Nothing else depends on it. Every Task state must
 * have a handler: one without fails the execution.
 */
export function loadEngine(): Promise<Engine> {
  engine ??= import(
    pathToFileURL(join(packageRoot(), 'vendor/aws-local-stepfunctions/main.js')).href
  ) as Promise<Engine>;
  return engine;
}

export function startExecution(
  definition: StateMachineDefinition,
  handlers: Readonly<Record<string, TaskHandler>>,
  executionName: string,
): Execution {
  let stopped = false;
  let stop = (): void => {
    stopped = true;
  };
  const outcome = loadEngine().then(({ ExecutionAbortedError, ExecutionError, StateMachine }) => {
    if (stopped) return { status: 'aborted' } as const;
    // The engine mutates what it is given (docs/design.md §4): it gets its own copy. It is not
    // validated again: lib/asl emits valid ASL (test/asl checks it with asl-validator).
    const machine = new StateMachine(structuredClone(definition) as never, { validationOptions: { noValidate: true } });
    const execution = machine.run(
      {},
      {
        overrides: { taskResourceLocalHandlers: handlers as never },
        context: { Execution: { Name: executionName, Id: `local:${executionName}` } },
        // Nothing reads the engine's event log (the handlers' Recorder is the record): unread, it would keep
        // every state's input and output until the run ends (docs/design.md §4).
        noEventLogs: true,
      },
    );
    stop = () => execution.abort();
    return execution.result.then(
      (output): EngineOutcome => ({ status: 'succeeded', output }),
      (e: unknown): EngineOutcome => {
        if (e instanceof ExecutionAbortedError) return { status: 'aborted' };
        if (e instanceof ExecutionError) {
          const cause = e.cause as { name?: string; message?: string } | undefined;
          return { status: 'failed', error: cause?.name ?? 'Error', cause: cause?.message ?? '' };
        }
        throw e;
      },
    );
  });
  return { outcome, abort: () => stop() };
}
