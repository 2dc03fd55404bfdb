import { setTimeout as sleep } from 'node:timers/promises';
import { historyToPodEvents } from '../../status/history.js';
import { PodEventFeed } from '../../status/feed.js';
import { runObject } from '../../status/pod-object.js';
import { WatchLines } from '../live.js';
import { EXIT } from '../io.js';
import { outputFormat, render } from '../output.js';
import { orNotFound, resolveRun, runArgument, RUN_DESCRIPTIONS, RUN_OPTIONS } from '../run-ref.js';
import {
  TIMELINE_DESCRIPTIONS,
  TIMELINE_OPTIONAL_VALUES,
  TIMELINE_OPTIONS,
  timelineRequest,
  writeTimeline,
} from '../timeline.js';
import type { Invocation, Verb } from '../verb.js';

const POLL_MS = 5000;

export const verb: Verb = {
  name: 'status',
  summary: 'Print the Pod status of a deployed run, from its Step Functions execution history.',
  usage: 'pod2sfn status (EXECUTION_ARN | RUN -f FILE | RUN --stack NAME | RUN --api URL) [-w] [-o json|yaml]',
  options: {
    ...RUN_OPTIONS,
    watch: { type: 'boolean', short: 'w' },
    output: { type: 'string', short: 'o' },
    ...TIMELINE_OPTIONS,
  },
  optionalValues: TIMELINE_OPTIONAL_VALUES,
  descriptions: {
    ...RUN_DESCRIPTIONS,
    watch: 'print again on every change until the run ends (kubectl get pod -w)',
    output: 'print the whole Pod object as json or yaml (default: the kubectl get pod line)',
    ...TIMELINE_DESCRIPTIONS,
  },
  details: 'Exit code 1 when the run failed. Uses the usual AWS environment and AWS_ENDPOINT_URL (LocalStack).',
  run: (invocation) => orNotFound(invocation.io, () => status(invocation)),
};

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
