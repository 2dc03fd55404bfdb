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
  private readonly inFlight = new Map<string, { abort: AbortController; done: Promise<void>; label: string; running: boolean }>();
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
   * tasks with Pod2sfn.WorkerStopped (retried elsewhere, not counted as a restart); a task still
   * waiting for a slot is failed the same way at once. No task is dropped.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping.abort();
    for (const task of this.inFlight.values()) if (!task.running) task.abort.abort(new WorkerStopped());
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
    // A poller that gets a task after this point hands it back (see poll), so the snapshot is complete.
    await Promise.all(this.loops);
    await this.options.host.close();
  }

  /**
   * One poller per activity, polling without holding a slot (a long poll on an idle activity must not
   * starve a busy one). A task that arrives waits for a slot while heartbeating; its poller polls
   * again only once it has one, so the agent holds at most one waiting task per activity.
   */
  private async poll(activityArn: string): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      let task;
      try {
        task = await this.options.client.send(new GetActivityTaskCommand({ activityArn, workerName: this.options.workerName }), {
          abortSignal: this.stopping.signal,
        });
        if (failures > 0) this.options.log(`[agent] reconnected to Step Functions (${activityName(activityArn)})`);
        failures = 0;
      } catch (e) {
        if (this.stopping.signal.aborted) return;
        const delay = Math.min(30_000, 1000 * 2 ** failures++);
        this.options.log(`[agent] cannot reach Step Functions for ${activityName(activityArn)} (${(e as Error).message}); retrying in ${delay / 1000}s`);
        await sleep(delay, this.stopping.signal);
        continue;
      }
      if (!task.taskToken) {
        // Long polling ended with no work (LocalStack may answer at once): a short pause, then again.
        await sleep(500, this.stopping.signal);
        continue;
      }
      if (this.stopping.signal.aborted) {
        // It arrived as the agent stopped: hand it back at once rather than start it.
        await this.report(task.taskToken, 'a task received while stopping', failureOf(new WorkerStopped(), this.options.workerName, 'a task received while stopping'));
        return;
      }
      await this.handle(task.taskToken, task.input ?? '{}');
    }
  }

  /** Takes the task: resolves once it has a slot (or the agent stops), while the work goes on. */
  private handle(token: string, rawInput: string): Promise<void> {
    let input: ActivityInput | undefined;
    try {
      input = JSON.parse(rawInput) as ActivityInput;
    } catch {
      input = undefined;
    }
    if (typeof input?.execution !== 'string' || typeof input.container?.name !== 'string') {
      const cause = "the task input is not a pod2sfn container task: is this activity one of pod2sfn's?";
      this.options.log(`[agent] ${cause}`);
      return this.report(token, 'the task', { error: ERRORS.containerNotStarted, cause });
    }
    const abort = new AbortController();
    const label = `execution ${input.execution} container ${input.container.name}`;
    const heartbeat = setInterval(() => {
      this.options.client.send(new SendTaskHeartbeatCommand({ taskToken: token })).catch((e: Error) => {
        // The task timed out or its execution ended: nobody wants this container any more. Any other
        // error (throttling, a network blip) is only logged: the next heartbeat may go through.
        if (!TASK_GONE.has(e.name)) return this.options.log(`[agent] ${label}: heartbeat failed (${e.name}: ${e.message}); will try again`);
        this.options.log(`[agent] ${label}: heartbeat refused (${e.name}); stopping the container`);
        abort.abort(e);
      });
    }, (this.options.heartbeatSeconds ?? 20) * 1000);
    const slot = this.acquire();
    const record = { abort, done: Promise.resolve(), label, running: false };
    const done = slot
      .then(() => {
        record.running = true;
        return this.work(token, input, label, abort);
      })
      .finally(() => {
        clearInterval(heartbeat);
        this.inFlight.delete(token);
        this.release();
      });
    record.done = done;
    this.inFlight.set(token, record);
    return Promise.race([slot, done.then(() => undefined)]);
  }

  private async work(token: string, input: ActivityInput, label: string, abort: AbortController): Promise<void> {
    const { host, log } = this.options;
    if (abort.signal.aborted) return this.report(token, label, failureOf(abort.signal.reason, this.options.workerName, label));
    const context = { signal: abort.signal, log: (line: string) => log(`[${input.execution}/${input.container.name}] ${line}`) };
    log(`[agent] ${label}: ${input.action}`);
    let answer: Answer;
    try {
      if (input.action === 'stop') {
        await host.stopSidecar(input.handle);
        answer = { output: {} };
      } else if (input.action === 'start') {
        answer = { output: { handle: await host.startSidecar(input, context) } };
      } else {
        const outcome = await host.run(input, context);
        if (abort.signal.reason instanceof WorkerStopped) throw abort.signal.reason;
        log(`[agent] ${label}: exited ${outcome.exitCode}`);
        const cause: ContainerFailureCause = { container: input.container.name, exitCode: outcome.exitCode, message: outcome.message };
        answer = outcome.exitCode === 0 ? { output: outcome } : { error: ERRORS.containerFailed, cause: JSON.stringify(cause) };
      }
    } catch (e) {
      answer = failureOf(e, this.options.workerName, label);
    }
    await this.report(token, label, answer);
  }

  /** Answers Step Functions; a refusal (the task timed out, the run was stopped) is logged, not retried. */
  private async report(token: string, label: string, answer: Answer): Promise<void> {
    try {
      if ('output' in answer) await this.options.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(answer.output) }));
      else {
        this.options.log(`[agent] ${label}: ${answer.error}: ${answer.cause}`);
        await this.options.client.send(new SendTaskFailureCommand({ taskToken: token, error: answer.error, cause: answer.cause }));
      }
    } catch (e) {
      this.options.log(`[agent] ${label}: Step Functions refused the answer (${(e as Error).name}: ${(e as Error).message}); the task had timed out or its run had stopped`);
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

/** Heartbeat answers that mean the task is over for Step Functions. */
const TASK_GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

type Answer = { readonly output: unknown } | { readonly error: string; readonly cause: string };

/** A container that could not run: the agent stopping (retried elsewhere), or it could not start. */
function failureOf(e: unknown, workerName: string, label: string): Answer {
  if (e instanceof WorkerStopped) return { error: ERRORS.workerStopped, cause: `agent ${workerName} stopped while it held ${label}` };
  return { error: ERRORS.containerNotStarted, cause: `${label}: ${e instanceof Error ? e.message : String(e)}` };
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
