import type { SFNClient } from '@aws-sdk/client-sfn';
import { setTimeout as sleep } from 'node:timers/promises';
import { deployedPod, historyToPodEvents, type DeployedPod, type HistoryEventLike } from '../../status/history.js';
import { PodEventFeed } from '../../status/feed.js';
import { jobSpecOf } from '../../status/job.js';
import { runObject, type RunSpecs } from '../../status/pod-object.js';
import { WatchLines } from '../live.js';
import { sfnClient } from '../aws.js';
import { COMPILE_DESCRIPTIONS, COMPILE_OPTIONS, compileFile } from '../compile-file.js';
import { EXIT } from '../io.js';
import { outputFormat, render } from '../output.js';
import {
  TIMELINE_DESCRIPTIONS,
  TIMELINE_OPTIONAL_VALUES,
  TIMELINE_OPTIONS,
  timelineRequest,
  writeTimeline,
} from '../timeline.js';
import { UsageError, type Verb } from '../verb.js';

const POLL_MS = 5000;

export const verb: Verb = {
  name: 'status',
  summary: 'Print the Pod status of a deployed run, from its Step Functions execution history.',
  usage: 'pod2sfn status EXECUTION_ARN [-w] [-o json|yaml] [-f FILE]',
  options: {
    ...COMPILE_OPTIONS,
    watch: { type: 'boolean', short: 'w' },
    output: { type: 'string', short: 'o' },
    file: { type: 'string', short: 'f' },
    ...TIMELINE_OPTIONS,
  },
  optionalValues: TIMELINE_OPTIONAL_VALUES,
  descriptions: {
    ...COMPILE_DESCRIPTIONS,
    watch: 'print again on every change until the run ends (kubectl get pod -w)',
    output: 'print the whole Pod object as json or yaml (default: the kubectl get pod line)',
    file: 'the pod spec the state machine was deployed from (default: read the deployed definition)',
    ...TIMELINE_DESCRIPTIONS,
  },
  details: 'Exit code 1 when the run failed. Uses the usual AWS environment and AWS_ENDPOINT_URL (LocalStack).',
  async run(invocation) {
    const { io, values, positionals } = invocation;
    const [executionArn, ...extra] = positionals;
    if (executionArn === undefined) throw new UsageError('EXECUTION_ARN is required');
    if (extra.length > 0) throw new UsageError('one EXECUTION_ARN at a time');
    const format = values.output === undefined ? undefined : outputFormat(values.output);
    const timeline = timelineRequest(invocation, format !== undefined);
    const client = await sfnClient(io);
    const { DescribeExecutionCommand, DescribeStateMachineCommand } = await import('@aws-sdk/client-sfn');

    let pod: DeployedPod;
    let specs: RunSpecs = {};
    const file = values.file as string | undefined;
    if (file !== undefined) {
      const compiled = await compileFile({ ...invocation, positionals: [file] });
      pod = { shape: compiled.workflow, tasks: compiled.tasks };
      specs = { pod: compiled.pod.spec, job: jobSpecOf(compiled.pod.kind, compiled.pod.object) };
    } else {
      const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
      const machine = await client.send(
        new DescribeStateMachineCommand({ stateMachineArn: execution.stateMachineArn! }),
      );
      pod = deployedPod(JSON.parse(machine.definition ?? '{}'));
    }

    const events = new PodEventFeed(pod.shape);
    const lines = new WatchLines(pod.shape, specs);
    let printed = '';
    for (;;) {
      const [execution, history] = await Promise.all([
        client.send(new DescribeExecutionCommand({ executionArn })),
        executionHistory(client, executionArn),
      ]);
      const podEvents = historyToPodEvents(history, pod);
      const tracker = events.update(podEvents);
      if (format) {
        // Watching: a document each time the status changes, as kubectl get pod -w -o json|yaml does.
        const text = render(runObject(pod.shape, tracker, specs), format);
        if (text !== printed) io.stdout.write(printed !== '' && format === 'yaml' ? `---\n${text}` : text);
        printed = text;
      } else {
        for (const line of lines.next(tracker, new Date())) io.stdout.write(`${line}\n`);
      }
      if (!values.watch || execution.status !== 'RUNNING') {
        if (timeline) await writeTimeline(timeline, pod.shape, podEvents, new Date(), io);
        return tracker.status.phase === 'Failed' ? EXIT.podFailed : EXIT.ok;
      }
      await sleep(POLL_MS);
    }
  },
};

async function executionHistory(client: SFNClient, executionArn: string): Promise<HistoryEventLike[]> {
  const { paginateGetExecutionHistory } = await import('@aws-sdk/client-sfn');
  const events: HistoryEventLike[] = [];
  for await (const page of paginateGetExecutionHistory(
    { client },
    { executionArn, maxResults: 1000, includeExecutionData: true },
  )) {
    events.push(...((page.events ?? []) as HistoryEventLike[]));
  }
  return events;
}
