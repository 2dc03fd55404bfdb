/**
 * What an executor is (docs/design.md §6). Each executor lives in lib/executors/<executor>/, one
 * module per layer, and each layer registers every executor in one `Record<Executor, …>`, so that
 * the compiler refuses an executor missing from any layer:
 *
 * - `asl.ts`: its Task states; pure (registry `EMITTERS`, ./asl.ts);
 * - `local.ts`: what `pod2sfn run`'s engine answers for those Tasks (`LOCAL_HANDLERS`, ./local.ts);
 * - `history.ts`: how their execution-history events read back; pure (`HISTORY_READERS`, ./history.ts);
 * - `aws.ts`: its CDK resources, the grants its Tasks need and the values of its
 *   definitionSubstitutions (`DEPLOYERS`, ./aws.ts).
 *
 * One registry per layer, not one for all: validate, synth and run must never load aws-cdk-lib.
 * This module holds the interfaces, and imports nothing but types.
 */
import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { StateNames } from '../asl/names.js';
import type { ContainerTaskInput } from '../asl/task-input.js';
import type { ParallelState, TaskState } from '../asl/types.js';
import type { TaskHandler } from '../local/engine.js';
import type { Step, Workflow } from '../model/workflow.js';
import type { ContainerResult, RunnerDeps, RunnerEvent } from '../runner/index.js';

export type { ContainerTaskInput };

// ---------------------------------------------------------------------------------------------
// asl.ts: the Task states.

type Placed = 'Next' | 'End' | 'ResultPath' | 'Retry' | 'Catch';
/** A Task (or a Parallel around one) before the emitter adds ResultPath, Retry, Catch and Next. */
export type RunState = Omit<TaskState, Placed> | Omit<ParallelState, Placed>;

/** One executor (kompose-style emitter): how its Task states look. */
export interface ExecutorEmitter {
  /** Errors of the infrastructure, retried apart from restarts and never counted as one. */
  readonly transientErrors: readonly string[];
  /**
   * Step Functions wraps the errors this executor's Task raises, as it does a Lambda's: the Cause is
   * `{errorType, errorMessage, trace}` with ours in `errorMessage`, to unwrap before reading it.
   */
  readonly wrapsErrors?: boolean;
  /** Runs the container to completion; its result is `{exitCode, message?}`. */
  run(step: Step, input: ContainerTaskInput, names: StateNames): RunState;
  /** Starts a native sidecar without waiting for it; its result is kept to stop it later. */
  startSidecar?(step: Step, input: ContainerTaskInput): RunState;
  /** Stops a sidecar that `startSidecar` started; `startedAt` is the JSONPath of that result. */
  stopSidecar?(step: Step, startedAt: string): RunState;
}

/** The task input with the execution's name added, which the workers log and use as a run id. */
export function withExecution(input: ContainerTaskInput): Record<string, unknown> {
  return { ...input, 'execution.$': '$$.Execution.Name' };
}

// ---------------------------------------------------------------------------------------------
// local.ts: what the embedded engine's Task handlers answer.

/** One container's Task as the local binder (lib/local/handlers.ts) hands it to its executor. */
export interface LocalTask {
  readonly step: Step;
  /** The container's task ARN as a local ECS answers it; also a sidecar's handle. */
  readonly taskArn: string;
  /** Stops the container when the run stops; SIGKILL after the grace period. */
  readonly limits: { readonly signal: AbortSignal; readonly graceSeconds: number };
  /** What the runner needs, with a fresh output sink each time. */
  deps(): RunnerDeps;
  /** The task input the emitter gives the container's Task, as the runner receives it. */
  event(): RunnerEvent;
  /** Runs the container once and records the attempt (started, exited, CrashLoopBackOff, config errors). */
  attempt(run: () => Promise<ContainerResult>): Promise<ContainerResult>;
}

export interface LocalExecutor {
  /** The handler of the Task that runs the container: it answers what the service answers (docs/design.md §4). */
  run(task: LocalTask): TaskHandler;
  /** How this executor's native-sidecar Tasks speak, which lib/local/sidecar.ts supervises; absent: none run on it. */
  readonly sidecar?: {
    /** What the start Task answers for the sidecar known by `handle` (what the emitter's ResultSelector reads). */
    started(handle: string): unknown;
    /** The handle a stop Task's input names. */
    handleIn(input: unknown): string;
  };
}

// ---------------------------------------------------------------------------------------------
// history.ts: how the Tasks' events read back (lib/status/history.ts walks the history).

/** The error of a failed Task, as history events carry it. */
export interface ErrorDetails {
  readonly error?: string | undefined;
  readonly cause?: string | undefined;
}

/** What a Task's event says of its container: its exit, or, without an exit code, why it never ran. */
export interface ContainerReading {
  readonly exitCode?: number;
  readonly message?: string;
  /** Beside an exit code, the Kubernetes reason (OOMKilled, DeadlineExceeded); alone, the waiting reason. */
  readonly reason?: string;
}

export interface HistoryReader {
  /** Whether a container's state in a deployed definition (its Type and Resource) runs on this executor. */
  runs(state: TaskState | ParallelState): boolean;
  /** The container's task input (`{name, image, command, args}` JSON), where the state's Parameters carry it. */
  containerIn(state: TaskState | ParallelState): Record<string, unknown> | undefined;
  /** What the successful output of the Task that runs the container says of it. */
  succeeded(output: Record<string, unknown>): ContainerReading;
  /**
   * The container's exit, when the failure of the Task that runs it tells one; without an exit code,
   * the reason it never ran, when the failure tells that (ECS: a secret it could not read); else undefined.
   */
  failed(error: ErrorDetails): ContainerReading | undefined;
}

// ---------------------------------------------------------------------------------------------
// aws.ts: what `cdk deploy` creates (model: aws-cdk's EcsRunTask, which renders its Task and makes
// its policy statements).

/** What every executor is given to deploy the steps that run on it. */
export interface AwsContext<Props> {
  readonly workflow: Workflow;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly tracing: boolean | undefined;
  /** The bucket of emptyDir saves (lib/model/handoff.ts), when a container of the pod saves one. */
  readonly volumeBucket?: s3.IBucket;
  /** The PodStateMachine's props: each executor reads its own (lambda: runnerCode; ecs: vpc, cluster, ...). */
  readonly props: Props;
}

export interface AwsResources {
  /** The values of the definition's `${Placeholders}` this executor's Tasks use. */
  readonly substitutions: Readonly<Record<string, string>>;
  /** What the state machine's role may do to call this executor's Tasks, on these resources only. */
  readonly statements: readonly iam.PolicyStatement[];
}

export interface AwsExecutor<Props, Resources extends AwsResources> {
  /** Creates what `steps` (every step on this executor, maybe none) need, as children of `scope`. */
  deploy(scope: Construct, steps: readonly Step[], context: AwsContext<Props>): Resources;
}
