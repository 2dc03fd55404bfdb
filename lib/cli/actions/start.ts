import { stateMachineNameOf } from '../../aws/names.js';
import { sfnClient } from '../aws.js';
import { compileFile } from '../compile-file.js';
import { EXIT, type Io } from '../io.js';
import { orNotFound, stateMachineNamed } from '../run-ref.js';
import { apiError, runsApi } from '../runs-api-client.js';
import { UsageError, type Invocation } from '../verb.js';

/** `pod2sfn start` (its flags and help: lib/cli/verbs/start.ts). */
export async function run(invocation: Invocation): Promise<number> {
  return orNotFound(invocation.io, () => start(invocation));
}

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
