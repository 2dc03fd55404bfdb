import { setTimeout as sleep } from 'node:timers/promises';
import { historyToPodEvents } from '../../status/history.js';
import { PodEventFeed } from '../../status/feed.js';
import { runObject } from '../../status/pod-object.js';
import { WatchLines } from '../live.js';
import { EXIT } from '../io.js';
import { outputFormat, render } from '../output.js';
import { orNotFound, resolveRun, runArgument } from '../run-ref.js';
import { timelineRequest, writeTimeline } from '../timeline.js';
import type { Invocation } from '../verb.js';

const POLL_MS = 5000;

/** `pod2sfn status` (its flags and help: lib/cli/verbs/status.ts). */
export async function run(invocation: Invocation): Promise<number> {
  return orNotFound(invocation.io, () => status(invocation));
}

async function status(invocation: Invocation): Promise<number> {
  const { io, values, positionals } = invocation;
  const ref = runArgument(positionals);
  const format = values.output === undefined ? undefined : outputFormat(values.output);
  const timeline = timelineRequest(invocation, format !== undefined);
  const run = await resolveRun(invocation, ref);
  const { pod, specs } = await run.source.pod();

  const events = new PodEventFeed(pod.shape);
  const lines = new WatchLines(pod.shape, specs);
  let printed = '';
  for (let summary = run; ; summary = { ...run, ...(await run.source.describe(run.executionArn)) }) {
    const podEvents = historyToPodEvents(await run.source.history(summary), pod, new Date());
    const tracker = events.update(podEvents);
    if (format) {
      // Watching: a document each time the status changes, as kubectl get pod -w -o json|yaml does.
      const text = render(runObject(pod.shape, tracker, specs), format);
      if (text !== printed) io.stdout.write(printed !== '' && format === 'yaml' ? `---\n${text}` : text);
      printed = text;
    } else {
      for (const line of lines.next(tracker, new Date())) io.stdout.write(`${line}\n`);
    }
    // A deleted run is over for Step Functions, but Terminating until its grace period ends.
    if (!values.watch || (summary.status !== 'RUNNING' && tracker.finished)) {
      if (timeline) await writeTimeline(timeline, pod.shape, podEvents, new Date(), io);
      return tracker.status.phase === 'Failed' ? EXIT.podFailed : EXIT.ok;
    }
    await sleep(POLL_MS);
  }
}
