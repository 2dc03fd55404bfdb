import { describe, expect, it } from 'vitest';
import { WatchLines } from '../../lib/cli/live.js';
import { compile } from '../../lib/compile.js';
import { PodStatusTracker } from '../../lib/status/pod-status.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe('WatchLines (kubectl get job,pod -w)', () => {
  it('prints a table per kind first, then a row only when what a watcher reads changed', () => {
    // GIVEN a Job's pod, just started
    const { compiled } = compile(`
apiVersion: batch/v1
kind: Job
metadata: { name: nightly }
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: work, image: busybox, command: ["true"] }]
`);
    const shape = compiled!.workflow;
    const tracker = new PodStatusTracker(shape);
    const lines = new WatchLines(shape);
    tracker.apply({ type: 'PodStarted', at: at(0) });
    // THEN the first lines are both tables, each under its header, rows named by kind
    expect(lines.next(tracker, at(0))).toEqual([
      'NAME                STATUS      COMPLETIONS   DURATION   AGE',
      'job.batch/nightly   Running     0/1           0s         0s',
      'NAME          READY   STATUS                  RESTARTS       AGE',
      'pod/nightly   0/1     ContainerCreating       0              0s',
    ]);
    // WHEN only time passes / THEN nothing is printed
    expect(lines.next(tracker, at(5))).toEqual([]);
    // WHEN the container starts, then the Job completes / THEN only the rows that changed
    tracker.apply({ type: 'ContainerStarted', container: 'work', at: at(6), attempt: 0 });
    expect(lines.next(tracker, at(6))).toEqual(['pod/nightly   1/1     Running                 0              6s']);
    tracker.apply({ type: 'ContainerExited', container: 'work', at: at(7), exitCode: 0 });
    tracker.apply({ type: 'PodFinished', at: at(7), phase: 'Succeeded' });
    expect(lines.next(tracker, at(7))).toEqual([
      'job.batch/nightly   Complete    1/1           7s         7s',
      'pod/nightly   0/1     Completed               0              7s',
    ]);
  });
});
