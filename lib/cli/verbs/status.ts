import type { SFNClient } from '@aws-sdk/client-sfn';
import { setTimeout as sleep } from 'node:timers/promises';
import { deployedPod, historyToPodEvents, type DeployedPod, type HistoryEventLike } from '../../status/history.js';
import { watchHeader, watchLine } from '../../status/kubectl.js';
import { podObject } from '../../status/pod-object.js';
import { podStatus } from '../../status/pod-status.js';
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
    let spec: unknown;
    const file = values.file as string | undefined;
    if (file !== undefined) {
      const compiled = await compileFile({ ...invocation, positionals: [file] });
      pod = { shape: compiled.workflow, tasks: compiled.tasks };
      spec = compiled.pod.spec;
    } else {
      const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
      const machine = await client.send(new DescribeStateMachineCommand({ stateMachineArn: execution.stateMachineArn! }));
      pod = deployedPod(JSON.parse(machine.definition ?? '{}'));
    }

    let printed = '';
    for (;;) {
      const [execution, history] = await Promise.all([client.send(new DescribeExecutionCommand({ executionArn })), executionHistory(client, executionArn)]);
      const events = historyToPodEvents(history, pod);
      const status = podStatus(pod.shape, events);
      const name = pod.shape.name;
      const text = format ? render(podObject(pod.shape, status, spec), format) : `${watchLine(name, status, new Date())}\n`;
      if (printed === '' && !format) io.stdout.write(`${watchHeader(name)}\n`);
      // Watching: a line (or a document) each time the status changes, as kubectl get pod -w does.
      if (stripAge(text) !== stripAge(printed)) io.stdout.write(printed !== '' && format === 'yaml' ? `---\n${text}` : text);
      printed = text;
      if (!values.watch || execution.status !== 'RUNNING') {
        if (timeline) await writeTimeline(timeline, pod.shape, events, new Date(), io);
        return status.phase === 'Failed' ? EXIT.podFailed : EXIT.ok;
      }
      await sleep(POLL_MS);
    }
  },
};

/** The AGE column changes every poll; a new line is for a new status only. */
function stripAge(line: string): string {
  return line.replace(/\S+\s*$/, '');
}

async function executionHistory(client: SFNClient, executionArn: string): Promise<HistoryEventLike[]> {
  const { paginateGetExecutionHistory } = await import('@aws-sdk/client-sfn');
  const events: HistoryEventLike[] = [];
  for await (const page of paginateGetExecutionHistory({ client }, { executionArn, maxResults: 1000, includeExecutionData: true })) {
    events.push(...((page.events ?? []) as HistoryEventLike[]));
  }
  return events;
}
