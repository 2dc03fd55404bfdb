/**
 * Which run a verb means, and how to reach it: `status`, `describe`, `delete` (and `logs`) take an
 * execution ARN, or a run name (the execution name) with the state machine found from the pod spec
 * (-f FILE), its stack (--stack NAME), or through the runs API (--api URL). `get pods` lists the runs
 * of a state machine found the same way. Their flags (RUN_OPTIONS) are in lib/cli/flags.ts.
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import { stateMachineNameOf } from '../aws/names.js';
import { quote } from '../diagnostics.js';
import { cloudFormationClient } from '../logs/stack.js';
import { deployedPod, type DeployedPod, type HistoryEventLike } from '../status/history.js';
import { jobSpecOf } from '../status/job.js';
import type { RunSpecs } from '../status/pod-object.js';
import { sfnClient } from './aws.js';
import { compileFile } from './compile-file.js';
import { EXIT, type Io } from './io.js';
import { apiError, dateOf, historyEventOf, runsApi, type RunsApi } from './runs-api-client.js';
import { UsageError, type Invocation } from './verb.js';

export type RunPhase = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE' | string;

/** One execution, as ListExecutions and DescribeExecution say it. */
export interface RunSummary {
  readonly name: string;
  readonly executionArn: string;
  readonly status: RunPhase;
  readonly startDate: Date;
  readonly stopDate?: Date | undefined;
}

/** The runs of one state machine, through Step Functions or through the runs API. */
export interface RunsSource {
  /** `sfn` when the Step Functions API is at hand (StopExecution, ECS), `api` through the runs API. */
  readonly via: 'sfn' | 'api';
  /** Set when `via` is `sfn`. */
  readonly client?: SFNClient;
  stateMachineArn(): Promise<string>;
  /** What the status mapper needs of the pod: from FILE when given, else from the deployed definition. */
  pod(): Promise<{ readonly pod: DeployedPod; readonly specs: RunSpecs }>;
  /** Every run, newest first. */
  list(): Promise<RunSummary[]>;
  /** One run by name or ARN; a run that does not exist throws NotFoundError. */
  describe(run: string): Promise<RunSummary>;
  history(run: RunSummary): Promise<HistoryEventLike[]>;
}

export interface ResolvedRun extends RunSummary {
  readonly stateMachineArn: string;
  readonly source: RunsSource;
}

/** A run or a state machine that is not there: kubectl's words, exit 2. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** kubectl's message for a pod that is not there. */
export function podNotFound(name: string): NotFoundError {
  return new NotFoundError(`Error from server (NotFound): pods ${JSON.stringify(name)} not found`);
}

/** Runs a verb's body, printing a NotFoundError as kubectl does (the message alone) with exit 2. */
export async function orNotFound(io: Io, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    io.stderr.write(`${e.message}\n`);
    return EXIT.usage;
  }
}

/** kubectl's names of the resource type (`get pods`, `describe pod`, `delete po`). */
export const POD_RESOURCES: readonly string[] = ['pods', 'pod', 'po'];

/** RUN, the one positional of `status RUN`. */
export function runArgument(positionals: readonly string[]): string {
  const [ref, ...extra] = positionals;
  if (ref === undefined) throw new UsageError('RUN is required: a run name or an execution ARN');
  if (extra.length > 0) throw new UsageError('one RUN at a time');
  return ref;
}

/** RUN of `VERB pod RUN`, which names kubectl's resource type first. */
export function podRunArgument(positionals: readonly string[], verb: string): string {
  const [resource, ...rest] = positionals;
  if (resource === undefined || !POD_RESOURCES.includes(resource))
    throw new UsageError(`give the resource type and the run: pod2sfn ${verb} pod RUN`);
  return runArgument(rest);
}

const EXECUTION_ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):execution:([^:]+):([^:]+)$/;

/** The run RUN names: an execution ARN, or a run name of the state machine the flags find. */
export async function resolveRun(invocation: Invocation, run: string): Promise<ResolvedRun> {
  const arn = EXECUTION_ARN.exec(run);
  if (!arn && !/^[A-Za-z0-9_-]{1,80}$/.test(run))
    throw new UsageError(`${quote(run)} is neither an execution ARN nor a run name (1–80 letters, digits, - or _)`);
  const source = await resolveSource(invocation, arn ? run : undefined);
  const summary = await source.describe(run);
  return { ...summary, stateMachineArn: await source.stateMachineArn(), source };
}

