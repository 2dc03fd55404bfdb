import { ERRORS } from '../asl/errors.js';
import type { Retrier, State, StateMachineDefinition, StateMachineFragment } from '../asl/types.js';
import { backoffSeconds } from '../model/backoff.js';

export interface Restart {
  /** Seconds the engine waits before running the container again. */
  readonly waitSeconds: number;
}

/**
 * Tells, when a container has failed, whether the state machine will run it again and after how
 * long: that is when the pod shows CrashLoopBackOff. It reads the same Retry the engine follows (on
 * the Task, or on the single-branch Parallel an executor wraps its Task in, as ECS does) and counts
 * failures the way the engine counts retries: per entry into the state.
 */
export class Restarts {
  private readonly holders = new Map<string, { name: string; retrier?: Retrier }>();
  private readonly failures = new Map<string, number>();

  constructor(definition: StateMachineDefinition) {
    this.index(definition, undefined);
  }

  /** A container run by `taskState` exited non-zero. */
  failed(taskState: string): Restart | undefined {
    const holder = this.holders.get(taskState);
    if (!holder?.retrier) return undefined;
    const n = (this.failures.get(holder.name) ?? 0) + 1;
    const { IntervalSeconds, BackoffRate, MaxAttempts, MaxDelaySeconds } = holder.retrier;
    if (n > MaxAttempts) {
      // Retries are spent: the next run of this state is a new entry, counted from zero.
      this.failures.delete(holder.name);
      return undefined;
    }
    this.failures.set(holder.name, n);
    const maxDelaySeconds = MaxDelaySeconds ?? Infinity;
    const backoff = { intervalSeconds: IntervalSeconds, backoffRate: BackoffRate, maxDelaySeconds };
    return { waitSeconds: backoffSeconds(backoff, n - 1) };
  }

  succeeded(taskState: string): void {
    const holder = this.holders.get(taskState);
    if (holder) this.failures.delete(holder.name);
  }

  private index(fragment: StateMachineFragment, wrapper: { name: string; state: State } | undefined): void {
    const entries = Object.entries(fragment.States);
    for (const [name, state] of entries) {
      if (state.Type === 'Task') {
        const own = state.Retry !== undefined ? { name, state } : wrapper;
        this.holders.set(name, { name: own?.name ?? name, ...(own && { retrier: containerRetrier(own.state) }) });
      } else if (state.Type === 'Parallel') {
        const wraps = state.Branches.length === 1 && state.Retry !== undefined;
        for (const branch of state.Branches) this.index(branch, wraps ? { name, state } : undefined);
      }
    }
  }
}

function containerRetrier(state: State): Retrier | undefined {
  const retry = 'Retry' in state ? state.Retry : undefined;
  return retry?.find((r) =>
    r.ErrorEquals.some(
      (e) => e === ERRORS.containerFailed || e === 'States.ALL' || (e === 'States.TaskFailed' && state.Type === 'Task'),
    ),
  );
}
