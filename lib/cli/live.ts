import type { PodShape } from '../model/pod-shape.js';
import type { Workflow } from '../model/workflow.js';
import type { OutputSink } from '../runner/index.js';
import type { PodEvent } from '../status/events.js';
import { isJobKind, jobObject } from '../status/job.js';
import { printJob, watchKey, WatchTable } from '../status/kubectl.js';
import { runObject, type RunSpecs } from '../status/pod-object.js';
import { PodStatusTracker } from '../status/pod-status.js';

/**
 * The lines `kubectl get pod -w` prints of a pod — for a Job, `kubectl get job,pod -w`: the Job's
 * beside its pod's, each row named by its kind — a row each time its READY, STATUS or RESTARTS
 * (a Job's STATUS or COMPLETIONS) changed: AGE always moves.
 */
export class WatchLines {
  private readonly isJob: boolean;
  private readonly pods: WatchTable;
  private readonly jobs: WatchTable;
  private readonly last = { pod: '', job: '' };
  private headed = false;
  /** The tracker's rowVersion at the last rows made: none is made again before it changes. */
  private seen = -1;

  constructor(
    private readonly shape: PodShape,
    private readonly specs: RunSpecs = {},
  ) {
    this.isJob = isJobKind(shape.kind);
    this.pods = WatchTable.pods([this.name('pod')]);
    this.jobs = WatchTable.jobs([this.name('job')]);
  }

  /** The lines to print for this status: none when nothing a watcher reads changed. */
  next(tracker: PodStatusTracker, now: Date): string[] {
    if (this.headed && tracker.rowVersion === this.seen) return [];
    const job = this.isJob ? this.jobRow(tracker, now) : undefined;
    const pod = this.podRow(tracker, now);
    this.seen = tracker.rowVersion;
    if (!this.headed) {
      // As `kubectl get job,pod -w` starts: a table per kind, each under its header.
      this.headed = true;
      return this.table(job, pod);
    }
    const lines: string[] = [];
    const jobKey = job ? watchKey(job, 3) : '';
    const podKey = watchKey(pod, 4);
    if (job && jobKey !== this.last.job) lines.push(this.jobs.line(job));
    if (podKey !== this.last.pod) lines.push(this.pods.line(pod));
    this.last.job = jobKey;
    this.last.pod = podKey;
    return lines;
  }

  /** Every row under its header, whatever changed. */
  snapshot(tracker: PodStatusTracker, now: Date): string[] {
    return this.table(this.isJob ? this.jobRow(tracker, now) : undefined, this.podRow(tracker, now));
  }

  private table(job: readonly string[] | undefined, pod: readonly string[]): string[] {
    if (job) this.last.job = watchKey(job, 3);
    this.last.pod = watchKey(pod, 4);
    return [...(job ? [this.jobs.header(), this.jobs.line(job)] : []), this.pods.header(), this.pods.line(pod)];
  }

  private podRow(tracker: PodStatusTracker, now: Date): readonly string[] {
    const cells = tracker.rowCells(now);
    cells[0] = this.name('pod');
    return cells;
  }

  private jobRow(tracker: PodStatusTracker, now: Date): readonly string[] {
    const [, ...cells] = printJob(jobObject(this.shape, tracker, this.specs.job), now).cells;
    return [this.name('job'), ...cells];
  }

  /** kubectl names each row by its kind when it prints more than one kind. */
  private name(kind: 'pod' | 'job'): string {
    if (!this.isJob) return this.shape.name;
    return kind === 'job' ? `job.batch/${this.shape.name}` : `pod/${this.shape.name}`;
  }
}

/**
 * What `pod2sfn run` shows while the pod runs: each container's output line by line behind a
 * `[name]` prefix, and the WatchLines of its status. Plain lines, so that the view reads the same on a
 * terminal and in a log file. Each event updates the status once (PodStatusTracker).
 */
export class LiveView {
  readonly tracker: PodStatusTracker;
  private readonly lines: WatchLines;
  private readonly partial = new Map<string, string>();

  constructor(
    private readonly workflow: Workflow,
    private readonly out: NodeJS.WritableStream,
    private readonly quiet: boolean,
    private readonly specs: RunSpecs = {},
  ) {
    this.tracker = new PodStatusTracker(workflow);
    this.lines = new WatchLines(workflow, specs);
  }

  onEvent(event: PodEvent): void {
    this.tracker.apply(event);
    if (event.type === 'ContainerExited') this.flush(event.container);
    if (this.quiet) return;
    for (const line of this.lines.next(this.tracker, event.at)) this.out.write(`${line}\n`);
  }

  /** What `-o json|yaml` prints: the Job for a Job or CronJob, else the Pod. */
  object(): ReturnType<typeof runObject> {
    return runObject(this.workflow, this.tracker, this.specs);
  }

  output(container: string): OutputSink {
    return (chunk, stream) => {
      if (this.quiet) return;
      const key = `${container}\0${stream}`;
      const lines = ((this.partial.get(key) ?? '') + chunk.toString('utf8')).split('\n');
      this.partial.set(key, lines.pop()!);
      for (const line of lines) this.out.write(`[${container}] ${line}\n`);
    };
  }

  /** Flushes unterminated output; with --quiet, prints the one thing it keeps: the final status. */
  finish(now: Date): void {
    for (const key of this.partial.keys()) this.flush(key.split('\0')[0]!);
    if (!this.quiet) return;
    for (const line of this.lines.snapshot(this.tracker, now)) this.out.write(`${line}\n`);
  }

  private flush(container: string): void {
    for (const stream of ['stdout', 'stderr']) {
      const key = `${container}\0${stream}`;
      const rest = this.partial.get(key);
      if (rest && !this.quiet) this.out.write(`[${container}] ${rest}\n`);
      this.partial.delete(key);
    }
  }
}
