import type { Workflow } from '../model/workflow.js';
import type { OutputSink } from '../runner/index.js';
import type { PodEvent } from '../status/events.js';
import { isJobKind, jobObject } from '../status/job.js';
import { printJob, printPod, WatchTable } from '../status/kubectl.js';
import { podObject, runObject, type RunSpecs } from '../status/pod-object.js';
import { PodStatusTracker } from '../status/pod-status.js';

/**
 * What `pod2sfn run` shows while the pod runs: each container's output line by line behind a
 * `[name]` prefix, and a `kubectl get pod -w` line each time READY, STATUS or RESTARTS changes —
 * for a Job, `kubectl get job,pod -w` lines, the Job's beside its pod's. Plain lines, so that the view
 * reads the same on a terminal and in a log file. Each event updates the status once (PodStatusTracker).
 */
export class LiveView {
  readonly tracker: PodStatusTracker;
  private readonly partial = new Map<string, string>();
  private readonly isJob: boolean;
  private readonly pods: WatchTable;
  private readonly jobs: WatchTable;
  private readonly last = { pod: '', job: '' };
  private headed = false;

  constructor(
    private readonly workflow: Workflow,
    private readonly out: NodeJS.WritableStream,
    private readonly quiet: boolean,
    private readonly specs: RunSpecs = {},
  ) {
    this.tracker = new PodStatusTracker(workflow);
    this.isJob = isJobKind(workflow.kind);
    this.pods = WatchTable.pods([this.name('pod')]);
    this.jobs = WatchTable.jobs([this.name('job')]);
  }

  onEvent(event: PodEvent): void {
    this.tracker.apply(event);
    if (event.type === 'ContainerExited') this.flush(event.container);
    if (this.quiet) return;
    const { job, pod } = this.changedRows(event.at);
    if (!this.headed) {
      // As `kubectl get job,pod -w` starts: a table per kind, each under its header.
      this.headed = true;
      if (this.isJob) this.out.write(`${this.jobs.header()}\n${this.jobs.line(job ?? this.jobRow(event.at))}\n`);
      this.out.write(`${this.pods.header()}\n${this.pods.line(pod ?? this.podRow(event.at))}\n`);
      return;
    }
    if (job) this.out.write(`${this.jobs.line(job)}\n`);
    if (pod) this.out.write(`${this.pods.line(pod)}\n`);
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
    if (this.isJob) this.out.write(`${this.jobs.header()}\n${this.jobs.line(this.jobRow(now))}\n`);
    this.out.write(`${this.pods.header()}\n${this.pods.line(this.podRow(now))}\n`);
  }

  /** Rows whose READY, STATUS or RESTARTS (a Job's STATUS or COMPLETIONS) changed: AGE always moves. */
  private changedRows(now: Date): { job?: readonly string[]; pod?: readonly string[] } {
    const changed: { job?: readonly string[]; pod?: readonly string[] } = {};
    if (this.isJob) {
      const row = this.jobRow(now);
      const key = row.slice(1, 3).join('|');
      if (key !== this.last.job) changed.job = row;
      this.last.job = key;
    }
    const row = this.podRow(now);
    const key = row
      .slice(1, 4)
      .map((cell) => cell.replace(/ \(.*\)$/, ''))
      .join('|');
    if (key !== this.last.pod) changed.pod = row;
    this.last.pod = key;
    return changed;
  }

  private podRow(now: Date): readonly string[] {
    const { status, spec, deletionTimestamp } = this.tracker;
    const pod = podObject(this.workflow, status, { spec, deletionTimestamp });
    const [, ...cells] = printPod(pod, now).cells;
    return [this.name('pod'), ...cells];
  }

  private jobRow(now: Date): readonly string[] {
    const [, ...cells] = printJob(jobObject(this.workflow, this.tracker, this.specs.job), now).cells;
    return [this.name('job'), ...cells];
  }

  /** kubectl names each row by its kind when it prints more than one kind. */
  private name(kind: 'pod' | 'job'): string {
    if (!this.isJob) return this.workflow.name;
    return kind === 'job' ? `job.batch/${this.workflow.name}` : `pod/${this.workflow.name}`;
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
