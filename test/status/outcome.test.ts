import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../lib/asl/errors.js';
import { compile, type Compiled } from '../../lib/compile.js';
import { runPod } from '../../lib/local/run-pod.js';
import type { ContainerRuntime } from '../../lib/local/runtime.js';
import { localValues } from '../../lib/local/values.js';
import type { Launch } from '../../lib/runner/index.js';
import { historyToPodEvents, type HistoryEventLike } from '../../lib/status/history.js';
import { podObject } from '../../lib/status/pod-object.js';
import { podStatus } from '../../lib/status/pod-status.js';

/**
 * Issue 8 item 3: one pod outcome. The same failing pod, run on the embedded engine and read back
 * from an execution history of the same definition, gives the same Pod (timestamps aside).
 */
const SPEC = `
apiVersion: v1
kind: Pod
metadata: { name: failing, annotations: { pod2sfn.dev/executor: activity } }
spec:
  restartPolicy: Never
  initContainers:
    - { name: first, image: busybox, command: ["sh", "-c", "true"] }
  containers:
    - { name: second, image: busybox, command: ["sh", "-c", "echo bad thing > /dev/termination-log; exit 7"] }
`;

function compiled(): Compiled {
  const result = compile(SPEC);
  if (!result.compiled) throw new Error(JSON.stringify(result.diagnostics));
  return result.compiled;
}

/** A runtime whose containers exit at once: `second` with 7 and a termination message. */
const fakeRuntime: ContainerRuntime = {
  name: 'host',
  async start(launch: Launch) {
    const exit =
      launch.container.name === 'second' ? { exitCode: 7, terminationMessage: 'bad thing' } : { exitCode: 0 };
    return { exited: Promise.resolve(exit), stop: async () => exit };
  },
  async close() {},
};

/** What Step Functions records for that run of the activity definition. */
function history(): HistoryEventLike[] {
  const events: HistoryEventLike[] = [];
  const add = (type: string, previous: number | undefined, details: Partial<HistoryEventLike> = {}) => {
    events.push({
      id: events.length + 1,
      type,
      timestamp: new Date(Date.UTC(2025, 0, 1, 0, 0, events.length)),
      ...(previous && { previousEventId: previous }),
      ...details,
    });
    return events.length;
  };
  const cause = JSON.stringify({ container: 'second', exitCode: 7, message: 'bad thing' });
  const start = add('ExecutionStarted', undefined);
  const init = add('TaskStateEntered', start, { stateEnteredEventDetails: { name: 'Init: first' } });
  const initDone = add('ActivitySucceeded', add('ActivityStarted', add('ActivityScheduled', init)), {
    activitySucceededEventDetails: { output: JSON.stringify({ exitCode: 0, message: '' }) },
  });
  const parallel = add('ParallelStateEntered', add('TaskStateExited', initDone), {
    stateEnteredEventDetails: { name: 'Containers' },
  });
  const run = add('TaskStateEntered', parallel, { stateEnteredEventDetails: { name: 'Run: second' } });
  const failed = add('ActivityFailed', add('ActivityStarted', add('ActivityScheduled', run)), {
    activityFailedEventDetails: { error: ERRORS.containerFailed, cause },
  });
  add('ExecutionFailed', add('ParallelStateExited', failed), {
    executionFailedEventDetails: { error: ERRORS.containerFailed, cause },
  });
  return events;
}

const withoutTimes = (value: unknown) =>
  JSON.parse(JSON.stringify(value).replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/g, '"<time>"'));

describe('one pod outcome for run and status', () => {
  it('a failing pod run locally and read from its execution history gives the same Pod', async () => {
    // GIVEN the same definition / WHEN run on the embedded engine
    const c = compiled();
    const local = await runPod(c, {
      runtime: fakeRuntime,
      values: localValues({}),
      backoffScale: 0.01,
      interrupt: new AbortController().signal,
      output: () => () => {},
      onEvent: () => {},
      execution: 'failing-1',
    });
    const localPod = podObject(c.workflow, podStatus(c.workflow, local.events));
    // WHEN read back from Step Functions' history of that run
    const deployedPod = podObject(
      c.workflow,
      podStatus(c.workflow, historyToPodEvents(history(), { shape: c.workflow, tasks: c.tasks })),
    );
    // THEN both are the same Pod, and it says what failed where a kubelet says it
    expect(withoutTimes(localPod)).toEqual(withoutTimes(deployedPod));
    expect(local.phase).toBe('Failed');
    expect(localPod.status).toMatchObject({ phase: 'Failed' });
    expect(localPod.status.reason).toBeUndefined();
    expect(localPod.status.message).toBeUndefined();
    expect(localPod.status.containerStatuses[0]!.state.terminated).toMatchObject({
      exitCode: 7,
      reason: 'Error',
      message: 'bad thing',
    });
  });
});
