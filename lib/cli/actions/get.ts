import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import type { Pod } from '../../status/core-v1.js';
import { historyToPodEvents } from '../../status/history.js';
import { POD_COLUMNS, watchKey, WatchTable } from '../../status/kubectl.js';
import {
  executorsOf,
  formatTable,
  podList,
  podNames,
  runPod,
  runRow,
  RUN_WIDE_COLUMNS,
} from '../../status/run-list.js';
import { EXIT, type Io } from '../io.js';
import { render } from '../output.js';
import { orNotFound, POD_RESOURCES, resolveSource, type RunsSource } from '../run-ref.js';
import { UsageError, type Invocation } from '../verb.js';

const POLL_MS = 5000;
/** Histories read at the same time: a list of many runs, without a burst Step Functions throttles. */
const HISTORY_CONCURRENCY = 8;
const FORMATS = ['wide', 'json', 'yaml', 'name'] as const;
type Format = (typeof FORMATS)[number];

/** `pod2sfn get` (its flags and help: lib/cli/verbs/get.ts). */
export async function run(invocation: Invocation): Promise<number> {
  return orNotFound(invocation.io, () => get(invocation));
}

async function get(invocation: Invocation): Promise<number> {
  const { values, positionals, io } = invocation;
  const [resource, file, ...extra] = positionals;
  if (resource === undefined) throw new UsageError('give the resource type: pods');
  if (!POD_RESOURCES.includes(resource))
    throw new UsageError(`the server doesn't have a resource type ${JSON.stringify(resource)}: use pods`);
  if (extra.length > 0) throw new UsageError('one FILE at a time');
  if (file !== undefined && values.file !== undefined) throw new UsageError('give FILE or -f FILE, not both');
  const format = values.output as Format | undefined;
  if (format !== undefined && !FORMATS.includes(format))
    throw new UsageError(`unknown output format ${JSON.stringify(format)}: use ${FORMATS.join(', ')}`);

  const source = await resolveSource(file === undefined ? invocation : { ...invocation, values: { ...values, file } });
  const { pod } = await source.pod();
  const read = podReader(source);
  let pods = await read();
  if (pods.length === 0 && !values.watch) {
    io.stderr.write(`No resources found in ${pod.shape.namespace} namespace.\n`);
    return EXIT.ok;
  }
  const wide = format === 'wide' ? { executor: executorsOf(pod.shape) } : undefined;
  const printer = new PodPrinter(format, wide, io);
  printer.list(pods);
  if (!values.watch) return EXIT.ok;
  for (;;) {
    await sleep(POLL_MS);
    pods = await read();
    printer.changes(pods);
  }
}

/** Reads every run's Pod: histories a few at a time, a finished pod's once (it does not change). */
function podReader(source: RunsSource): () => Promise<Pod[]> {
  const limit = pLimit(HISTORY_CONCURRENCY);
  const finished = new Map<string, Pod>();
  return async () => {
    const { pod, specs } = await source.pod();
    const runs = await source.list();
    return Promise.all(
      runs.map((run) =>
        limit(async () => {
          const known = finished.get(run.executionArn);
          if (known) return known;
          const events = historyToPodEvents(await source.history(run), pod, new Date());
          const object = runPod(pod.shape, events, run, specs.pod);
          const phase = object.status?.phase;
          if (phase === 'Succeeded' || phase === 'Failed') finished.set(run.executionArn, object);
          return object;
        }),
      ),
    );
  };
}

/** Prints the list, then (-w) each Pod that is new or whose READY, STATUS or RESTARTS changed. */
export class PodPrinter {
  private readonly seen = new Map<string, string>();
  private table?: WatchTable;

  constructor(
    private readonly format: Format | undefined,
    private readonly wide: { readonly executor: string } | undefined,
    private readonly io: Io,
  ) {}

  list(pods: readonly Pod[]): void {
    const now = new Date();
    const rows = pods.map((pod) => this.remember(pod, now));
    if (this.format === 'json' || this.format === 'yaml') this.write(render(podList(pods), this.format));
    else if (this.format === 'name') this.write(lines(podNames(pods)));
    else this.write(lines(formatTable(this.columns(), rows)));
  }

  changes(pods: readonly Pod[]): void {
    const now = new Date();
    for (const pod of pods) {
      const name = pod.metadata?.name ?? '';
      const before = this.seen.get(name);
      const row = this.remember(pod, now);
      if (before === this.seen.get(name)) continue;
      if (this.format === 'json' || this.format === 'yaml') this.write(render(pod, this.format));
      else if (this.format === 'name') this.write(lines(podNames([pod])));
      else {
        this.table ??= new WatchTable(this.columns(), [8, 24, 15, 8, 10], [...this.seen.keys()]);
        this.write(lines([this.table.line(row)]));
      }
    }
  }

  private columns(): readonly string[] {
    return this.wide ? RUN_WIDE_COLUMNS : POD_COLUMNS;
  }

  /** The Pod's row; what a watcher compares: READY, STATUS, RESTARTS without their "(5m ago)". */
  private remember(pod: Pod, now: Date): string[] {
    const row = runRow(pod, now, this.wide);
    this.seen.set(row[0]!, watchKey(row, 4));
    return row;
  }

  private write(text: string): void {
    this.io.stdout.write(text);
  }
}

const lines = (items: readonly string[]) => items.map((line) => `${line}\n`).join('');
