import type { Workflow } from '../model/workflow.js';
import type { OutputSink } from '../runner/index.js';
import type { PodEvent } from '../status/events.js';
import { watchHeader, watchLine } from '../status/kubectl.js';
import { podStatus } from '../status/pod-status.js';

/**
 * What `pod2sfn run` shows while the pod runs: each container's output line by line behind a
 * `[name]` prefix, and a `kubectl get pod -w` line each time READY, STATUS or RESTARTS changes.
 * Plain lines, so that the view reads the same on a terminal and in a log file.
 */
export class LiveView {
  private readonly events: PodEvent[] = [];
  private readonly partial = new Map<string, string>();
  private last = '';
  private headed = false;

  constructor(
    private readonly workflow: Workflow,
    private readonly out: NodeJS.WritableStream,
    private readonly quiet: boolean,
  ) {}

  onEvent(event: PodEvent): void {
    this.events.push(event);
    if (event.type === 'ContainerExited') this.flush(event.container);
    if (this.quiet) return;
    const status = podStatus(this.workflow, this.events);
    const now = event.at;
    const line = watchLine(this.workflow.name, status, now);
    // AGE always moves: compare what a watcher would call a change.
    const key = line.split(/\s{2,}/).slice(1, 4).map((cell) => cell.replace(/ \(.*\)$/, '')).join('|');
    if (key === this.last) return;
    this.last = key;
    if (!this.headed) {
      this.out.write(`${watchHeader(this.workflow.name)}\n`);
      this.headed = true;
    }
    this.out.write(`${line}\n`);
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

  /** Flushes unterminated output; with --quiet, prints the one line it keeps: the final status. */
  finish(now: Date): void {
    for (const key of this.partial.keys()) this.flush(key.split('\0')[0]!);
    if (!this.quiet) return;
    this.out.write(`${watchHeader(this.workflow.name)}\n${watchLine(this.workflow.name, podStatus(this.workflow, this.events), now)}\n`);
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
