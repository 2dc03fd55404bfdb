// The part of aws-local-stepfunctions 3.0.0's API (build/main.d.ts) that pod2sfn uses (lib/local/engine.ts).
export type StateMachineDefinition = Record<string, unknown>;

export interface StateMachineOptions {
  readonly validationOptions?: { readonly noValidate?: boolean };
}

export interface RunOptions {
  readonly overrides?: { readonly taskResourceLocalHandlers?: Record<string, (input: unknown) => Promise<unknown>> };
  readonly context?: Record<string, unknown>;
  /** pod2sfn's patch: no event log is kept (upstream keeps every event until `eventLogs` is read). */
  readonly noEventLogs?: boolean;
}

export declare class StateMachine {
  constructor(definition: StateMachineDefinition, options?: StateMachineOptions);
  run(input: unknown, options?: RunOptions): { abort(): void; result: Promise<unknown> };
}

export declare class ExecutionAbortedError extends Error {}
export declare class ExecutionError extends Error {}
export declare class ExecutionTimeoutError extends Error {}
