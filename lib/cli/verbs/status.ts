import type { SFNClient } from '@aws-sdk/client-sfn';
import { setTimeout as sleep } from 'node:timers/promises';
import { deployedPod, historyToPodEvents, type DeployedPod, type HistoryEventLike } from '../../status/history.js';
import { sfnClient } from '../aws.js';
import { COMPILE_DESCRIPTIONS, COMPILE_OPTIONS, compileFile } from '../compile-file.js';
import { EXIT } from '../io.js';
import { outputFormat, render } from '../output.js';
import { UsageError, type Verb } from '../verb.js';

const POLL_MS = 5000;

export const verb: Verb = {
  name: 'status',
  summary: 'Print the Pod status of a deployed run, from its Step Functions execution history.',
  usage: 'pod2sfn status EXECUTION_ARN [-w] [-o json|yaml] [-f FILE]',
  options: { ...COMPILE_OPTIONS, watch: { type: 'boolean', short: 'w' }, output: { type: 'string', short: 'o' }, file: { type: 'string', short: 'f' } },
  descriptions: {
    ...COMPILE_DESCRIPTIONS,
    watch: 'print again on every change until the run ends',
    output: 'yaml (default) or json',
    file: 'the pod spec the state machine was deployed from (default: read the deployed definition)',
  },
  details: 'Exit code 1 when the run failed. Uses the usual AWS environment and AWS_ENDPOINT_URL (LocalStack).',
  async run(invocation) {
    const { io, values, positionals } = invocation;
    const [executionArn, ...extra] = positionals;
    if (executionArn === undefined) throw new UsageError('EXECUTION_ARN is required');
    if (extra.length > 0) throw new UsageError('one EXECUTION_ARN at a time');
    const format = outputFormat(values.output, 'yaml');
    const client = await sfnClient(io);
    const { DescribeExecutionCommand, DescribeStateMachineCommand } = await import('@aws-sdk/client-sfn');

    let pod: DeployedPod;
    const file = values.file as string | undefined;
    if (file !== undefined) pod = await compileFile({ ...invocation, positionals: [file] });
    else {
      const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
      const machine = await client.send(new DescribeStateMachineCommand({ stateMachineArn: execution.stateMachineArn! }));
      pod = deployedPod(JSON.parse(machine.definition ?? '{}'));
    }

    let printed = '';
    for (;;) {
      const [execution, history] = await Promise.all([client.send(new DescribeExecutionCommand({ executionArn })), executionHistory(client, executionArn)]);
      const events = historyToPodEvents(history, pod);
      // The status mapper of lib/status (shared with `run`) renders these once it lands; until then the events themselves.
      const text = render({ execution: { arn: executionArn, status: execution.status }, pod: { name: pod.workflow.name, namespace: pod.workflow.namespace }, events }, format);
      if (text !== printed) io.stdout.write(printed === '' || format === 'json' ? text : `---\n${text}`);
      printed = text;
      if (!values.watch || execution.status !== 'RUNNING') return execution.status === 'SUCCEEDED' || execution.status === 'RUNNING' ? EXIT.ok : EXIT.podFailed;
      await sleep(POLL_MS);
    }
  },
};

async function executionHistory(client: SFNClient, executionArn: string): Promise<HistoryEventLike[]> {
  const { paginateGetExecutionHistory } = await import('@aws-sdk/client-sfn');
  const events: HistoryEventLike[] = [];
  for await (const page of paginateGetExecutionHistory({ client }, { executionArn, maxResults: 1000, includeExecutionData: true })) {
    events.push(...((page.events ?? []) as HistoryEventLike[]));
  }
  return events;
}
