import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../../lib/asl/errors.js';
import { STATE_NAMES } from '../../../lib/asl/names.js';
import { compile } from '../../../lib/compile.js';
import { startExecution } from '../../../lib/local/engine.js';

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
