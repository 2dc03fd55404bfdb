import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import type { AttemptLogs } from '../../lib/logs/locations.js';
import { AttemptReader, readLines, type LogServices } from '../../lib/logs/read.js';

/** GetLogEvents in pages of `pageSize`, answering the token it was given at the end, as CloudWatch does. */
function fakeLogs(streams: Record<string, string[]>, pageSize: number): CloudWatchLogsClient {
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const input = command.input;
    const lines = streams[String(input.logStreamName ?? '')] ?? [];
    const events = lines.map((message, i) => ({ timestamp: 1000 + i, message: `${message}\n` }));
    if (command.constructor.name === 'FilterLogEventsCommand') {
      const pattern = JSON.parse(String(input.filterPattern)) as string;
      const hits = Object.entries(streams).flatMap(([stream, all]) =>
        all.flatMap((m, i) => (m === pattern ? [{ logStreamName: stream, timestamp: 1000 + i, message: m }] : [])),
      );
      return { events: hits };
    }
    const from = input.nextToken === undefined ? 0 : Number(String(input.nextToken).slice(2));
    const to = Math.min(events.length, from + pageSize);
    return { events: events.slice(from, to), nextForwardToken: `f/${to}` };
  };
  return { send } as unknown as CloudWatchLogsClient;
}

describe('readLines', () => {
  it('keeps the order across pages and says where to go on from', async () => {
    // GIVEN a stream of 25 lines, read 10 at a time
    const lines = Array.from({ length: 25 }, (_, i) => `line ${i}`);
    const client = fakeLogs({ 'r/app/0': lines }, 10);
    // WHEN read whole
    const got = await readLines(client, { logGroup: 'g', stream: 'r/app/0' }, {}, 0);
    // THEN every line once, in order, without its newline
    expect(got.lines.map((l) => l.message)).toEqual(lines);
    expect(got.cursor).toBe('f/25');
  });

  it("reads one Lambda invocation's lines: after the runner's marker, up to END", async () => {
    // GIVEN a Lambda stream holding an invocation of another run before this one and one after
    const marker = 'pod2sfn: run r container app';
    const stream = [
      'START RequestId: 1 Version: $LATEST',
      'pod2sfn: run other container app',
      'not ours',
      'END RequestId: 1',
      'START RequestId: 2 Version: $LATEST',
      marker,
      'ours 1',
      'ours 2',
      'END RequestId: 2',
      'REPORT RequestId: 2 Duration: 3 ms',
      'START RequestId: 3 Version: $LATEST',
      'later',
    ];
    const client = fakeLogs({ '2026/01/01/[$LATEST]abc': stream }, 4);
    // WHEN the invocation is read
    const got = await readLines(client, { logGroup: '/aws/lambda/f', marker }, {}, 0);
    // THEN its lines alone
    expect(got.lines.map((l) => l.message)).toEqual(['ours 1', 'ours 2']);
    expect(got.done).toBe(true);
  });
});

describe('AttemptReader', () => {
  const attempt: AttemptLogs = {
    container: 'app',
    attempt: 0,
    startedAt: new Date(1000),
    location: { executor: 'activity', stream: 'r/app/0' },
  };
  const services = (client: CloudWatchLogsClient): LogServices => ({
    logs: async () => client,
    taskDefinitionLogs: async () => undefined,
    functionLogGroup: async () => '',
  });

  it('prints only what is new on each read when following', async () => {
    // GIVEN a stream with two lines, read once
    const stream = ['one', 'two'];
    const reader = new AttemptReader(services(fakeLogs({ 'r/app/0': stream }, 10)), 'group', undefined);
    expect(await reader.next(attempt, undefined)).toEqual(['one', 'two']);
    // WHEN the container prints another line and the stream is read again
    stream.push('three');
    // THEN only that line comes, then nothing
    expect(await reader.next(attempt, undefined)).toEqual(['three']);
    expect(await reader.next(attempt, undefined)).toEqual([]);
  });

  it('follows a Lambda invocation from its marker, searching the log group for it once', async () => {
    // GIVEN a Lambda attempt whose invocation has printed one line after the runner's marker
    const marker = 'pod2sfn: run r container app';
    const stream = ['START RequestId: 2 Version: $LATEST', marker, 'ours 1'];
    const logs = fakeLogs({ '2026/01/01/[$LATEST]abc': stream }, 10);
    const calls: string[] = [];
    const counted = {
      send: (command: { constructor: { name: string } }) => (
        calls.push(command.constructor.name),
        logs.send(command as never)
      ),
    } as unknown as CloudWatchLogsClient;
    const lambda: AttemptLogs = {
      container: 'app',
      attempt: 0,
      startedAt: new Date(1000),
      location: { executor: 'lambda', functionName: 'f', marker },
    };
    const reader = new AttemptReader(services(counted), undefined, undefined);
    // WHEN it is read, prints more, is read again, ends, and is read a last time
    expect(await reader.next(lambda, undefined)).toEqual(['ours 1']);
    stream.push('ours 2');
    expect(await reader.next(lambda, undefined)).toEqual(['ours 2']);
    stream.push('END RequestId: 2', 'START RequestId: 3 Version: $LATEST', 'not ours');
    expect(await reader.next(lambda, undefined)).toEqual([]);
    expect(await reader.next(lambda, undefined)).toEqual([]);
    // THEN the marker was searched for once; every later read went on in its stream
    expect(calls.filter((c) => c === 'FilterLogEventsCommand')).toHaveLength(1);
  });

  it('leaves out lines older than --since', async () => {
    // GIVEN lines stamped 1000, 1001, 1002 and a start time of 1001
    const reader = new AttemptReader(services(fakeLogs({ 'r/app/0': ['a', 'b', 'c'] }, 10)), 'group', 1001);
    // THEN the first is left out
    expect(await reader.next(attempt, undefined)).toEqual(['b', 'c']);
  });
});
