import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { placeholdersIn, substitute } from '../../lib/asl/substitutions.js';
import { compile, definitionJson, type CompileOptions, type Compiled } from '../../lib/compile.js';
import { ACCOUNT, CLIENT_CONFIG, REGION } from './env.js';

export const sfn = new SFNClient(CLIENT_CONFIG);

export function compileOrThrow(text: string, options: CompileOptions = {}): Compiled {
  const result = compile(text, options);
  if (!result.compiled) throw new Error(JSON.stringify(result.diagnostics));
  return result.compiled;
}

/** Made-up ARNs for every placeholder: mocked integrations never reach the resources. */
export function fakeSubstitutions(json: string, prefix: string): Record<string, string> {
  const fake = (key: string): string => {
    if (key.startsWith('Lambda_')) return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${prefix}-${key}`;
    if (key.startsWith('TaskDefinition_')) return `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${prefix}-${key}:1`;
    if (key.startsWith('Activity_')) return `arn:aws:states:${REGION}:${ACCOUNT}:activity:${prefix}-${key}`;
    if (key === 'EcsCluster') return `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${prefix}`;
    if (key === 'EcsSubnets') return 'subnet-00000001,subnet-00000002';
    if (key === 'EcsSecurityGroup') return 'sg-00000001';
    if (key === 'EcsAssignPublicIp') return 'ENABLED';
    throw new Error(`no fake value for ${key}`);
  };
  return Object.fromEntries(placeholdersIn(json).map((key) => [key, fake(key)]));
}

/** Creates a STANDARD state machine from the definition lib/asl emitted, substituted as deploy does. */
export async function createMachine(name: string, compiled: Compiled): Promise<string> {
  const json = definitionJson(compiled);
  const out = await sfn.send(
    new CreateStateMachineCommand({
      name,
      type: 'STANDARD',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
      definition: substitute(json, fakeSubstitutions(json, name)),
    }),
  );
  return out.stateMachineArn!;
}

export async function startExecution(
  stateMachineArn: string,
  options: { name?: string; input?: unknown } = {},
): Promise<string> {
  const out = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn,
      ...(options.name && { name: options.name }),
      input: JSON.stringify(options.input ?? {}),
    }),
  );
  return out.executionArn!;
}

/** Polls until the execution is no longer RUNNING. */
export async function waitForEnd(executionArn: string, timeoutMs = 120_000): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (out.status !== 'RUNNING') return out;
    if (Date.now() > deadline) throw new Error(`${executionArn} still RUNNING after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function history(executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, ...(nextToken && { nextToken }) }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** The names of the states entered, in order. */
export function statesEntered(events: readonly HistoryEvent[]): string[] {
  return events.flatMap((e) => (e.stateEnteredEventDetails?.name ? [e.stateEnteredEventDetails.name] : []));
}
