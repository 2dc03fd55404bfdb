import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../lib/asl/errors.js';
import { SFN_MOCK_CONFIG } from './env.js';
import { HANDOFF_SPEC, handoffMachine } from '../executors/ecs/handoff-machine.js';
import { compileOrThrow, createMachine, history, startExecution, statesEntered, waitForEnd } from './sfn.js';

/**
 * Host-mode LocalStack can create neither Lambda functions nor ECS tasks, so the lambda and ecs
 * executors' state machines run in LocalStack's own interpreter against mocked service integrations
 * (SFN_MOCK_CONFIG): the ASL's Retry, Catch and exit-code check are real, the Task results are not.
 * LocalStack refuses to mock a States.* error, so AWS's States.TaskFailed for a non-zero ECS exit is
 * covered by test/executors/ecs/asl.test.ts on the embedded engine instead.
 */
const suffix = Date.now().toString(36);
const LAMBDA_NEVER = `pod2sfn-mock-lambda-never-${suffix}`;
const LAMBDA_ON_FAILURE = `pod2sfn-mock-lambda-onfailure-${suffix}`;
const LAMBDA_JOB = `pod2sfn-mock-lambda-job-${suffix}`;
const ECS = `pod2sfn-mock-ecs-${suffix}`;
const ECS_VOLUMES = `pod2sfn-mock-ecs-volumes-${suffix}`;

const exited = (exitCode: number) => ({ Return: { StatusCode: 200, Payload: { exitCode, message: '' } } });
/** What Step Functions records when a Lambda throws: its own wrapper around our JSON Cause. */
const lambdaCause = (container: string, exitCode: number) =>
  JSON.stringify({
    errorType: ERRORS.containerFailed,
    errorMessage: JSON.stringify({ container, exitCode, message: 'boom' }),
    trace: [],
  });
const failed = (container: string, exitCode: number) => ({
  Throw: { Error: ERRORS.containerFailed, Cause: lambdaCause(container, exitCode) },
});
/** The stopped task of the container `name`: the check reads it by name. */
const stoppedTask = (name: string, exitCode?: number) => ({
  TaskArn: 'arn:aws:ecs:us-east-1:000000000000:task/pod2sfn/0123456789abcdef',
  LastStatus: 'STOPPED',
  StopCode: exitCode === undefined ? 'TaskFailedToStart' : 'EssentialContainerExited',
  StoppedReason:
    exitCode === undefined ? 'CannotPullContainerError: pull access denied' : 'Essential container in task exited',
  Containers: [{ Name: name, LastStatus: 'STOPPED', ...(exitCode !== undefined && { ExitCode: exitCode }) }],
});
const ecsStopped = (name: string, exitCode?: number) => ({ Return: stoppedTask(name, exitCode) });
/** The task of `fill` with its volume helpers listed first, each exiting as given. */
const withHelpers = (exitCode: number, upload: number) => ({
  Return: {
    ...stoppedTask('fill', exitCode),
    Containers: [
      ...['pod2sfn_fetch', 'pod2sfn_unpack', 'pod2sfn_pack'].map((Name) => ({ Name, ExitCode: 0 })),
      { Name: 'pod2sfn_upload', ExitCode: upload },
      { Name: 'fill', LastStatus: 'STOPPED', ExitCode: exitCode },
    ],
  },
});
const MOCKS = {
  StateMachines: {
    [LAMBDA_NEVER]: {
      TestCases: {
        AllSucceed: { 'Init: check-config': 'Exit0', 'Init: migrate-db': 'Exit0', 'Run: app': 'Exit0' },
        MigrateFails: { 'Init: check-config': 'Exit0', 'Init: migrate-db': 'MigrateExits3', 'Run: app': 'Exit0' },
        ThrottledOnce: { 'Init: check-config': 'ThrottledOnce', 'Init: migrate-db': 'Exit0', 'Run: app': 'Exit0' },
      },
    },
    [LAMBDA_ON_FAILURE]: { TestCases: { FlakyOnce: { 'Init: flaky': 'FlakyOnce', 'Run: main': 'Exit0' } } },
    [LAMBDA_JOB]: { TestCases: { WorkerExits42: { 'Init: fetch-input': 'Exit0', 'Run: worker': 'WorkerExits42' } } },
    [ECS]: {
      TestCases: {
        Exit0: { 'ECS task: prep': 'PrepExit0', 'ECS task: main': 'MainExit0' },
        PrepExits2: { 'ECS task: prep': 'PrepExit2', 'ECS task: main': 'MainExit0' },
        NotStartedOnce: { 'ECS task: prep': 'PrepNotStartedOnce', 'ECS task: main': 'MainExit0' },
      },
    },
    [ECS_VOLUMES]: {
      TestCases: {
        UserExits3: { 'ECS task: fill': 'FillExits3' },
        SaveFails: { 'ECS task: fill': 'FillSaveFails' },
      },
    },
  },
  MockedResponses: {
    Exit0: { '0': exited(0) },
    MigrateExits3: { '0': failed('migrate-db', 3) },
    ThrottledOnce: {
      '0': { Throw: { Error: 'Lambda.TooManyRequestsException', Cause: 'Rate exceeded' } },
      '1': exited(0),
    },
    FlakyOnce: { '0': failed('flaky', 1), '1': exited(0) },
    PrepExit0: { '0': ecsStopped('prep', 0) },
    MainExit0: { '0': ecsStopped('main', 0) },
    PrepExit2: { '0': ecsStopped('prep', 2) },
    PrepNotStartedOnce: { '0': ecsStopped('prep', undefined), '1': ecsStopped('prep', 0) },
    WorkerExits42: { '0': failed('worker', 42) },
    FillExits3: { '0': withHelpers(3, 0) },
    FillSaveFails: { '0': withHelpers(0, 1), '1': withHelpers(0, 1) },
  },
};

