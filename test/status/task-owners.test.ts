import { describe, expect, it } from 'vitest';
import type { TaskBinding } from '../../lib/asl/emit.js';
import type { HistoryEventLike } from '../../lib/status/history.js';
import { taskOwners } from '../../lib/status/task-owners.js';

const bindings: TaskBinding[] = [
  { state: 'Run: a', stepId: 'a', action: 'run' },
  { state: 'Run: b', stepId: 'b', action: 'run' },
];

function event(id: number, type: string, previousEventId?: number, state?: string): HistoryEventLike {
  return {
    id,
    type,
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, id)),
    ...(previousEventId !== undefined && { previousEventId }),
    ...(state !== undefined && { stateEnteredEventDetails: { name: state } }),
  };
}

describe('taskOwners', () => {
  it('follows each event back to the Task state it was entered in, keeping Parallel branches apart', () => {
    // GIVEN two branches of a Parallel, interleaved as Step Functions writes them, and a retry of `a`
    const events = [
      event(1, 'ExecutionStarted'),
      event(2, 'ParallelStateEntered', 1, 'Containers'),
      event(3, 'ParallelStateStarted', 2),
      event(4, 'TaskStateEntered', 3, 'Run: a'),
      event(5, 'TaskStateEntered', 3, 'Run: b'),
      event(6, 'TaskScheduled', 4),
      event(7, 'TaskScheduled', 5),
      event(8, 'TaskFailed', 6),
      event(9, 'TaskScheduled', 8),
      event(10, 'TaskSucceeded', 7),
      event(11, 'TaskStateExited', 10),
    ];
    // WHEN each event's owner is asked, the latest first (nothing is known yet)
    const ownerOf = taskOwners(events, bindings);
    const owners = [...events].reverse().map((e) => [e.id, ownerOf(e)?.stepId] as const);
    // THEN the Task events belong to their branch's container; the run's and the Parallel's to none
    expect(Object.fromEntries(owners)).toEqual({
      1: undefined,
      2: undefined,
      3: undefined,
      4: 'a',
      5: 'b',
      6: 'a',
      7: 'b',
      8: 'a',
      9: 'a',
      10: 'b',
      11: 'b',
    });
  });
});