/**
 * Where the runs are: the runs API with --api, else Step Functions, its state machine that of the
 * execution ARN given, of FILE, or of --stack.
 */
export async function resolveSource(invocation: Invocation, executionArn?: string): Promise<RunsSource> {
  const { values, io } = invocation;
  const api = values.api as string | undefined;
  const file = values.file as string | undefined;
  const stack = values.stack as string | undefined;
  if ([api, stack].filter((v) => v !== undefined).length > 1) throw new UsageError('give --api or --stack, not both');
  // Once: finding the state machine and naming the pod's containers read the same spec (`-f -` reads stdin once).
  const specOf = file === undefined ? undefined : once(() => compileFile({ ...invocation, positionals: [file] }));
  if (api !== undefined) return apiSource(runsApi(api, values['api-key'] as string | undefined, io), specOf);

  const arn = executionArn === undefined ? undefined : EXECUTION_ARN.exec(executionArn);
  if (!arn && stack === undefined && specOf === undefined)
    throw new UsageError(
      'give -f FILE, --stack NAME or --api URL to find the state machine of the pod, or an execution ARN',
    );
  const client = await sfnClient(io);
  let machine: Promise<string>;
  if (arn) machine = Promise.resolve(`arn:aws:states:${arn[1]}:${arn[2]}:stateMachine:${arn[3]}`);
  else if (stack !== undefined) machine = stackStateMachine(stack, io);
  else {
    const compiled = await specOf!();
    machine = stateMachineNamed(client, stateMachineNameOf(compiled.workflow.namespace, compiled.workflow.name));
  }
  return sfnSource(client, await machine, specOf);
}

type SpecOf = () => ReturnType<typeof compileFile>;

async function podOf(
  specOf: SpecOf | undefined,
  definition: () => Promise<string | undefined>,
): Promise<{ pod: DeployedPod; specs: RunSpecs }> {
  if (specOf) {
    const compiled = await specOf();
    return {
      pod: { shape: compiled.workflow, tasks: compiled.tasks },
      specs: { pod: compiled.pod.spec, job: jobSpecOf(compiled.pod.kind, compiled.pod.object) },
    };
  }
  return { pod: deployedPod(JSON.parse((await definition()) ?? '{"StartAt":"","States":{}}')), specs: {} };
}

const once = <T>(f: () => Promise<T>): (() => Promise<T>) => {
  let value: Promise<T> | undefined;
  return () => (value ??= f());
};

const newestFirst = (runs: RunSummary[]) => runs.sort((a, b) => b.startDate.getTime() - a.startDate.getTime());

function summaryOf(raw: {
  name?: string | undefined;
  executionArn?: string | undefined;
  status?: string | undefined;
  startDate?: unknown;
  stopDate?: unknown;
}): RunSummary {
  const stopDate = dateOf(raw.stopDate);
  return {
    name: raw.name ?? raw.executionArn?.split(':').pop() ?? '',
    executionArn: raw.executionArn ?? '',
    status: raw.status ?? '',
    startDate: dateOf(raw.startDate) ?? new Date(0),
    ...(stopDate && { stopDate }),
  };
}