const arns: Record<string, string> = {};

beforeAll(async () => {
  mkdirSync(dirname(SFN_MOCK_CONFIG), { recursive: true });
  writeFileSync(SFN_MOCK_CONFIG, JSON.stringify(MOCKS, null, 2));
  // LocalStack caches the file by its mtime in whole seconds.
  await new Promise((r) => setTimeout(r, 1100));
  arns[LAMBDA_NEVER] = await createMachine(
    LAMBDA_NEVER,
    compileOrThrow(readFileSync('examples/failing-init.yaml', 'utf8'), { executor: 'lambda' }),
  );
  arns[LAMBDA_ON_FAILURE] = await createMachine(
    LAMBDA_ON_FAILURE,
    compileOrThrow(`apiVersion: v1
kind: Pod
metadata: { name: flaky }
spec:
  restartPolicy: OnFailure
  activeDeadlineSeconds: 120
  initContainers: [{ name: flaky, image: alpine, command: ["false"] }]
  containers: [{ name: main, image: alpine, command: ["true"] }]
`),
  );
  arns[LAMBDA_JOB] = await createMachine(LAMBDA_JOB, compileOrThrow(readFileSync('examples/job.yaml', 'utf8')));
  arns[ECS] = await createMachine(
    ECS,
    compileOrThrow(
      `apiVersion: v1
kind: Pod
metadata: { name: on-fargate }
spec:
  restartPolicy: Never
  initContainers: [{ name: prep, image: alpine, command: ["true"] }]
  containers: [{ name: main, image: alpine, command: ["true"] }]
`,
      { executor: 'ecs' },
    ),
  );
  const volumes = compileOrThrow(HANDOFF_SPEC, { executor: 'ecs' });
  arns[ECS_VOLUMES] = await createMachine(ECS_VOLUMES, { ...volumes, definition: handoffMachine('fill') });
});

async function run(machine: string, testCase: string) {
  const executionArn = await startExecution(`${arns[machine]}#${testCase}`);
  const result = await waitForEnd(executionArn);
  return { result, events: await history(executionArn) };
}

