import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WatchLines } from '../../lib/cli/live.js';
import { compile } from '../../lib/compile.js';
import type { PodShape } from '../../lib/model/pod-shape.js';
import { jobObject } from '../../lib/status/job.js';
import { printJob, printPod, WatchTable } from '../../lib/status/kubectl.js';
import { podObject } from '../../lib/status/pod-object.js';
import { PodStatusTracker } from '../../lib/status/pod-status.js';
import { podEventsOf, podShapes } from '../helpers/pod-events.js';

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

/** The lines from scratch: printPod and printJob of the whole objects at every status, compared as a watcher does. */
function scratchLines(shape: PodShape) {
  const isJob = shape.kind === 'Job';
  const [podName, jobName] = isJob ? [`pod/${shape.name}`, `job.batch/${shape.name}`] : [shape.name, ''];
  const [pods, jobs] = [WatchTable.pods([podName]), WatchTable.jobs([jobName])];
  const watched = (cells: readonly string[], end: number) =>
    cells
      .slice(1, end)
      .map((cell) => cell.replace(/ \(.*\)$/, ''))
      .join('|');
  let last: { pod: string; job: string } | undefined;
  return (tracker: PodStatusTracker, now: Date): string[] => {
    const { spec, deletionTimestamp } = tracker;
    const pod = [
      podName,
      ...printPod(podObject(shape, tracker.status, { spec, deletionTimestamp }), now).cells.slice(1),
    ];
    const job = isJob ? [jobName, ...printJob(jobObject(shape, tracker), now).cells.slice(1)] : undefined;
    const keys = { pod: watched(pod, 4), job: job ? watched(job, 3) : '' };
    const lines = last
      ? [...(job && keys.job !== last.job ? [jobs.line(job)] : []), ...(keys.pod !== last.pod ? [pods.line(pod)] : [])]
      : [...(job ? [jobs.header(), jobs.line(job)] : []), pods.header(), pods.line(pod)];
    last = keys;
    return lines;
  };
}

describe('WatchLines, row by row', () => {
  it('prints the lines of printPod and printJob over the whole pod, after every event', () => {
    fc.assert(
      fc.property(
        podShapes.chain((shape) => fc.tuple(fc.constant(shape), podEventsOf(shape))),
        ([shape, events]) => {
          // GIVEN a pod's watch lines, fed a random stream
          const tracker = new PodStatusTracker(shape);
          const lines = new WatchLines(shape);
          const scratch = scratchLines(shape);
          for (const event of events) {
            tracker.apply(event);
            // THEN each event prints the lines the whole objects give
            expect(lines.next(tracker, event.at)).toEqual(scratch(tracker, event.at));
          }
        },
      ),
      { numRuns: 300, seed: 13 },
    );
  });
});