function sfnSource(client: SFNClient, stateMachineArn: string, specOf: SpecOf | undefined): RunsSource {
  const sdk = once(() => import('@aws-sdk/client-sfn'));
  const executionArnOf = (run: string) =>
    EXECUTION_ARN.test(run) ? run : `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${run}`;
  return {
    via: 'sfn',
    client,
    stateMachineArn: () => Promise.resolve(stateMachineArn),
    pod: once(async () => {
      const { DescribeStateMachineCommand } = await sdk();
      return podOf(specOf, async () => {
        const machine = await client.send(new DescribeStateMachineCommand({ stateMachineArn }));
        return machine.definition;
      });
    }),
    async list() {
      const { paginateListExecutions } = await sdk();
      const runs: RunSummary[] = [];
      for await (const page of paginateListExecutions({ client }, { stateMachineArn, maxResults: 1000 }))
        runs.push(...(page.executions ?? []).map(summaryOf));
      return newestFirst(runs);
    },
    async describe(run) {
      const { DescribeExecutionCommand } = await sdk();
      try {
        return summaryOf(await client.send(new DescribeExecutionCommand({ executionArn: executionArnOf(run) })));
      } catch (e) {
        const name = (e as Error).name;
        if (name === 'ExecutionDoesNotExist' || name === 'InvalidArn') throw podNotFound(run.split(':').pop()!);
        throw e;
      }
    },
    async history(run) {
      const { paginateGetExecutionHistory } = await sdk();
      const events: HistoryEventLike[] = [];
      for await (const page of paginateGetExecutionHistory(
        { client },
        { executionArn: run.executionArn, maxResults: 1000, includeExecutionData: true },
      ))
        events.push(...((page.events ?? []) as HistoryEventLike[]));
      return events;
    },
  };
}

function apiSource(api: RunsApi, specOf: SpecOf | undefined): RunsSource {
  /** `notFound`: what a 404 means (a run that is not there); without it, a 404 is an error of the API. */
  const get = async (path: string, notFound?: NotFoundError): Promise<Record<string, unknown>> => {
    const answer = await api.request('GET', path);
    if (answer.status === 404 && notFound) throw notFound;
    if (answer.status !== 200) throw apiError(api, path, answer);
    return answer.json;
  };
  /** Every page of a list the API pages with ?nextToken=. */
  const pages = async <T>(path: string, key: string): Promise<T[]> => {
    const items: T[] = [];
    let token: string | undefined;
    do {
      const page = await get(token === undefined ? path : `${path}?nextToken=${encodeURIComponent(token)}`);
      items.push(...((page[key] as T[] | undefined) ?? []));
      token = typeof page.nextToken === 'string' && page.nextToken !== '' ? page.nextToken : undefined;
    } while (token !== undefined);
    return items;
  };
  const machine = once(() => get('/definition'));
  return {
    via: 'api',
    stateMachineArn: async () => String((await machine()).stateMachineArn ?? ''),
    pod: once(() => podOf(specOf, async () => (await machine()).definition as string | undefined)),
    async list() {
      return newestFirst((await pages<Record<string, unknown>>('/runs', 'executions')).map(summaryOf));
    },
    async describe(run) {
      return summaryOf(await get(`/runs/${encodeURIComponent(run)}`, podNotFound(run.split(':').pop()!)));
    },
    async history(run) {
      const events = await pages<Record<string, unknown>>(`/runs/${encodeURIComponent(run.name)}/events`, 'events');
      return events.map(historyEventOf);
    },
  };
}

/** The state machine of this name in the account and region; none is a NotFoundError saying to deploy. */
export async function stateMachineNamed(client: SFNClient, name: string): Promise<string> {
  const { paginateListStateMachines } = await import('@aws-sdk/client-sfn');
  for await (const page of paginateListStateMachines({ client }, {})) {
    const found = page.stateMachines?.find((m) => m.name === name)?.stateMachineArn;
    if (found) return found;
  }
  throw new NotFoundError(
    `Error from server (NotFound): no state machine named ${name} in this account and region: ` +
      'deploy the pod first (pod2sfn deploy FILE)',
  );
}

/** The state machine a stack pod2sfn deployed holds (its one AWS::StepFunctions::StateMachine). */
async function stackStateMachine(stack: string, io: Io): Promise<string> {
  const { paginateListStackResources } = await import('@aws-sdk/client-cloudformation');
  const client = await cloudFormationClient(io.env);
  try {
    for await (const page of paginateListStackResources({ client }, { StackName: stack })) {
      const machine = page.StackResourceSummaries?.find((r) => r.ResourceType === 'AWS::StepFunctions::StateMachine');
      if (machine?.PhysicalResourceId) return machine.PhysicalResourceId;
    }
  } catch (e) {
    if (!/does not exist/.test((e as Error).message)) throw e;
  }
  throw new NotFoundError(`Error from server (NotFound): stack ${JSON.stringify(stack)} has no pod2sfn state machine`);
}
