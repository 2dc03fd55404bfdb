import { setTimeout as setTimeoutPromise } from 'node:timers/promises';
import {
  GetActivityTaskCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { ERRORS, type ContainerFailureCause } from '../asl/errors.js';
import type { ContainerTaskInput } from '../asl/task-input.js';
import { VolumeError } from '../runner/index.js';
import type { ContainerHost } from './host.js';
import type { LogShipper, ShippedStream } from './log-shipper.js';

/** The input an activity Task carries (lib/executors/activity/asl.ts). */
type ActivityInput = { readonly heartbeatSeconds?: number } & (
  | ({ readonly action: 'run' | 'start'; readonly execution: string } & ContainerTaskInput)
  | {
      readonly action: 'stop';
      readonly execution: string;
      readonly container: { readonly name: string };
      readonly handle: string;
    }
);

export interface AgentOptions {
  readonly client: SFNClient;
  readonly host: ContainerHost;
  /** Activity ARNs to poll. */
  readonly activities: readonly string[];
  /** Shown in the execution history (ActivityStarted.workerName). */
  readonly workerName: string;
  /** Containers run at the same time, over all activities. @default 2 */
  readonly concurrency?: number;
  readonly log: (line: string) => void;
  /** Activity ARN → where its containers' output is shipped too (docs/agent.md); absent: printed only. */
  readonly shippers?: ReadonlyMap<string, LogShipper>;
}

/** AWS holds a long poll up to 60 s and asks clients to wait at least 65 s for it. */
const POLL_TIMEOUT_MS = 70_000;
/** Any other call: a connection that answers nothing this long is treated as cut. */
const CALL_TIMEOUT_MS = 10_000;
/** The longest pause between attempts to reach Step Functions (polls and answers). */
const MAX_RETRY_DELAY_MS = 5_000;
/** How long the agent keeps trying to deliver an answer through a network cut. */
const ANSWER_PATIENCE_MS = 10 * 60_000;
/** How long a new task's first heartbeat may be refused as InvalidToken (LocalStack, see readiness). */
const READY_PATIENCE_MS = 15_000;

/**
 * pod2sfn's kubelet for the `activity` executor: polls the pod's activities, runs each container on
 * the local container runtime, heartbeats while it runs, and answers with the same error names as
 * the other executors so that Retry and Catch behave alike.
 */
export class Agent {
  private readonly stopping = new AbortController();
  private readonly missing = new Set<string>();
  /** Resolves when every activity has disappeared (deleted, or LocalStack restarted). */
  readonly gone: Promise<void>;
  private allGone!: () => void;
  private readonly inFlight = new Map<
    string,
    { abort: AbortController; done: Promise<void>; label: string; running: boolean }
  >();
  private free: number;
  private readonly waiters: Array<() => void> = [];
  private loops: Promise<void>[] = [];
  /** A sidecar's output stream, by its handle: open until the sidecar is stopped. */
  private readonly sidecarStreams = new Map<string, ShippedStream>();

  constructor(private readonly options: AgentOptions) {
    this.free = options.concurrency ?? 2;
    this.gone = new Promise((resolve) => (this.allGone = resolve));
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
    await Promise.all([...this.sidecarStreams.values()].map((stream) => stream.close()));
  }

  /**
   * One poller per activity, polling without holding a slot (a long poll on an idle activity must not
   * starve a busy one). A task that arrives waits for a slot while heartbeating; its poller polls
   * again only once it has one, so the agent holds at most one waiting task per activity. Stopping
   * aborts the polls in flight: a task Step Functions hands to an aborted or cut-off poll reaches
   * nobody, gets no heartbeat, and is run again after HeartbeatSeconds (docs/agent.md).
   */
  private async poll(activityArn: string): Promise<void> {
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      let task;
      try {
        task = await this.options.client.send(
          new GetActivityTaskCommand({ activityArn, workerName: this.options.workerName }),
          {
            abortSignal: this.stopping.signal,
            requestTimeout: POLL_TIMEOUT_MS,
          },
        );
        if (failures > 0) this.options.log(`[agent] reconnected to Step Functions (${activityName(activityArn)})`);
        failures = 0;
      } catch (e) {
        if (this.stopping.signal.aborted) return;
        if ((e as Error).name === 'ActivityDoesNotExist') return this.lost(activityArn);
        const delay = Math.min(MAX_RETRY_DELAY_MS, 1000 * 2 ** failures++);
        this.options.log(
          `[agent] cannot reach Step Functions for ${activityName(activityArn)}` +
            ` (${(e as Error).message}); retrying in ${delay / 1000}s`,
        );
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
        const label = 'a task received while stopping';
        await this.handBack(task.taskToken, label, failureOf(new WorkerStopped(), this.options.workerName, label));
        return;
      }
      await this.handle(task.taskToken, task.input ?? '{}', activityArn);
    }
  }

  /** An activity that no longer exists is said once and no longer polled; with none left, `gone` resolves. */
  private lost(activityArn: string): void {
    this.missing.add(activityArn);
    this.options.log(
      `[agent] activity ${activityArn} does not exist (deleted, or LocalStack restarted): no longer serving it`,
    );
    if (this.options.activities.every((arn) => this.missing.has(arn))) this.allGone();
  }

  /** Takes the task: resolves once it has a slot (or the agent stops), while the work goes on. */
  private handle(token: string, rawInput: string, activityArn: string): Promise<void> {
    let input: ActivityInput | undefined;
    try {
      input = JSON.parse(rawInput) as ActivityInput;
    } catch {
      input = undefined;
    }
    if (typeof input?.execution !== 'string' || typeof input.container?.name !== 'string') {
      const cause = "the task input is not a pod2sfn container task: is this activity one of pod2sfn's?";
      this.options.log(`[agent] ${cause}`);
      return this.handBack(token, 'the task', { error: ERRORS.containerNotStarted, cause });
    }
    const abort = new AbortController();
    const label = `execution ${input.execution} container ${input.container.name}`;
    const beats = this.heartbeats(token, label, abort, heartbeatInterval(input));
    const slot = this.acquire();
    const record = { abort, done: Promise.resolve(), label, running: false };
    const done = slot
      .then(() => {
        record.running = true;
        return this.work(token, input, label, abort, beats.ready, this.options.shippers?.get(activityArn));
      })
      .finally(() => {
        beats.stop();
        this.inFlight.delete(token);
        this.release();
      });
    record.done = done;
    this.inFlight.set(token, record);
    return Promise.race([slot, done.then(() => undefined)]);
  }

  /**
   * Heartbeats from the moment the task arrives. The first one also tells that Step Functions is ready
   * for the answer: LocalStack 4.14 arms a task's heartbeat wait only after it logged ActivityStarted,
   * and an answer that comes sooner is stored but never looked at — the Task then times out after
   * HeartbeatSeconds although it succeeded. Until it is armed, a heartbeat is refused as InvalidToken;
   * AWS accepts the first one at once. So the answer waits for `ready`.
   */
  private heartbeats(
    token: string,
    label: string,
    abort: AbortController,
    intervalMs: number,
  ): { ready: Promise<void>; stop: () => void } {
    const { client, log } = this.options;
    const since = Date.now();
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    let markReady!: () => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    let armed = false;
    const beat = async (): Promise<void> => {
      try {
        await client.send(new SendTaskHeartbeatCommand({ taskToken: token }), { requestTimeout: CALL_TIMEOUT_MS });
        armed = true;
        markReady();
      } catch (e) {
        const name = (e as Error).name;
        if (!armed && name === 'InvalidToken' && Date.now() - since < READY_PATIENCE_MS) return schedule(200);
        if (!armed && Date.now() - since >= READY_PATIENCE_MS) markReady();
        // The task timed out or its execution ended: nobody wants this container any more. Any other
        // error (throttling, a network cut) is only logged: the next heartbeat may go through.
        if (TASK_GONE.has(name)) {
          log(`[agent] ${label}: heartbeat refused (${name}); stopping the container`);
          markReady();
          abort.abort(e);
          return;
        }
        log(`[agent] ${label}: heartbeat failed (${name}: ${(e as Error).message}); will try again`);
        if (!armed) return schedule(Math.min(intervalMs, 1000));
      }
      schedule(intervalMs);
    };
    const schedule = (ms: number) => {
      if (!stopped) timer = setTimeout(() => void beat(), ms);
    };
    void beat();
    return {
      ready,
      stop: () => {
        stopped = true;
        clearTimeout(timer);
      },
    };
  }

  /** Answers a task it does not run, once Step Functions is ready for the answer (see heartbeats). */
  private async handBack(token: string, label: string, answer: Answer): Promise<void> {
    const beats = this.heartbeats(token, label, new AbortController(), 1000);
    await beats.ready;
    beats.stop();
    await this.report(token, label, answer);
  }

  private async work(
    token: string,
    input: ActivityInput,
    label: string,
    abort: AbortController,
    ready: Promise<void>,
    shipper: LogShipper | undefined,
  ): Promise<void> {
    const answer = await this.outcome(input, label, abort, shipper);
    await ready;
    await this.report(token, label, answer);
  }

  private async outcome(
    input: ActivityInput,
    label: string,
    abort: AbortController,
    shipper: LogShipper | undefined,
  ): Promise<Answer> {
    const { host, log } = this.options;
    if (abort.signal.aborted) return failureOf(abort.signal.reason, this.options.workerName, label);
    const shipped = input.action === 'stop' ? undefined : shipper?.open(input.execution, input.container.name);
    const context = {
      signal: abort.signal,
      log: (line: string) => {
        log(`[${input.execution}/${input.container.name}] ${line}`);
        shipped?.write(line);
      },
    };
    log(`[agent] ${label}: ${input.action}`);
    let answer: Answer;
    try {
      if (input.action === 'stop') {
        await host.stopSidecar(input.handle);
        await this.sidecarStreams.get(input.handle)?.close();
        this.sidecarStreams.delete(input.handle);
        answer = { output: {} };
      } else if (input.action === 'start') {
        const handle = await host.startSidecar(input, context);
        if (shipped) this.sidecarStreams.set(handle, shipped);
        answer = { output: { handle } };
      } else {
        const outcome = await host.run(input, context);
        if (abort.signal.reason instanceof WorkerStopped) throw abort.signal.reason;
        log(`[agent] ${label}: exited ${outcome.exitCode}`);
        const cause: ContainerFailureCause = {
          container: input.container.name,
          exitCode: outcome.exitCode,
          message: outcome.message,
        };
        answer =
          outcome.exitCode === 0
            ? { output: outcome }
            : { error: ERRORS.containerFailed, cause: JSON.stringify(cause) };
      }
    } catch (e) {
      answer = failureOf(e, this.options.workerName, label);
    }
    // Every line is in CloudWatch before the answer, so `pod2sfn logs` right after the run sees it.
    if (input.action === 'run' || 'error' in answer) await shipped?.close();
    return answer;
  }

  /**
   * Answers Step Functions, through a network cut too (heartbeats go on meanwhile): a lost answer
   * would have the container run again. A refusal (the task timed out, the run was stopped) ends it.
   */
  private async report(token: string, label: string, answer: Answer): Promise<void> {
    const { client, log } = this.options;
    if (!('output' in answer)) log(`[agent] ${label}: ${answer.error}: ${answer.cause}`);
    const command =
      'output' in answer
        ? new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(answer.output) })
        : new SendTaskFailureCommand({ taskToken: token, error: answer.error, cause: answer.cause });
    const since = Date.now();
    for (let failures = 0; ; failures++) {
      try {
        await client.send(command as SendTaskSuccessCommand, { requestTimeout: CALL_TIMEOUT_MS });
        return;
      } catch (e) {
        const name = (e as Error).name;
        const patience = this.stopping.signal.aborted ? CALL_TIMEOUT_MS : ANSWER_PATIENCE_MS;
        if (TASK_GONE.has(name) || Date.now() - since > patience) {
          const why = `${name}: ${(e as Error).message}`;
          log(`[agent] ${label}: Step Functions refused the answer (${why}); the task timed out or its run stopped`);
          return;
        }
        const delay = Math.min(MAX_RETRY_DELAY_MS, 1000 * 2 ** failures);
        const why = `${name}: ${(e as Error).message}`;
        log(`[agent] ${label}: cannot deliver the answer (${why}); retrying in ${delay / 1000}s`);
        await new Promise((r) => setTimeout(r, delay));
      }
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

/** Answers that mean the task is over for Step Functions. */
const TASK_GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/** A third of the Task's HeartbeatSeconds (the task input carries it), so two heartbeats may fail. */
function heartbeatInterval(input: ActivityInput): number {
  const given = input.heartbeatSeconds;
  const seconds = typeof given === 'number' && given > 0 ? given : 60;
  return Math.max(1000, (seconds * 1000) / 3);
}

type Answer = { readonly output: unknown } | { readonly error: string; readonly cause: string };

/** A container that could not run: the agent stopping (retried elsewhere), its volumes, or it could not start. */
function failureOf(e: unknown, workerName: string, label: string): Answer {
  if (e instanceof WorkerStopped)
    return { error: ERRORS.workerStopped, cause: `agent ${workerName} stopped while it held ${label}` };
  // A volume the store could not restore or save (retried, not a restart), or one over its sizeLimit.
  if (e instanceof VolumeError) return { error: e.name, cause: `${label}: ${e.message}` };
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

/** Waits `ms`, or less when the agent stops (timers/promises removes its abort listener either way). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return setTimeoutPromise(ms, undefined, { signal }).catch(() => undefined);
}
