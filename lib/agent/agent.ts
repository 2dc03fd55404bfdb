import {
  GetActivityTaskCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { ERRORS, type ContainerFailureCause } from '../asl/errors.js';
import type { ContainerTaskInput } from '../asl/task-input.js';
import type { ContainerHost } from './host.js';

/** The input an activity Task carries (lib/asl/executors/activity.ts). */
type ActivityInput =
  | ({ readonly action: 'run' | 'start'; readonly execution: string } & ContainerTaskInput)
  | { readonly action: 'stop'; readonly execution: string; readonly container: { readonly name: string }; readonly handle: string };

export interface AgentOptions {
  readonly client: SFNClient;
  readonly host: ContainerHost;
  /** Activity ARNs to poll. */
  readonly activities: readonly string[];
  /** Shown in the execution history (ActivityStarted.workerName). */
  readonly workerName: string;
  /** Containers run at the same time, over all activities. @default 2 */
  readonly concurrency?: number;
  /** Between heartbeats; below the Task's HeartbeatSeconds (60). @default 20 */
  readonly heartbeatSeconds?: number;
  readonly log: (line: string) => void;
}

/**
 * pod2sfn's kubelet for the `activity` executor: polls the pod's activities, runs each container on
 * the local container runtime, heartbeats while it runs, and answers with the same error names as
 * the other executors so that Retry and Catch behave alike.
 */
export class Agent {
  private readonly stopping = new AbortController();
  private readonly inFlight = new Map<string, { abort: AbortController; done: Promise<void>; label: string }>();
  private free: number;
  private readonly waiters: Array<() => void> = [];
  private loops: Promise<void>[] = [];

  constructor(private readonly options: AgentOptions) {
    this.free = options.concurrency ?? 2;
  }

  start(): void {
    this.loops = this.options.activities.map((arn) => this.poll(arn));
  }

  /**
   * Stops polling, gives running containers `graceMs` to finish, then stops them and fails their
   * tasks with Pod2sfn.WorkerStopped (retried elsewhere, not counted as a restart): no task is dropped.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping.abort();
    this.waiters.splice(0).forEach((wake) => wake());
    const all = Promise.all([...this.inFlight.values()].map((t) => t.done));
    const timer = new Promise<'timeout'>((r) => setTimeout(r, graceMs, 'timeout').unref());
    if ((await Promise.race([all.then(() => 'done' as const), timer])) === 'timeout') {
      for (const task of this.inFlight.values()) {
        this.options.log(`[agent] stopping ${task.label}: the agent is shutting down`);
        task.abort.abort(new WorkerStopped());
      }
      await all;
    }
    await Promise.all(this.loops);
    await this.options.host.close();
  }

  private async poll(activityArn: string): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      await this.acquire();
      if (this.stopping.signal.aborted) return this.release();
      let task;
      try {
        task = await this.options.client.send(new GetActivityTaskCommand({ activityArn, workerName: this.options.workerName }), {
          abortSignal: this.stopping.signal,
        });
        if (failures > 0) this.options.log(`[agent] reconnected to Step Functions (${activityName(activityArn)})`);
        failures = 0;
      } catch (e) {
        this.release();
        if (this.stopping.signal.aborted) return;
        const delay = Math.min(30_000, 1000 * 2 ** failures++);
        this.options.log(`[agent] cannot reach Step Functions for ${activityName(activityArn)} (${(e as Error).message}); retrying in ${delay / 1000}s`);
        await sleep(delay, this.stopping.signal);
        continue;
      }
      if (!task.taskToken) {
        // Long polling ended with no work (LocalStack answers at once): a short pause, then ask again.
        this.release();
        await sleep(500, this.stopping.signal);
        continue;
      }
      this.handle(task.taskToken, task.input ?? '{}');
    }
  }

  private handle(token: string, rawInput: string): void {
    const abort = new AbortController();
    let input: ActivityInput;
    try {
      input = JSON.parse(rawInput) as ActivityInput;
    } catch {
      this.release();
      const cause = 'the task input is not JSON: is this activity one of pod2sfn\'s?';
      this.options.log(`[agent] ${cause}`);
      void this.options.client.send(new SendTaskFailureCommand({ taskToken: token, error: ERRORS.containerNotStarted, cause })).catch(() => {});
      return;
    }
    const label = `execution ${input.execution} container ${input.container.name}`;
    const done = this.work(token, input, label, abort).finally(() => {
      this.inFlight.delete(token);
      this.release();
    });
    this.inFlight.set(token, { abort, done, label });
  }

  private async work(token: string, input: ActivityInput, label: string, abort: AbortController): Promise<void> {
    const { client, host, log } = this.options;
    const heartbeat = setInterval(() => {
      client.send(new SendTaskHeartbeatCommand({ taskToken: token })).catch((e: Error) => {
        // The execution was stopped or timed out: nobody wants this container any more.
        log(`[agent] ${label}: heartbeat refused (${e.name}); stopping the container`);
        abort.abort(e);
      });
    }, (this.options.heartbeatSeconds ?? 20) * 1000);
    const context = { signal: abort.signal, log: (line: string) => log(`[${input.execution}/${input.container.name}] ${line}`) };
    try {
      log(`[agent] ${label}: ${input.action}`);
      if (input.action === 'stop') {
        await host.stopSidecar(input.handle);
        await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
      } else if (input.action === 'start') {
        const handle = await host.startSidecar(input, context);
        await client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ handle }) }));
      } else {
        const outcome = await host.run(input, context);
        if (abort.signal.reason instanceof WorkerStopped) throw abort.signal.reason;
        log(`[agent] ${label}: exited ${outcome.exitCode}`);
        if (outcome.exitCode === 0) {
          await client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(outcome) }));
        } else {
          const cause: ContainerFailureCause = { container: input.container.name, exitCode: outcome.exitCode, message: outcome.message };
          await client.send(new SendTaskFailureCommand({ taskToken: token, error: ERRORS.containerFailed, cause: JSON.stringify(cause) }));
        }
      }
    } catch (e) {
      const error = e instanceof WorkerStopped ? ERRORS.workerStopped : ERRORS.containerNotStarted;
      const cause = e instanceof WorkerStopped ? `agent ${this.options.workerName} stopped while it ran ${label}` : `${label}: ${(e as Error).message}`;
      log(`[agent] ${label}: ${error}: ${cause}`);
      await client.send(new SendTaskFailureCommand({ taskToken: token, error, cause })).catch((sendError: Error) => {
        log(`[agent] ${label}: could not report ${error} (${sendError.message}); Step Functions will time the task out`);
      });
    } finally {
      clearInterval(heartbeat);
    }
  }

  private acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiters.push(() => {
        this.free--;
        resolve();
      }),
    );
  }

  private release(): void {
    this.free++;
    this.waiters.shift()?.();
  }
}

class WorkerStopped extends Error {
  constructor() {
    super('the agent stopped');
    this.name = ERRORS.workerStopped;
  }
}

function activityName(arn: string): string {
  return arn.split(':').at(-1) ?? arn;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
