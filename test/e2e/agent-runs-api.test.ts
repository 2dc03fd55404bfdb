import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from './agent-harness.js';
import { AWS_ENV, ENDPOINT } from './env.js';
import { sfn } from './sfn.js';

/**
 * The runs API through LocalStack's API Gateway (its VTL is airspeed, not Velocity: see
 * lib/aws/pod-runs-api.ts; test/aws/pod-stack.test.ts asserts the template text). No agent runs: the
 * executions started here only wait for one, and are stopped.
 */
const suffix = Date.now().toString(36);
const dir = mkdtempSync(join(tmpdir(), 'pod2sfn-runs-api-'));
const run = promisify(execFile);
let url = '';
const started: string[] = [];

beforeAll(async () => {
  const file = join(dir, 'pod.yaml');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Pod
metadata: { name: runs-api-${suffix}, annotations: { pod2sfn.dev/executor: activity } }
spec:
  restartPolicy: Never
  activeDeadlineSeconds: 120
  containers: [{ name: app, image: alpine, command: [sh, -c, "true"] }]
`,
  );
  const env = { ...process.env, ...AWS_ENV };
  const { stdout } = await run(process.execPath, [CLI, 'deploy', file, '--endpoint', ENDPOINT], { env });
  url = stdout.trim();
}, 300_000);

afterAll(async () => {
  const stop = (executionArn: string) => sfn.send(new StopExecutionCommand({ executionArn })).catch(() => undefined);
  await Promise.all(started.map(stop));
  rmSync(dir, { recursive: true, force: true });
});

async function post(body: string): Promise<{ status: number; json: Record<string, string> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as Record<string, string> };
}

describe('POST /runs', () => {
  it('passes every JSON input into the execution unchanged: quotes, backslashes, apostrophes, unicode', async () => {
    // GIVEN inputs with every character a template could mangle
    const inputs = [
      { path: "C:\\Users\\o'brien", quote: 'say "hi"', both: "\\'", tail: '\\' },
      { nested: { list: [1, 2.5, -3e-7, true, null, 'é ü 日本 🚀'] }, newline: 'a\nb\tc', slash: '</script>' },
      {},
    ];
    for (const [i, input] of inputs.entries()) {
      // WHEN it is posted
      const answer = await post(JSON.stringify({ name: `round-trip-${i}`, input }));
      // THEN the run started, and its input is the same JSON value (byte for byte on AWS, whose
      // $input.json is compact; LocalStack's re-serialization adds a space after ':' and ',')
      expect(answer.status, JSON.stringify(answer.json)).toBe(202);
      started.push(answer.json.executionArn!);
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: answer.json.executionArn! }));
      expect(JSON.parse(described.input!)).toEqual(input);
    }
  });

  it('answers 400 with a JSON error to a request that is not a run', async () => {
    // GIVEN bodies that are not {"name"?, "input"?}: empty, a name with a trailing newline, spaces, an array
    const bodies = [
      '',
      JSON.stringify({ name: 'ok-name\n' }),
      JSON.stringify({ name: 'has spaces' }),
      '[]',
      JSON.stringify({ input: 'not an object' }),
    ];
    for (const body of bodies) {
      // WHEN each is posted
      const answer = await post(body);
      // THEN it is refused with a JSON error, and no execution starts under that name
      expect([body, answer.status]).toEqual([body, 400]);
      expect(typeof (answer.json.message ?? answer.json.error)).toBe('string');
    }
  });
});

describe('GET /runs/{id}', () => {
  it('describes a run of this state machine by name or ARN, and refuses an ARN of another one', async () => {
    // GIVEN a run of this state machine
    const answer = await post(JSON.stringify({ name: 'described' }));
    const arn = answer.json.executionArn!;
    started.push(arn);
    // WHEN it is read by name, by ARN, and another machine's ARN is asked for
    const byName = await fetch(`${url}/described`);
    const byArn = await fetch(`${url}/${encodeURIComponent(arn)}`);
    const another = arn.replace(/:execution:[^:]+:/, ':execution:another-machine:');
    const other = await fetch(`${url}/${encodeURIComponent(another)}`);
    // THEN the first two answer 200 with the execution, the third 404
    expect([byName.status, byArn.status, other.status]).toEqual([200, 200, 404]);
    expect(((await byName.json()) as { executionArn: string }).executionArn).toBe(arn);
  });
});
