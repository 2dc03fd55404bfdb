import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../../lib/asl/errors.js';
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

const stoppedTask = (exitCode: number) => ({ TaskArn: 'arn:aws:ecs:us-east-1:1:task/c/1', LastStatus: 'STOPPED', Containers: [{ Name: 'main', ExitCode: exitCode }] });

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

async function runWith(answer: () => Promise<unknown>) {
  const { definition } = compile(SPEC, { executor: 'ecs' }).compiled!;
  const outcome = await startExecution(definition, { 'ECS task: main': answer }, 't').outcome;
  return outcome.status === 'succeeded'
    ? { output: outcome.output, error: undefined }
    : { output: undefined, error: outcome.status === 'failed' ? { name: outcome.error, message: outcome.cause } : undefined };
}

describe('the ECS exit-code check', () => {
  it('passes exit code 0 through', async () => {
    const { output } = await runWith(async () => stoppedTask(0));
    expect(output).toMatchObject({ containers: { main: { exitCode: 0, taskArn: 'arn:aws:ecs:us-east-1:1:task/c/1' } } });
  });

  it('turns AWS\'s States.TaskFailed for a non-zero exit into Pod2sfn.ContainerFailed', async () => {
    const { error } = await runWith(async () => {
      throw named('States.TaskFailed', JSON.stringify(stoppedTask(137)));
    });
    expect(error?.name).toBe(ERRORS.containerFailed);
    expect(JSON.parse(error!.message)).toEqual({ container: 'main', exitCode: 137, message: '' });
  });

  it('raises another ECS error again under its own name', async () => {
    const { error } = await runWith(async () => {
      throw named('ECS.AccessDeniedException', 'not allowed');
    });
    expect([error?.name, error?.message]).toEqual(['ECS.AccessDeniedException', 'not allowed']);
  });

  it('names a States.* error in the Cause of Pod2sfn.EcsTaskError', async () => {
    const { error } = await runWith(async () => {
      throw named('States.Permissions', 'no iam:PassRole');
    });
    expect([error?.name, error?.message]).toEqual([ERRORS.ecsTaskError, 'container main: States.Permissions: no iam:PassRole']);
  });
});
