import type { Retrier, State, StateMachineDefinition, StateMachineFragment } from '../asl/types.js';

/** Node's timers overflow past 2^31-1 ms: a longer TimeoutSeconds would fire at once (docs/design.md §4). */
export const MAX_TIMER_SECONDS = 2_147_483;

export interface LocalDefinition {
  /** The copy the engine runs: same states, transitions, Retry and Catch as the deployed one. */
  readonly definition: StateMachineDefinition;
  /** The machine's TimeoutSeconds (activeDeadlineSeconds), enforced by the runner, not the engine. */
  readonly deadlineSeconds?: number;
}

/**
 * The private copy of the definition the embedded engine runs. Only times change:
 * - every Task gets an explicit TimeoutSeconds (the engine's default is 60 s; Step Functions has none),
 *   clamped below the timer overflow;
 * - the machine's TimeoutSeconds is taken out and enforced by the runner, which can stop containers;
 * - Retry waits are multiplied by `backoffScale` (IntervalSeconds and MaxDelaySeconds alike), so that
 *   a scaled run keeps the doubling schedule. (The engine's retryIntervalOverrides replace the wait
 *   with one fixed number per retrier, which would lose the doubling.)
 */
export function localDefinition(original: StateMachineDefinition, backoffScale = 1): LocalDefinition {
  // Not a deep copy: the states it changes are new objects, the others are only read (startExecution gives
  // the engine, which mutates, its own copy).
  const { TimeoutSeconds, ...rest } = original as StateMachineDefinition & { TimeoutSeconds?: number };
  const definition = { ...rest, ...fragment(rest, backoffScale) };
  return { definition, ...(TimeoutSeconds !== undefined && { deadlineSeconds: TimeoutSeconds }) };
}

function fragment(f: StateMachineFragment, scale: number): StateMachineFragment {
  const states = Object.fromEntries(Object.entries(f.States).map(([name, state]) => [name, localState(state, scale)]));
  return { StartAt: f.StartAt, States: states };
}

function localState(state: State, scale: number): State {
  switch (state.Type) {
    case 'Task': {
      const timeout = (state as { TimeoutSeconds?: number }).TimeoutSeconds;
      return {
        ...state,
        TimeoutSeconds: Math.min(timeout ?? MAX_TIMER_SECONDS, MAX_TIMER_SECONDS),
        ...scaledRetry(state.Retry, scale),
      } as State;
    }
    case 'Parallel':
      return { ...state, Branches: state.Branches.map((b) => fragment(b, scale)), ...scaledRetry(state.Retry, scale) };
    default:
      return state;
  }
}

function scaledRetry(retry: readonly Retrier[] | undefined, scale: number): { Retry?: Retrier[] } {
  if (!retry) return {};
  return {
    Retry: retry.map((r) => ({
      ...r,
      IntervalSeconds: r.IntervalSeconds * scale,
      ...(r.MaxDelaySeconds !== undefined && { MaxDelaySeconds: r.MaxDelaySeconds * scale }),
    })),
  };
}