describe('lambda executor, restartPolicy Never', () => {
  it('succeeds with every container exit code in the output', async () => {
    const { result } = await run(LAMBDA_NEVER, 'AllSucceed');
    expect(result.status).toBe('SUCCEEDED');
    const output = JSON.parse(result.output!);
    expect(output.initContainers).toEqual({
      check_config: { exitCode: 0, message: '' },
      migrate_db: { exitCode: 0, message: '' },
    });
    expect(output.containers).toEqual({ app: { exitCode: 0, message: '' } });
  });

  it('fails on a failed init container, naming it, and never starts the app container', async () => {
    const { result, events } = await run(LAMBDA_NEVER, 'MigrateFails');
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe(ERRORS.containerFailed);
    expect(result.cause).toBe(lambdaCause('migrate-db', 3));
    expect(statesEntered(events)).toEqual([
      'Init: check-config',
      'Init: migrate-db',
      'Failed: migrate-db',
      'Pod failed: error name?',
      'Pod failed',
    ]);
  });

  it('retries a throttled invocation without counting a restart', async () => {
    const { result, events } = await run(LAMBDA_NEVER, 'ThrottledOnce');
    expect(result.status).toBe('SUCCEEDED');
    expect(events.filter((e) => e.type === 'TaskScheduled').length).toBe(4);
  });
});

describe('lambda executor, restartPolicy OnFailure', () => {
  it('restarts a container that failed, after the CrashLoopBackOff delay', async () => {
    const { result, events } = await run(LAMBDA_ON_FAILURE, 'FlakyOnce');
    expect(result.status).toBe('SUCCEEDED');
    const scheduled = events.filter((e) => e.type === 'TaskScheduled');
    expect(scheduled).toHaveLength(3);
    const failedAt = events.find((e) => e.type === 'TaskFailed')!.timestamp!.getTime();
    expect(scheduled[1]!.timestamp!.getTime() - failedAt).toBeGreaterThanOrEqual(9_000);
  });
});

describe('lambda executor, a Job with a podFailurePolicy', () => {
  it('fails the Job at once on the exit code the policy names, reading it through the Lambda error', async () => {
    const { result, events } = await run(LAMBDA_JOB, 'WorkerExits42');
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe(ERRORS.jobFailed);
    // No second pod: FailJob is not retried up to backoffLimit.
    expect(statesEntered(events).filter((n) => n === 'Init: fetch-input')).toHaveLength(1);
  });
});

describe('ecs executor: the exit code is checked explicitly', () => {
  it('succeeds when every container exits 0', async () => {
    const { result } = await run(ECS, 'Exit0');
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output!).containers.main.exitCode).toBe(0);
  });

  it('fails the pod on a non-zero exit, which LocalStack itself does not check', async () => {
    const { result, events } = await run(ECS, 'PrepExits2');
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe(ERRORS.containerFailed);
    expect(JSON.parse(result.cause!)).toEqual({ container: 'prep', exitCode: 2, message: '' });
    expect(statesEntered(events)).not.toContain('Containers');
  });

  it('retries a task that stopped before its container ran', async () => {
    const { result, events } = await run(ECS, 'NotStartedOnce');
    expect(result.status).toBe('SUCCEEDED');
    expect(statesEntered(events).filter((n) => n === 'Never ran: prep')).toHaveLength(1);
  });
});

describe('ecs executor with volume helpers: the ECS state of a container that restores and saves an emptyDir', () => {
  it("reads the exit code of the user's container, listed after helpers that exited otherwise", async () => {
    const { result } = await run(ECS_VOLUMES, 'UserExits3');
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe(ERRORS.containerFailed);
    expect(JSON.parse(result.cause!)).toEqual({ container: 'fill', exitCode: 3, message: '' });
  });

  it('ends a failed save as the transient Pod2sfn.VolumeSaveFailed, after its retry', async () => {
    const { result, events } = await run(ECS_VOLUMES, 'SaveFails');
    expect([result.status, result.error]).toEqual(['FAILED', ERRORS.volumeSaveFailed]);
    expect(events.filter((e) => e.type === 'TaskScheduled')).toHaveLength(2);
    // AND RunTask gave the S3 helpers the execution's name
    const scheduled = events.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!.parameters!;
    const overrides = JSON.parse(scheduled).Overrides.ContainerOverrides;
    const execution = result.executionArn!.split(':').at(-1);
    expect(overrides).toEqual(
      ['pod2sfn_fetch', 'pod2sfn_upload'].map((Name) => ({
        Name,
        Environment: [{ Name: 'POD2SFN_EXECUTION', Value: execution }],
      })),
    );
  });
});
