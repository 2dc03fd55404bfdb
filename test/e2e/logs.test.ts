import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { CLI } from './agent-harness.js';
import { AWS_ENV, ENDPOINT } from './env.js';
import { startExecution, waitForEnd } from './sfn.js';

/**
 * `pod2sfn logs` on LocalStack: one pod deployed with `pod2sfn deploy` (its log group and the stack
 * output naming it), its containers run by `pod2sfn agent --stack`, which ships their output there;
 * then `logs` reads each container attempt back, in order, through the built CLI.
 */
const suffix = Date.now().toString(36);
const dir = tempDir('pod2sfn-logs-e2e-');
const env = { ...process.env, ...AWS_ENV, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const run = promisify(execFile);
const NAME = `logs-${suffix}`;
const RUN = 'restarted-run';
const SPEC = join(dir, 'pod.yaml');
writeFileSync(
  SPEC,
  `apiVersion: v1
kind: Pod
metadata:
  name: ${NAME}
  annotations: { pod2sfn.dev/executor: activity }
spec:
  restartPolicy: OnFailure
  activeDeadlineSeconds: 120
  initContainers:
    - name: flaky
      image: alpine
      env: [{ name: MARK, value: ${join(dir, 'tried')} }]
      command:
        - sh
        - -c
        - >-
          if [ -e "$MARK" ]; then echo second try; echo done;
          else : > "$MARK"; echo first try; echo fails >&2; exit 1; fi
  containers:
    - { name: app, image: alpine, command: [sh, -c, "for i in 1 2 3; do echo app line $i; done"] }
`,
);

let agent: ChildProcess;
let agentLog = '';
let executionArn = '';
/** `logs -f` started with the run. */
let following: ReturnType<typeof cli>;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failure = e as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

beforeAll(async () => {
  const deployed = await cli('deploy', SPEC, '--endpoint', ENDPOINT);
  expect(deployed.code, deployed.stderr).toBe(0);
  agent = spawn(process.execPath, [CLI, 'agent', '--stack', NAME, '--runtime', 'host'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  agent.stderr!.on('data', (chunk: Buffer) => (agentLog += chunk.toString()));
  const stateMachineArn = `arn:aws:states:${AWS_ENV.AWS_REGION}:000000000000:stateMachine:pod2sfn-default-${NAME}`;
  executionArn = await startExecution(stateMachineArn, { name: RUN });
  following = cli('logs', executionArn, '-f', '--all-containers', '--prefix');
  const ended = await waitForEnd(executionArn, 90_000);
  expect(ended.status, agentLog).toBe('SUCCEEDED');
}, 240_000);

afterAll(async () => {
  if (!agent || agent.exitCode !== null) return;
  const exited = new Promise((resolve) => agent.once('exit', resolve));
  agent.kill('SIGTERM');
  await exited;
});

describe('pod2sfn logs of a run whose containers ran on pod2sfn agent', () => {
  it("prints a container's lines in order, and with --previous the attempt before its restart", async () => {
    // GIVEN the run above: flaky failed once, was restarted, then succeeded
    expect(agentLog).toContain(`[agent] shipping container output to log group `);
    // WHEN its logs are read right after the run
    const latest = await cli('logs', executionArn, '-c', 'flaky');
    const previous = await cli('logs', executionArn, '-c', 'flaky', '--previous');
    // THEN the restart's lines, and the first attempt's (stdout and stderr as they came)
    expect(latest).toEqual({ code: 0, stdout: 'second try\ndone\n', stderr: '' });
    expect(previous).toEqual({ code: 0, stdout: 'first try\nfails\n', stderr: '' });
  });

  it('prints every container, init first, each line prefixed with --all-containers --prefix', async () => {
    const all = await cli('logs', executionArn, '--all-containers', '--prefix');
    expect(all.stderr).toBe('');
    expect(all.stdout).toBe(
      [
        `[pod/${RUN}/flaky] second try`,
        `[pod/${RUN}/flaky] done`,
        `[pod/${RUN}/app] app line 1`,
        `[pod/${RUN}/app] app line 2`,
        `[pod/${RUN}/app] app line 3`,
        '',
      ].join('\n'),
    );
  });

  it('follows with -f until the run ends, each attempt as it comes', async () => {
    // GIVEN `logs -f` started as the run did
    const followed = await following;
    // THEN it ended by itself once the run had, having printed the last attempt of each container whole
    expect(followed.code, followed.stderr).toBe(0);
    // (the first attempt too, unless it was over before the first look, which the 10 s back-off makes unlikely)
    const last = ['flaky] second try', 'flaky] done', 'app] app line 1', 'app] app line 2', 'app] app line 3'];
    const first = ['flaky] first try', 'flaky] fails'];
    const printed = (lines: string[]) => lines.map((line) => `[pod/${RUN}/${line}\n`).join('');
    expect([printed(last), printed([...first, ...last])]).toContain(followed.stdout);
  });

  it('asks for a container as kubectl does when the pod has several; refuses a missing --previous', async () => {
    const none = await cli('logs', executionArn);
    expect(none.code).toBe(2);
    expect(none.stderr.split('\n')[0]).toBe(
      `pod2sfn logs: a container name must be specified for pod ${RUN}, choose one of: [app] ` +
        'or one of the init containers: [flaky]',
    );
    const previous = await cli('logs', executionArn, '-c', 'app', '--previous');
    expect(previous.code).toBe(2);
    expect(previous.stderr.split('\n')[0]).toBe(
      `pod2sfn logs: previous terminated container "app" in pod "${RUN}" not found`,
    );
  });
});
