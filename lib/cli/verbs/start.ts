import { stateMachineNameOf } from '../../aws/names.js';
import { sfnClient } from '../aws.js';
import { COMPILE_DESCRIPTIONS, COMPILE_OPTIONS, compileFile } from '../compile-file.js';
import { EXIT, type Io } from '../io.js';
import { orNotFound, stateMachineNamed } from '../run-ref.js';
import { apiError, runsApi } from '../runs-api-client.js';
import { UsageError, type Invocation, type Verb } from '../verb.js';

export const verb: Verb = {
  name: 'start',
  summary: 'Start a run of a deployed pod (cdk deploy): through Step Functions, or through the runs API.',
  usage: 'pod2sfn start FILE | --state-machine ARN | --api URL [--run-name NAME] [--input JSON] [--api-key KEY]',
  options: {
    ...COMPILE_OPTIONS,
    'state-machine': { type: 'string' },
    api: { type: 'string' },
    'api-key': { type: 'string' },
    'run-name': { type: 'string' },
    input: { type: 'string' },
  },
  descriptions: {
    ...COMPILE_DESCRIPTIONS,
    'state-machine': 'the state machine ARN (instead of FILE)',
    api: "the stack's ApiUrl output (…/runs): POST signed with SigV4, or with --api-key",
    'api-key': 'for a stack deployed with -c auth=apiKey',
    'run-name':
      'the execution name: the idempotency key (a second start with the same name and input returns the same run)',
    input: 'the execution input, a JSON object (default {})',
  },
  details:
    'FILE finds the state machine the stack made for it (pod2sfn-<namespace>-<name>).\n' +
    'Uses the usual AWS environment (AWS_PROFILE, AWS_REGION, ...) and AWS_ENDPOINT_URL (LocalStack).\n' +
    'Prints the execution ARN; follow it with `pod2sfn status ARN -w`.',
  run: (invocation) => orNotFound(invocation.io, () => start(invocation)),
};

async function start(invocation: Invocation): Promise<number> {
  const { io, values } = invocation;
  const name = values['run-name'] as string | undefined;
  const inputText = (values.input as string | undefined) ?? '{}';
  let input: unknown;
  try {
    input = JSON.parse(inputText);
  } catch {
    throw new UsageError('--input is not JSON');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new UsageError('--input must be a JSON object');
  if (name !== undefined && !/^[A-Za-z0-9_-]{1,80}$/.test(name))
    throw new UsageError('--run-name: 1–80 letters, digits, - or _');

  const api = values.api as string | undefined;
  if (api !== undefined) {
    if (invocation.positionals.length > 0) throw new UsageError('give FILE or --api, not both');
    const arn = await startThroughApi(
      api,
      { ...(name !== undefined && { name }), input },
      values['api-key'] as string | undefined,
      io,
    );
    io.stdout.write(`${arn}\n`);
    return EXIT.ok;
  }
  const client = await sfnClient(io);
  const { StartExecutionCommand } = await import('@aws-sdk/client-sfn');
  let stateMachineArn = values['state-machine'] as string | undefined;
  if (stateMachineArn === undefined) {
    const compiled = await compileFile(invocation);
    stateMachineArn = await stateMachineNamed(
      client,
      stateMachineNameOf(compiled.workflow.namespace, compiled.workflow.name),
    );
  }
  const started = await client.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), ...(name !== undefined && { name }) }),
  );
  io.stdout.write(`${started.executionArn}\n`);
  return EXIT.ok;
}

async function startThroughApi(
  api: string,
  body: { name?: string; input: unknown },
  apiKey: string | undefined,
  io: Io,
): Promise<string> {
  const client = runsApi(api, apiKey, io);
  const answer = await client.request('POST', '/runs', body);
  const executionArn = answer.json.executionArn;
  if (answer.status !== 202 || typeof executionArn !== 'string') throw apiError(client, '/runs', answer);
  return executionArn;
}
