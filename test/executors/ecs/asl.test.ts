import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../../lib/asl/errors.js';
import { STATE_NAMES } from '../../../lib/asl/names.js';
import { compile } from '../../../lib/compile.js';
import { startExecution } from '../../../lib/local/engine.js';
import { ecsLocal } from '../../../lib/executors/ecs/local.js';
import type { LocalTask } from '../../../lib/executors/contract.js';
import { handoffMachine, handoffWorkflow } from './handoff-machine.js';

/**
 * The ECS executor's exit-code check, run by the embedded engine with the ECS Task answered as
 * AWS answers it (LocalStack answers differently and is covered by test/e2e). Only the ECS Task's
 * result is made up; every other state runs as emitted.
 */
const SPEC = `apiVersion: v1
kind: Pod
metadata: { name: on-fargate }
spec:
  restartPolicy: Never
  containers: [{ name: main, image: alpine }]
`;

const stoppedTask = (exitCode: number) => ({
  TaskArn: 'arn:aws:ecs:us-east-1:1:task/c/1',
  LastStatus: 'STOPPED',
  Containers: [{ Name: 'main', ExitCode: exitCode }],
});

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/** GIVEN the pod on ECS, WHEN its ECS task answers with `answer`: the execution's output or error. */
async function runWith(answer: () => Promise<unknown>) {
  const { definition } = compile(SPEC, { executor: 'ecs' }).compiled!;
  const outcome = await startExecution(definition, { [STATE_NAMES.ecs.task.of('main')]: answer }, 't').outcome;
  return outcome.status === 'succeeded'
    ? { output: outcome.output, error: undefined }
    : {
        output: undefined,
        error: outcome.status === 'failed' ? { name: outcome.error, message: outcome.cause } : undefined,
      };
}

describe('the ECS exit-code check', () => {
  it('passes exit code 0 through', async () => {
    // WHEN the task stops with exit code 0
    const { output } = await runWith(async () => stoppedTask(0));
    // THEN the container's result holds it, with the task's ARN
    expect(output).toMatchObject({
      containers: { main: { exitCode: 0, taskArn: 'arn:aws:ecs:us-east-1:1:task/c/1' } },
    });
  });

  it("turns AWS's States.TaskFailed for a non-zero exit into Pod2sfn.ContainerFailed", async () => {
    // WHEN AWS fails the Task because the container exited 137
    const { error } = await runWith(async () => {
      throw named('States.TaskFailed', JSON.stringify(stoppedTask(137)));
    });
    // THEN the pod fails as on every executor, with the exit code in the Cause
    expect(error?.name).toBe(ERRORS.containerFailed);
    expect(JSON.parse(error!.message)).toEqual({ container: 'main', exitCode: 137, message: '' });
  });

  it('raises another ECS error again under its own name', async () => {
    // WHEN ECS refuses the call
    const { error } = await runWith(async () => {
      throw named('ECS.AccessDeniedException', 'not allowed');
    });
    // THEN the error comes out unchanged
    expect([error?.name, error?.message]).toEqual(['ECS.AccessDeniedException', 'not allowed']);
  });

  it('names a States.* error in the Cause of Pod2sfn.EcsTaskError', async () => {
    // WHEN Step Functions itself fails the Task (a Fail state may not raise States.*)
    const { error } = await runWith(async () => {
      throw named('States.Permissions', 'no iam:PassRole');
    });
    // THEN it becomes Pod2sfn.EcsTaskError, naming the container and the original error
    expect([error?.name, error?.message]).toEqual([
      ERRORS.ecsTaskError,
      'container main: States.Permissions: no iam:PassRole',
    ]);
  });
});

/** The stopped task with the helpers listed first, as ECS may list them, each with its exit code. */
const withHelpers = (user: number | undefined, helpers: Record<string, number | undefined>) => ({
  TaskArn: 'arn:aws:ecs:us-east-1:1:task/c/2',
  LastStatus: 'STOPPED',
  Containers: [
    ...Object.entries(helpers).map(([Name, ExitCode]) => ({ Name, ...(ExitCode !== undefined && { ExitCode }) })),
    { Name: 'fill', ...(user !== undefined && { ExitCode: user }) },
  ],
});
const failure = (error: string, cause: string) => ({ status: 'failed', error, cause });
const ALL_RAN = { pod2sfn_fetch: 0, pod2sfn_unpack: 0, pod2sfn_pack: 0, pod2sfn_upload: 0 };

