import type { CloudWatchLogsClient, OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { AttemptLogs } from './locations.js';

/** A line as CloudWatch keeps it. */
interface LogLine {
  readonly timestamp: number;
  readonly message: string;
}

/** Where an attempt's lines are once the log group is known: a stream, or a Lambda invocation in one. */
type ResolvedLocation =
  | { readonly logGroup: string; readonly stream: string }
  | { readonly logGroup: string; readonly marker: string; readonly until?: number }
  | FoundInvocation;

/** A Lambda invocation once its marker was found: its stream, its lines after the marker (at `from`). */
interface FoundInvocation {
  readonly logGroup: string;
  readonly stream: string;
  readonly marker: string;
  readonly from: number;
}

/** What `read` needs of the AWS services (each created on first use). */
export interface LogServices {
  logs(): Promise<CloudWatchLogsClient>;
  /** The log group of an ECS task definition's awslogs driver, with its stream prefix. */
  taskDefinitionLogs(arn: string): Promise<{ logGroup: string; prefix?: string } | undefined>;
  /** A Lambda function's log group. */
  functionLogGroup(name: string): Promise<string>;
}

/** The log group and stream of an attempt, undefined when nothing says where (an ECS task that never ran). */
async function resolve(
  attempt: AttemptLogs,
  next: AttemptLogs | undefined,
  agentLogGroup: string | undefined,
  services: LogServices,
): Promise<ResolvedLocation | undefined> {
  const at = attempt.location;
  if (at.executor === 'activity')
    return agentLogGroup === undefined ? undefined : { logGroup: agentLogGroup, stream: at.stream };
  if (at.executor === 'lambda') {
    if (at.functionName === undefined) return undefined;
    const logGroup = await services.functionLogGroup(at.functionName);
    return { logGroup, marker: at.marker, ...(next && { until: next.startedAt.getTime() }) };
  }
  if (at.taskDefinition === undefined || at.taskArn === undefined || at.stream === undefined) return undefined;
  const driver = await services.taskDefinitionLogs(at.taskDefinition);
  if (!driver) return undefined;
  const taskId = at.taskArn.split('/').at(-1)!;
  const stream = driver.prefix === undefined ? at.stream : `${driver.prefix}/${attempt.container}/${taskId}`;
  return { logGroup: driver.logGroup, stream };
}

/**
 * Reads an attempt's lines in order, across pages, from `cursor` on (what a follow read last), and
 * says where to go on from. A stream not there yet (the container has printed nothing) reads as empty.
 * A Lambda invocation's marker, once found, is answered as `found`: a follow reads on from it without
 * searching the log group again (FilterLogEvents, at most 5 a second per account).
 */
export async function readLines(
  client: CloudWatchLogsClient,
  where: ResolvedLocation,
  from: { startTime?: number; cursor?: string },
  startedAt: number,
): Promise<{ lines: LogLine[]; cursor?: string; done?: true; found?: FoundInvocation }> {
  const { GetLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  let at: { readonly stream: string; readonly marker?: string; readonly from?: number };
  let found: FoundInvocation | undefined;
  if ('stream' in where) at = where;
  else {
    const hit = await findMarker(client, where, startedAt);
    if (!hit) return { lines: [] };
    found = { logGroup: where.logGroup, stream: hit.logStreamName, marker: where.marker, from: hit.timestamp };
    at = found;
  }
  const { stream, marker } = at;
  const startTime = at.from === undefined ? from.startTime : Math.max(from.startTime ?? 0, at.from);
  const answer = (result: { lines: LogLine[]; cursor?: string; done?: true }) => ({
    ...result,
    ...(found && { found }),
  });
  const lines: LogLine[] = [];
  let token = from.cursor;
  let started = marker === undefined || from.cursor !== undefined;
  for (;;) {
    let page;
    try {
      page = await client.send(
        new GetLogEventsCommand({
          logGroupName: where.logGroup,
          logStreamName: stream,
          startFromHead: true,
          ...(token !== undefined ? { nextToken: token } : startTime !== undefined && { startTime }),
        }),
      );
    } catch (e) {
      if ((e as Error).name === 'ResourceNotFoundException') return answer({ lines, ...(token && { cursor: token }) });
      throw e;
    }
    for (const event of page.events ?? []) {
      const message = textOf(event);
      if (marker !== undefined) {
        // A Lambda stream holds one invocation after another: this one's lines follow its marker.
        if (!started) {
          started = message === marker;
          continue;
        }
        if (/^(END|START|REPORT) RequestId: /.test(message)) return answer({ lines, done: true });
      }
      lines.push({ timestamp: event.timestamp ?? 0, message });
    }
    // GetLogEvents answers the token it was given once the stream's end is reached.
    if (page.nextForwardToken === undefined || page.nextForwardToken === token)
      return answer({ lines, ...(token && { cursor: token }) });
    token = page.nextForwardToken;
  }
}

function textOf(event: OutputLogEvent): string {
  return (event.message ?? '').replace(/\r?\n$/, '');
}

/** The first marker line of an invocation of this attempt: after it began, before the next one did. */
async function findMarker(
  client: CloudWatchLogsClient,
  where: { logGroup: string; marker: string; until?: number },
  startedAt: number,
): Promise<{ logStreamName: string; timestamp: number } | undefined> {
  const { FilterLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new FilterLogEventsCommand({
        logGroupName: where.logGroup,
        filterPattern: JSON.stringify(where.marker),
        startTime: startedAt - 1000,
        ...(where.until !== undefined && { endTime: where.until }),
        nextToken,
      }),
    );
    const hit = page.events?.find((e) => textOf(e) === where.marker && e.logStreamName);
    if (hit) return { logStreamName: hit.logStreamName!, timestamp: hit.timestamp ?? startedAt };
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

/** Reads each attempt once, or on from where it stopped when following; lines before `startTime` left out. */
export class AttemptReader {
  private readonly read = new Map<string, { where?: ResolvedLocation; cursor?: string; done?: boolean }>();

  constructor(
    private readonly services: LogServices,
    private readonly agentGroup: string | undefined,
    private readonly startTime: number | undefined,
  ) {}

  /** The lines of `attempt` not read yet (`next` is the container's attempt after it, if any). */
  async next(attempt: AttemptLogs, next: AttemptLogs | undefined): Promise<string[]> {
    const key = `${attempt.container}/${attempt.attempt}`;
    const state = this.read.get(key) ?? {};
    this.read.set(key, state);
    if (state.done) return [];
    state.where ??= await resolve(attempt, next, this.agentGroup, this.services);
    if (!state.where) return [];
    const from = {
      ...(this.startTime !== undefined && { startTime: this.startTime }),
      ...(state.cursor && { cursor: state.cursor }),
    };
    const got = await readLines(await this.services.logs(), state.where, from, attempt.startedAt.getTime());
    if (got.found) state.where = got.found;
    if (got.cursor !== undefined) state.cursor = got.cursor;
    if (got.done) state.done = true;
    return got.lines.filter((l) => this.startTime === undefined || l.timestamp >= this.startTime).map((l) => l.message);
  }
}
