import { setTimeout as sleep } from 'node:timers/promises';
import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  DescribeLogStreamsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { endpointOf, type Env } from '../endpoints.js';
import { agentStreamName, agentStreamPrefix } from '../logs/locations.js';

/**
 * CloudWatch Logs' limits on one PutLogEvents call: 10,000 events, 1,048,576 bytes counted as each
 * message's UTF-8 bytes plus 26, an event at most 256 KiB (the same count), events in time order and
 * within 24 hours of each other.
 */
export const PUT_LIMITS = {
  events: 10_000,
  bytes: 1_048_576,
  eventBytes: 262_144,
  overhead: 26,
  spanMs: 24 * 3_600_000,
} as const;

export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
}

/** The calls of the CloudWatch Logs client the shipper makes (a fake stands in for it in tests). */
export type LogsClient = Pick<CloudWatchLogsClient, 'send'>;

export interface ShipperOptions {
  readonly client: LogsClient;
  readonly logGroup: string;
  /** Where the shipper says it fell behind or gave up (the agent's own log). */
  readonly log: (line: string) => void;
  /** How long lines wait to be sent with others. @default 1000 */
  readonly intervalMs?: number;
  /** How long closing a stream may wait for CloudWatch before the task is answered anyway. @default 15000 */
  readonly closeTimeoutMs?: number;
  /** Lines held at most, over every stream, while CloudWatch cannot take them. @default 64 MiB */
  readonly maxQueuedBytes?: number;
  readonly now?: () => number;
}

/**
 * Ships each container attempt's output to a stream of the pod's log group, `<run>/<container>/<attempt>`
 * (lib/logs/locations.ts), besides the agent printing it. Writing never waits: lines queue and go in
 * batches within CloudWatch's limits (PUT_LIMITS), retried on throttling and network errors; a
 * container is never held up by a slow API. `close` sends what is left before the task is answered,
 * so that `pod2sfn logs` right after the run sees every line, bounded by `closeTimeoutMs`.
 */
export class LogShipper {
  readonly settings: Required<Omit<ShipperOptions, 'maxQueuedBytes'>>;
  private readonly maxQueuedBytes: number;
  private queued = 0;
  private dropped = 0;

  constructor(options: ShipperOptions) {
    this.settings = { intervalMs: 1000, closeTimeoutMs: 15_000, now: Date.now, ...options };
    this.maxQueuedBytes = options.maxQueuedBytes ?? 64 * 1024 * 1024;
  }

  /** Opens the next attempt's stream of one container of a run. */
  open(run: string, container: string): ShippedStream {
    return new ShippedStream(this, run, container);
  }

  /** Accounts for memory held: false (the line is dropped, said once) past `maxQueuedBytes`. */
  hold(bytes: number): boolean {
    if (this.queued + bytes > this.maxQueuedBytes) {
      if (this.dropped++ === 0) this.settings.log('[agent] CloudWatch Logs is too slow: dropping output lines');
      return false;
    }
    this.queued += bytes;
    return true;
  }

  release(bytes: number): void {
    this.queued -= bytes;
  }
}

/** One attempt's stream: `write` queues a line; `close` flushes. */
export class ShippedStream {
  private readonly pending: LogEvent[] = [];
  private lastTimestamp = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  /** The stream's name once created; undefined when CloudWatch refused it (the output is printed only). */
  private readonly stream: Promise<string | undefined>;
  private closed = false;
  private failed = false;

  constructor(
    private readonly shipper: LogShipper,
    run: string,
    container: string,
  ) {
    this.stream = this.create(run, container).catch((e: unknown) => this.giveUp('CreateLogStream', e));
  }

  /** Queues one line of output (split when over an event's size); never waits. */
  write(line: string): void {
    if (this.closed) return;
    // Events of a call must be in time order: a clock stepping back must not reorder lines.
    const timestamp = Math.max(this.shipper.settings.now(), this.lastTimestamp);
    this.lastTimestamp = timestamp;
    for (const message of splitMessage(line === '' ? ' ' : line)) {
      if (!this.shipper.hold(eventSize(message))) return;
      this.pending.push({ timestamp, message });
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.shipper.settings.intervalMs);
  }

