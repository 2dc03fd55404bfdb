import type { ContainerTaskInput } from '../asl/task-input.js';
import type { ContainerRun, Volume } from '../model/workflow.js';

/** The Lambda's event: the Task's Payload (lib/executors/lambda/asl.ts). */
export interface RunnerEvent extends ContainerTaskInput {
  /** `$$.Execution.Name`: the run id, in logs and process names. */
  readonly execution: string;
}

/** Where Secret and ConfigMap values come from: Secrets Manager on AWS, local files under `pod2sfn run`. */
export interface ValueSource {
  /** Every key of the Secret or ConfigMap; undefined when it does not exist. */
  read(
    kind: 'secret' | 'configMap',
    namespace: string,
    name: string,
  ): Promise<Readonly<Record<string, string>> | undefined>;
  /** The value for one variable, before any Secret or ConfigMap is read (`--values-file`); undefined to go on. */
  forVariable?(name: string): string | undefined;
}

/** What a container runtime is asked to run. Env values are resolved: this never goes into a log. */
export interface Launch {
  readonly pod: { readonly name: string; readonly namespace: string };
  readonly execution: string;
  readonly container: ContainerRun;
  readonly volumes: readonly Volume[];
  readonly env: Readonly<Record<string, string>>;
}

export interface Exit {
  /** 128 + the signal number when a signal ended it, as a container runtime reports. */
  readonly exitCode: number;
  /** The content of terminationMessagePath, when the runtime could read it. */
  readonly terminationMessage?: string;
}

export type OutputSink = (chunk: Buffer, stream: 'stdout' | 'stderr') => void;

/** A container that is running; `stop` sends SIGTERM, then SIGKILL after the grace period. */
export interface Running {
  readonly exited: Promise<Exit>;
  stop(graceSeconds: number): Promise<Exit>;
}

/** Starts a container's process: a plain process in the Lambda, a sandbox or an image locally. */
export type Starter = (launch: Launch, output: OutputSink) => Promise<Running>;
