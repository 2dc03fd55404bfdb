import { describe, expect, it } from 'vitest';
import type { TaskState } from '../../lib/asl/types.js';
import { compile } from '../../lib/compile.js';
import { historyToPodEvents, type HistoryEventLike } from '../../lib/status/history.js';
import { allStates } from '../helpers/asl.js';

/** What bounds a lost or absent `pod2sfn agent` (docs/agent.md): the activity Task's timeouts and Retry. */
function pod(annotations: string, deadline?: number): string {
  return `apiVersion: v1
kind: Pod
metadata: { name: p, annotations: { pod2sfn.dev/executor: activity${annotations} } }
spec:
  restartPolicy: Never
${deadline === undefined ? '' : `  activeDeadlineSeconds: ${deadline}\n`}  containers:
    - { name: app, image: alpine, command: ["true"] }
`;
}

function activityTask(text: string): TaskState {
  const result = compile(text);
  if (!result.compiled) throw new Error(JSON.stringify(result.diagnostics));
  return allStates(result.compiled.definition).find(([, s]) => s.Type === 'Task')![1] as TaskState;
}

describe('activity Task timeouts', () => {
  it('retries the names a lost worker raises, on AWS and LocalStack, apart from restarts', () => {
    // GIVEN a pod on the activity executor WHEN it compiles
    // THEN its Task retries both heartbeat timeout names, and the volume store's failures
    const task = activityTask(pod(''));
    const transient = [
      'States.HeartbeatTimeout',
      'States.Timeout',
      'Pod2sfn.WorkerStopped',
      'Pod2sfn.ContainerNotStarted',
      'Pod2sfn.VolumeRestoreFailed',
      'Pod2sfn.VolumeSaveFailed',
    ];
    expect(task.Retry![0]!.ErrorEquals).toEqual(transient);
  });

  it('takes TimeoutSeconds from the deadline, else a day, and HeartbeatSeconds from the annotation', () => {
    // GIVEN pods with and without a deadline and a heartbeat annotation
    // WHEN they compile THEN the Task is bounded by the deadline (or a day), always above the heartbeat
    expect(activityTask(pod('', 600))).toMatchObject({
      HeartbeatSeconds: 60,
      TimeoutSeconds: 600,
      Parameters: { heartbeatSeconds: 60 },
    });
    expect(activityTask(pod(''))).toMatchObject({ HeartbeatSeconds: 60, TimeoutSeconds: 86_400 });
    expect(activityTask(pod(', pod2sfn.dev/heartbeat-seconds: "5"', 30))).toMatchObject({
      HeartbeatSeconds: 5,
      TimeoutSeconds: 30,
      Parameters: { heartbeatSeconds: 5 },
    });
    expect(activityTask(pod('', 20))).toMatchObject({ HeartbeatSeconds: 60, TimeoutSeconds: 61 });
  });

  it('refuses a heartbeat annotation that Step Functions could not take', () => {
    // GIVEN out-of-range values WHEN validated THEN a path-qualified error names the range
    for (const value of ['0', '3601', '1.5', 'soon']) {
      const result = compile(pod(`, pod2sfn.dev/heartbeat-seconds: "${value}"`));
      expect(result.compiled).toBeUndefined();
      const messages = result.diagnostics.map((d) => d.message).join('\n');
      expect(messages).toContain('must be a whole number of seconds from 1 to 3600');
    }
  });
});

describe('a lost worker in the Pod status', () => {
  const compiled = compile(pod(', pod2sfn.dev/heartbeat-seconds: "5"', 300)).compiled!;
  const name = compiled.tasks[0]!.state;
  const at = (s: number) => new Date(Date.parse('2025-01-01T00:00:00Z') + s * 1000);
  const attempt = (timedOutAt: number, started: boolean, error = 'States.Timeout'): HistoryEventLike[] => [
    { id: 1, type: 'ExecutionStarted', timestamp: at(0) },
    { id: 2, previousEventId: 1, type: 'TaskStateEntered', timestamp: at(0), stateEnteredEventDetails: { name } },
    {
      id: 3,
      previousEventId: 2,
      type: 'ActivityScheduled',
      timestamp: at(0),
      activityScheduledEventDetails: { timeoutInSeconds: 300 },
    },
    ...(started ? [{ id: 4, previousEventId: 3, type: 'ActivityStarted', timestamp: at(1) }] : []),
    {
      id: 5,
      previousEventId: started ? 4 : 3,
      type: 'ActivityTimedOut',
      timestamp: at(timedOutAt),
      activityTimedOutEventDetails: { error },
    },
  ];
  const reasons = (history: HistoryEventLike[]) =>
    historyToPodEvents(history, { ...compiled, shape: compiled.workflow }).flatMap((e) =>
      'reason' in e && e.reason ? [e.reason] : [],
    );

  it('reads a heartbeat timeout as ContainerStatusUnknown, never DeadlineExceeded, under either name', () => {
    // GIVEN an attempt that timed out 6 s after it started, well before its TimeoutSeconds (LocalStack: States.Timeout)
    // WHEN the history is read THEN the worker was lost
    expect(reasons(attempt(6, true))).toEqual(['ContainerCreating', 'ContainerStatusUnknown']);
    const lost = ['ContainerCreating', 'ContainerStatusUnknown'];
    expect(reasons(attempt(6, true, 'States.HeartbeatTimeout'))).toEqual(lost);
  });

  it('reads the Task reaching its TimeoutSeconds (the deadline) while running as DeadlineExceeded', () => {
    // GIVEN an attempt that ran up to its TimeoutSeconds WHEN the history is read THEN that is the deadline
    expect(reasons(attempt(300, true))).toContain('DeadlineExceeded');
    // AND one that no worker took is still waiting to be created
    expect(reasons(attempt(300, false))).toEqual(['ContainerCreating', 'ContainerCreating']);
  });
});