  /** Sends everything queued; resolves when it went, or when `closeTimeoutMs` passed (sending goes on). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.flush();
    const { closeTimeoutMs, log } = this.shipper.settings;
    const late = sleep(closeTimeoutMs, 'late' as const, { ref: false });
    if ((await Promise.race([this.sending.then(() => 'sent' as const), late])) === 'late')
      log(`[agent] CloudWatch Logs did not take the last lines within ${closeTimeoutMs / 1000}s; still trying`);
  }

  private flush(): void {
    const events = this.pending.splice(0);
    if (events.length > 0) this.sending = this.sending.then(() => this.send(events));
  }

  private async send(events: readonly LogEvent[]): Promise<void> {
    const { client, logGroup } = this.shipper.settings;
    const stream = await this.stream;
    for (const batch of batches(events)) {
      if (stream !== undefined && !this.failed) {
        const command = new PutLogEventsCommand({ logGroupName: logGroup, logStreamName: stream, logEvents: batch });
        await retrying(() => client.send(command)).catch((e: unknown) => this.giveUp('PutLogEvents', e));
      }
      this.shipper.release(batch.reduce((sum, e) => sum + eventSize(e.message), 0));
    }
  }

  /** The stream of the next attempt (the attempts of one container run one after the other). */
  private async create(run: string, container: string): Promise<string> {
    const { client, logGroup } = this.shipper.settings;
    const logStreamNamePrefix = agentStreamPrefix(run, container);
    let attempt = 0;
    let nextToken: string | undefined;
    do {
      const command = new DescribeLogStreamsCommand({ logGroupName: logGroup, logStreamNamePrefix, nextToken });
      const page = await retrying(() => client.send(command));
      attempt += page.logStreams?.length ?? 0;
      nextToken = page.logStreams?.length ? page.nextToken : undefined;
    } while (nextToken);
    for (;;) {
      const logStreamName = agentStreamName(run, container, attempt);
      try {
        await retrying(() => client.send(new CreateLogStreamCommand({ logGroupName: logGroup, logStreamName })));
        return logStreamName;
      } catch (e) {
        // Another copy of this container (a lost worker's) took the name: the next one is ours.
        if ((e as Error).name !== 'ResourceAlreadyExistsException') throw e;
        attempt++;
      }
    }
  }

  /** Said once per stream; its output is still printed. */
  private giveUp(what: string, e: unknown): undefined {
    const { log, logGroup } = this.shipper.settings;
    if (!this.failed) log(`[agent] cannot ship output to log group ${logGroup} (${what}: ${(e as Error).message})`);
    this.failed = true;
    return undefined;
  }
}

/** Retries throttling, service and network errors: 0.5 s doubling up to 20 s, about two minutes in all. */
async function retrying<T>(call: () => Promise<T>): Promise<T> {
  for (let failures = 0; ; failures++) {
    try {
      return await call();
    } catch (e) {
      if (!RETRIED.test((e as Error).name) || failures >= 8) throw e;
      await sleep(Math.min(20_000, 500 * 2 ** failures));
    }
  }
}

const RETRIED =
  /Throttl|TooManyRequests|ServiceUnavailable|InternalFailure|RequestTimeout|TimeoutError|ECONN|EPIPE|socket/i;

/** An event's size as CloudWatch counts it. */
export function eventSize(message: string): number {
  return Buffer.byteLength(message, 'utf8') + PUT_LIMITS.overhead;
}

/** A line too long for one event, in pieces that each fit, cut between characters. */
export function splitMessage(line: string): string[] {
  const max = PUT_LIMITS.eventBytes - PUT_LIMITS.overhead;
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= max) return [line];
  const pieces: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(bytes.length, start + max);
    // Never cut inside a UTF-8 sequence: back up to the first byte of a character.
    while (end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end--;
    pieces.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
  }
  return pieces;
}

/** Events (in time order) in PutLogEvents calls within PUT_LIMITS. */
export function batches(events: readonly LogEvent[]): LogEvent[][] {
  const out: LogEvent[][] = [];
  let current: LogEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = eventSize(event.message);
    const full =
      current.length === PUT_LIMITS.events ||
      bytes + size > PUT_LIMITS.bytes ||
      (current.length > 0 && event.timestamp - current[0]!.timestamp >= PUT_LIMITS.spanMs);
    if (full) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * The shippers' CloudWatch Logs client. It makes one attempt per call: `retrying` is the one retry policy
 * (on top of the SDK's own three attempts, a failing call was tried 27 times).
 */
export function shipperClient(env: Env): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ ...endpointOf(env, 'CLOUDWATCH_LOGS'), maxAttempts: 1 });
}

/**
 * Activity ARN → the shipper of its log group, one per group; says once where output goes, or that it
 * is printed only when an activity has no log group.
 */
export async function logShippers(
  groups: ReadonlyMap<string, string | undefined>,
  env: Env,
  log: (line: string) => void,
): Promise<Map<string, LogShipper>> {
  const client = shipperClient(env);
  const byGroup = new Map<string, LogShipper>();
  const shippers = new Map<string, LogShipper>();
  for (const [arn, group] of groups) {
    if (group === undefined) continue;
    if (!byGroup.has(group)) byGroup.set(group, new LogShipper({ client, logGroup: group, log }));
    shippers.set(arn, byGroup.get(group)!);
  }
  if (byGroup.size > 0) log(`[agent] shipping container output to log group ${[...byGroup.keys()].join(', ')}`);
  if (shippers.size < groups.size)
    log('[agent] no log group (give --log-group NAME, or a --stack that has one): container output is printed only');
  return shippers;
}
