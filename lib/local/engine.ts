import './polyfill.js';
import { ExecutionAbortedError, ExecutionError, StateMachine, type StateMachineDefinition as EngineDefinition } from 'aws-local-stepfunctions';
import type { StateMachineDefinition } from '../asl/types.js';

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

/**
 * The embedded engine (aws-local-stepfunctions) behind one function, so that nothing else depends on
 * it. Every Task state must have a handler: one without would fall through to a real AWS call.
 */
export function startExecution(definition: StateMachineDefinition, handlers: Readonly<Record<string, TaskHandler>>, executionName: string): Execution {
  // The engine mutates what it is given (docs/design.md §4): it gets its own copy.
  const machine = new StateMachine(structuredClone(definition) as unknown as EngineDefinition, { validationOptions: { checkArn: true, checkPaths: true } });
  const execution = machine.run(
    {},
    {
      overrides: { taskResourceLocalHandlers: handlers as never },
      context: { Execution: { Name: executionName, Id: `local:${executionName}` } } as never,
    },
  );
  const outcome = execution.result.then(
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
  return { outcome, abort: () => execution.abort() };
}
