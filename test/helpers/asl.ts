import type { State, StateMachineFragment } from '../../lib/asl/types.js';

/** Every state with its name, Parallel branches included, in definition order. */
export function allStates(fragment: StateMachineFragment): Array<[string, State]> {
  return Object.entries(fragment.States).flatMap(([name, state]): Array<[string, State]> => [
    [name, state],
    ...(state.Type === 'Parallel' ? state.Branches.flatMap(allStates) : []),
  ]);
}