/** GIVEN the init container `fill` with its restore and save helpers, WHEN its task answers `answer` (twice). */
async function runHandoff(answer: unknown) {
  let calls = 0;
  const handlers = { [STATE_NAMES.ecs.task.of('fill')]: async () => (calls++, answer) };
  const outcome = await startExecution(handoffMachine('fill'), handlers, 't').outcome;
  return { outcome, calls };
}

describe('the ECS exit-code check with volume helpers', () => {
  it("reads the user's container by name, whatever the helpers exited with and wherever they are listed", async () => {
    // WHEN the helpers come first, with exit codes other than the container's
    const { outcome } = await runHandoff(withHelpers(0, ALL_RAN));
    const failedUser = await runHandoff(withHelpers(3, ALL_RAN));
    // THEN the result is the user's container's exit code: 0, then a ContainerFailed with 3
    expect(outcome).toMatchObject({ status: 'succeeded', output: { exitCode: 0 } });
    expect(failedUser.outcome).toMatchObject({ status: 'failed', error: ERRORS.containerFailed });
    expect(JSON.parse((failedUser.outcome as { cause: string }).cause)).toEqual({
      container: 'fill',
      exitCode: 3,
      message: '',
    });
  });

  it('fails a failed save as Pod2sfn.VolumeSaveFailed, retried as transient, not as a container failure', async () => {
    // WHEN the upload helper exits 1 after the container exited 0
    const { outcome, calls } = await runHandoff(withHelpers(0, { ...ALL_RAN, pod2sfn_upload: 1 }));
    // THEN the task ran again (transient), then the step failed with the save error naming the volume
    expect(calls).toBe(2);
    const cause = 'container fill: saving emptyDir work failed after the container exited; the logs of pod2sfn_pack';
    expect(outcome).toEqual(failure(ERRORS.volumeSaveFailed, `${cause} and pod2sfn_upload say why`));
  });

  it('fails a failed restore as Pod2sfn.VolumeRestoreFailed before the container ran', async () => {
    // WHEN unpack exits 1: the container never starts, pack and upload never run
    const { outcome } = await runHandoff(
      withHelpers(undefined, {
        pod2sfn_fetch: 0,
        pod2sfn_unpack: 1,
        pod2sfn_pack: undefined,
        pod2sfn_upload: undefined,
      }),
    );
    expect(outcome).toMatchObject({ status: 'failed', error: ERRORS.volumeRestoreFailed });
  });

  it('fails the pod on a volume over its sizeLimit, naming the volume and its limit, without a retry', async () => {
    // WHEN pack exits 10: the first saved volume is over its limit, so upload never ran
    const { outcome, calls } = await runHandoff(
      withHelpers(0, { ...ALL_RAN, pod2sfn_pack: 10, pod2sfn_upload: undefined }),
    );
    expect(calls).toBe(1);
    const cause =
      'container fill: the usage of emptyDir work (sizeLimit 1048576 bytes) is over the limit ' +
      '(the log of pod2sfn_pack gives the bytes used); the volume was not saved';
    expect(outcome).toEqual(failure(ERRORS.volumeSizeLimitExceeded, cause));
  });

  it("passes the local engine's answer, which shares volumes on the host", async () => {
    // GIVEN the answer `pod2sfn run` gives for a container that exited 0
    const step = handoffWorkflow().init[0]!;
    const task = { step, taskArn: 'arn:local', attempt: async () => ({ exitCode: 0 }) } as unknown as LocalTask;
    const answer = await ecsLocal.run(task)({});
    // WHEN the check reads it THEN the container succeeded
    const { outcome } = await runHandoff(answer);
    expect(outcome).toMatchObject({ status: 'succeeded', output: { exitCode: 0, taskArn: 'arn:local' } });
  });
});
