import type { SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../lib/agent/agent.js';
import type { ContainerHost } from '../../lib/agent/host.js';
import {
  batches,
  eventSize,
  LogShipper,
  PUT_LIMITS,
  splitMessage,
  type LogEvent,
  type LogsClient,
  shipperClient,
} from '../../lib/agent/log-shipper.js';

/** CloudWatch Logs as the shipper sees it: streams by name, each call recorded; `failures` throw first. */
class FakeLogs {
  readonly streams = new Map<string, LogEvent[]>();
  readonly calls: Array<{ name: string; input: Record<string, unknown> }> = [];
  failures: Error[] = [];
  hang = false;

  async send(command: { constructor: { name: string }; input: Record<string, unknown> }): Promise<unknown> {
    const name = command.constructor.name.replace(/Command$/, '');
    const input = command.input;
    this.calls.push({ name, input });
    if (this.hang) return new Promise(() => {});
    const failure = this.failures.shift();
    if (failure) throw failure;
    if (name === 'DescribeLogStreams') {
      const prefix = String(input.logStreamNamePrefix);
      return { logStreams: [...this.streams.keys()].filter((s) => s.startsWith(prefix)).map((n) => ({ n })) };
    }
    if (name === 'CreateLogStream') {
      const stream = String(input.logStreamName);
      if (this.streams.has(stream))
        throw Object.assign(new Error('exists'), { name: 'ResourceAlreadyExistsException' });
      this.streams.set(stream, []);
      return {};
    }
    const events = input.logEvents as LogEvent[];
    expect(events.length).toBeLessThanOrEqual(PUT_LIMITS.events);
    expect(events.reduce((sum, e) => sum + eventSize(e.message), 0)).toBeLessThanOrEqual(PUT_LIMITS.bytes);
    this.streams.get(String(input.logStreamName))!.push(...events);
    return {};
  }
}

function shipperOn(client: FakeLogs, log: string[] = [], more: { now?: () => number; closeTimeoutMs?: number } = {}) {
  return new LogShipper({
    client: client as unknown as LogsClient,
    logGroup: 'pod-logs',
    log: (line) => log.push(line),
    intervalMs: 5,
    ...more,
  });
}

const messages = (events: readonly LogEvent[] | undefined) => (events ?? []).map((e) => e.message);

describe('batches', () => {
  it('puts at most 10,000 events in a call, in order', () => {
    // GIVEN 10,001 small events
    const events = Array.from({ length: 10_001 }, (_, i) => ({ timestamp: 1000 + i, message: `line ${i}` }));
    // WHEN batched
    const out = batches(events);
    // THEN two calls, the second holding the last event, and nothing reordered
    expect(out.map((b) => b.length)).toEqual([10_000, 1]);
    expect(out.flat()).toEqual(events);
  });

  it('keeps a call under 1 MiB counting 26 bytes per event', () => {
    // GIVEN 30 events of 100 KiB (3 MiB in all)
    const big = 'x'.repeat(100 * 1024);
    const events = Array.from({ length: 30 }, (_, i) => ({ timestamp: i, message: big }));
    // WHEN batched
    const out = batches(events);
    // THEN ten events a call: 10 × (102,400 + 26) ≤ 1,048,576 < 11 × that
    expect(out.map((b) => b.length)).toEqual([10, 10, 10]);
  });

  it('starts a new call when events would span 24 hours', () => {
    const day = 24 * 3_600_000;
    const events = [0, 1, day, day + 1].map((timestamp) => ({ timestamp, message: 'm' }));
    expect(batches(events).map((b) => b.map((e) => e.timestamp))).toEqual([
      [0, 1],
      [day, day + 1],
    ]);
  });
});

describe('splitMessage', () => {
  it('cuts a line over 256 KiB into events that fit, between characters', () => {
    // GIVEN a 600 KB line of three-byte characters
    const line = '€'.repeat(200_000);
    // WHEN split
    const pieces = splitMessage(line);
    // THEN every piece fits an event, none holds a broken character, and they join back into the line
    expect(pieces.length).toBe(3);
    for (const piece of pieces) expect(eventSize(piece)).toBeLessThanOrEqual(PUT_LIMITS.eventBytes);
    expect(pieces.join('')).toBe(line);
    expect(pieces.every((p) => !p.includes('\uFFFD'))).toBe(true);
  });

  it('leaves a line that fits as it is', () => {
    expect(splitMessage('hello')).toEqual(['hello']);
  });
});

describe('LogShipper', () => {
  it("sends every line of an attempt, in order, to <run>/<container>/<attempt> by the time it's closed", async () => {
    // GIVEN a shipper and a first attempt that prints 25,000 lines
    const logs = new FakeLogs();
    const stream = shipperOn(logs).open('run-1', 'init');
    const lines = Array.from({ length: 25_000 }, (_, i) => `line ${i}`);
    // WHEN the lines are written and the stream closed
    for (const line of lines) stream.write(line);
    await stream.close();
    // THEN all of them are in the attempt's stream, in the order written, in calls within the limits
    expect(messages(logs.streams.get('run-1/init/0'))).toEqual(lines);
    expect(logs.calls.filter((c) => c.name === 'PutLogEvents').length).toBeGreaterThanOrEqual(3);
  });

  it("names the next attempt's stream after the ones already there", async () => {
    // GIVEN a container whose first attempt was shipped
    const logs = new FakeLogs();
    const shipper = shipperOn(logs);
    const first = shipper.open('run-1', 'init');
    first.write('first try fails');
    await first.close();
    // WHEN it is restarted
    const second = shipper.open('run-1', 'init');
    second.write('second try');
    await second.close();
    // THEN the restart has stream 1, the first stream is untouched
    expect(messages(logs.streams.get('run-1/init/0'))).toEqual(['first try fails']);
    expect(messages(logs.streams.get('run-1/init/1'))).toEqual(['second try']);
  });

  it('retries a throttled call and loses nothing', async () => {
    // GIVEN CloudWatch throttles the first two PutLogEvents
    const logs = new FakeLogs();
    const stream = shipperOn(logs).open('r', 'app');
    await new Promise((r) => setTimeout(r, 20));
    const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    logs.failures = [throttled(), throttled()];
    // WHEN lines are written and the stream closed
    stream.write('a');
    stream.write('b');
    await stream.close();
    // THEN both lines arrived once
    expect(messages(logs.streams.get('r/app/0'))).toEqual(['a', 'b']);
  });

  it('never reorders lines when the clock steps back', async () => {
    // GIVEN a clock that goes 100, 50, 200
    const logs = new FakeLogs();
    const times = [100, 50, 200];
    const stream = shipperOn(logs, [], { now: () => times.shift()! }).open('r', 'app');
    // WHEN three lines are written
    ['one', 'two', 'three'].forEach((line) => stream.write(line));
    await stream.close();
    // THEN their timestamps never decrease, as PutLogEvents requires
    expect(logs.streams.get('r/app/0')!.map((e) => e.timestamp)).toEqual([100, 100, 200]);
  });

  it('never holds the container up: writing returns at once and closing gives up after its timeout', async () => {
    // GIVEN CloudWatch that never answers
    const logs = new FakeLogs();
    logs.hang = true;
    const said: string[] = [];
    const stream = shipperOn(logs, said, { closeTimeoutMs: 30 }).open('r', 'app');
    // WHEN a line is written and the stream closed
    stream.write('still printed');
    await stream.close();
    // THEN close returned, saying the lines are late
    expect(said).toEqual(['[agent] CloudWatch Logs did not take the last lines within 0.03s; still trying']);
  });

  it('says once that it cannot ship when the log group is missing, and goes on', async () => {
    // GIVEN a log group that does not exist
    const logs = new FakeLogs();
    const missing = () =>
      Object.assign(new Error('The specified log group does not exist.'), { name: 'ResourceNotFoundException' });
    logs.failures = [missing()];
    const said: string[] = [];
    const stream = shipperOn(logs, said).open('r', 'app');
    // WHEN lines are written
    stream.write('a');
    stream.write('b');
    await stream.close();
    // THEN one line says why, naming the group
    expect(said).toEqual([
      '[agent] cannot ship output to log group pod-logs (CreateLogStream: The specified log group does not exist.)',
    ]);
  });
});

describe('the agent with a log shipper', () => {
  it("has every line of a container in CloudWatch before it answers the container's task", async () => {
    // GIVEN an agent with one task whose container prints two lines, and a shipper that sends slowly
    const logs = new FakeLogs();
    const answeredWith: string[][] = [];
    let given = false;
    const task = {
      taskToken: 't',
      input: JSON.stringify({ action: 'run', execution: 'run-1', container: { name: 'app' }, volumes: [] }),
    };
    const sfn = {
      send: async (command: { constructor: { name: string } }, options?: { abortSignal?: AbortSignal }) => {
        const name = command.constructor.name;
        if (name === 'SendTaskSuccessCommand') answeredWith.push(messages(logs.streams.get('run-1/app/0')));
        if (name !== 'GetActivityTaskCommand') return {};
        const next = given ? undefined : task;
        given = true;
        return next ?? new Promise((_, reject) => options?.abortSignal?.addEventListener('abort', reject));
      },
    };
    const host: ContainerHost = {
      run: async (_input, context) => {
        context.log('hello');
        context.log('world');
        return { exitCode: 0, message: '' };
      },
      startSidecar: async () => 'h',
      stopSidecar: async () => undefined,
      close: async () => undefined,
    };
    const activity = 'arn:aws:states:us-east-1:0:activity:a';
    const agent = new Agent({
      client: sfn as unknown as SFNClient,
      host,
      activities: [activity],
      workerName: 'w',
      log: () => undefined,
      shippers: new Map([[activity, shipperOn(logs, [], {})]]),
    });
    // WHEN the agent runs it
    agent.start();
    for (let i = 0; i < 200 && answeredWith.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    await agent.stop(0);
    // THEN both lines were in the attempt's stream when the success was sent
    expect(answeredWith).toEqual([['hello', 'world']]);
  });
});

describe("the shippers' client", () => {
  it('makes one attempt per call, so that the shipper’s own back-off is the only retry policy', async () => {
    expect(await shipperClient({ AWS_REGION: 'us-east-1' }).config.maxAttempts()).toBe(1);
  });
});
