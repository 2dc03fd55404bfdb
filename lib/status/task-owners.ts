import type { TaskBinding } from '../asl/emit.js';
import type { HistoryEventLike } from './history.js';

/**
 * Which Task each event of an execution history belongs to, as its binding (the state's container and
 * action). Events of one Task are linked by `previousEventId` (TaskScheduled → TaskStateEntered,
 * TaskStarted → TaskScheduled, a retry's TaskScheduled → the failure) back to the state entered, which
 * keeps Parallel branches apart. Each chain is walked once and remembered: O(events) for a whole history.
 * The status mapper (./history.ts) and the log locations (lib/logs/locations.ts) read a history through it.
 */
export function taskOwners(
  events: readonly HistoryEventLike[],
  tasks: readonly TaskBinding[],
): (event: HistoryEventLike) => TaskBinding | undefined {
  const byId = new Map(events.map((e) => [e.id, e]));
  const bindingByState = new Map(tasks.map((t) => [t.state, t]));
  const owners = new Map<number, TaskBinding | null>();
  return (event) => {
    const chain: number[] = [];
    let current: HistoryEventLike | undefined = event;
    let found: TaskBinding | null = null;
    while (current) {
      const known = owners.get(current.id);
      if (known !== undefined) {
        found = known;
        break;
      }
      chain.push(current.id);
      if (current.type.endsWith('StateEntered')) {
        found = bindingByState.get(current.stateEnteredEventDetails?.name ?? '') ?? null;
        break;
      }
      current = current.previousEventId === undefined ? undefined : byId.get(current.previousEventId);
    }
    for (const id of chain) owners.set(id, found);
    return found ?? undefined;
  };
}
