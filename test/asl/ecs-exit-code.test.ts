import { StateMachine } from 'aws-local-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERRORS } from '../../lib/asl/errors.js';
import { compile } from '../../lib/compile.js';

/**
 * The ECS executor's exit-code check, run by aws-local-stepfunctions with the ECS Task answered as
 * AWS answers it (LocalStack answers differently and is covered by test/e2e). Only the ECS Task's
 * result is made up; every other state runs as emitted.
 */
beforeAll(() => {
  // aws-local-stepfunctions calls Promise.withResolvers, which Node 20 lacks (DESIGN.md §4).
  const P = Promise as unknown as { withResolvers?: () => unknown };
  P.withResolvers ??= () => {
    let resolve!: (v: unknown) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  };
});

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
  const machine = new StateMachine(structuredClone(definition) as never, { validationOptions: { checkArn: true, checkPaths: true } });
  const execution = machine.run({}, { overrides: { taskResourceLocalHandlers: { 'ECS task: main': answer as never } }, context: { Execution: { Name: 't' } } });
  return execution.result.then(
    (output: unknown) => ({ output, error: undefined }),
    (e: { cause?: Error }) => ({ output: undefined, error: e.cause }),
  );
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
