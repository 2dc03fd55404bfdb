/** The subset of Amazon States Language that pod2sfn emits: JSONPath only (docs/design.md §4). */

export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds: number;
  readonly MaxAttempts: number;
  readonly BackoffRate: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  readonly ErrorEquals: readonly string[];
  /** Omitted: the error output replaces the input (an explicit "$" trips aws-local-stepfunctions). */
  readonly ResultPath?: string | null;
  readonly Next: string;
}

interface Flow {
  readonly Next?: string;
  readonly End?: true;
  readonly Comment?: string;
}

export interface TaskState extends Flow {
  readonly Type: 'Task';
  readonly Resource: string;
  readonly Parameters?: Readonly<Record<string, unknown>>;
  readonly ResultSelector?: Readonly<Record<string, string>>;
  readonly ResultPath?: string | null;
  readonly HeartbeatSeconds?: number;
  readonly TimeoutSeconds?: number;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
}

export interface ParallelState extends Flow {
  readonly Type: 'Parallel';
  readonly Branches: readonly StateMachineFragment[];
  readonly ResultSelector?: Readonly<Record<string, string>>;
  readonly ResultPath?: string | null;
  readonly OutputPath?: string;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
}

export interface PassState extends Flow {
  readonly Type: 'Pass';
  readonly Parameters?: Readonly<Record<string, unknown>>;
  readonly Result?: unknown;
  readonly ResultPath?: string | null;
  readonly OutputPath?: string;
}

export type ChoiceRule = Readonly<Record<string, unknown>>;

export interface ChoiceState {
  readonly Type: 'Choice';
  readonly Comment?: string;
  readonly Choices: readonly ChoiceRule[];
  readonly Default: string;
}

export interface FailState {
  readonly Type: 'Fail';
  readonly Comment?: string;
  readonly Error?: string;
  readonly Cause?: string;
  readonly ErrorPath?: string;
  readonly CausePath?: string;
}

export interface SucceedState {
  readonly Type: 'Succeed';
  readonly Comment?: string;
}

export type State = TaskState | ParallelState | PassState | ChoiceState | FailState | SucceedState;

export interface StateMachineFragment {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, State>>;
}

export interface StateMachineDefinition extends StateMachineFragment {
  readonly Comment: string;
  readonly QueryLanguage: 'JSONPath';
  readonly TimeoutSeconds?: number;
}
