import { describe, expect, it } from 'vitest';
import { ecsHistory } from '../../../lib/executors/ecs/history.js';

describe('the ecs history reader', () => {
  it('reads the exit code from the stopped task, whether the Task succeeded or AWS failed it', () => {
    // GIVEN a stopped task's description, as LocalStack returns it and as AWS puts it in a States.TaskFailed Cause
    const task = { TaskArn: 'arn:task/2', Containers: [{ ExitCode: 9 }] };
    // THEN both read back as exit 9
    expect(ecsHistory.succeeded(task)).toEqual({ exitCode: 9 });
    const failed = ecsHistory.failed({ error: 'States.TaskFailed', cause: JSON.stringify(task) });
    expect(failed).toEqual({ exitCode: 9, message: '' });
  });

  it('reads a task that stopped before its container ran as waiting, and an out-of-memory exit as OOMKilled', () => {
    // GIVEN a task whose image could not be pulled, and one whose container ran out of memory
    const pull = {
      StoppedReason: 'CannotPullContainerError: pull access denied',
      Containers: [{ Reason: 'CannotPullContainerError' }],
    };
    const oomReason = 'OutOfMemoryError: Container killed due to memory usage';
    const oom = { Containers: [{ ExitCode: 137, Reason: oomReason }] };
    // THEN the first never ran (ErrImagePull), the second exited 137 OOMKilled
    expect(ecsHistory.succeeded(pull)).toEqual({ reason: 'ErrImagePull', message: 'CannotPullContainerError' });
    expect(ecsHistory.succeeded(oom)).toEqual({ exitCode: 137, reason: 'OOMKilled', message: oomReason });
  });

  it("reads the user's container, not a volume helper listed before it", () => {
    // GIVEN a stopped task whose restore and save helpers come first, with other exit codes
    const task = {
      Containers: [
        { Name: 'pod2sfn_fetch', ExitCode: 0 },
        { Name: 'pod2sfn_upload', ExitCode: 1 },
        { Name: 'main', ExitCode: 7 },
      ],
    };
    // THEN the exit read back is the user's container's
    expect(ecsHistory.succeeded(task)).toEqual({ exitCode: 7 });
    expect(ecsHistory.failed({ error: 'States.TaskFailed', cause: JSON.stringify(task) })).toEqual({
      exitCode: 7,
      message: '',
    });
  });

  it('reads a task ECS stopped because a secret could not be read as CreateContainerConfigError', () => {
    // GIVEN tasks stopped before any container ran: a Secret key and a ConfigMap parameter ECS could
    // not read, and a registry it could not reach
    const stopped = (StoppedReason: string) => ({
      StoppedReason,
      Containers: [{ Name: 'pod2sfn_config' }, { Name: 'main' }],
    });
    const prefix =
      'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed:';
    const asm =
      `${prefix} unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch ` +
      'secret arn:aws:secretsmanager:us-east-1:111111111111:secret:db-credentials from secrets manager: ' +
      'ResourceNotFoundException';
    const ssm =
      `${prefix} unable to retrieve secrets from ssm: service call has been retried 1 time(s): ` +
      'invalid parameters: /pod2sfn/default/configmaps/settings/mode';
    const ecr = `${prefix} unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError`;
    // THEN the first two are the kubelet's CreateContainerConfigError, the third an image pull
    expect(ecsHistory.succeeded(stopped(asm))).toEqual({ reason: 'CreateContainerConfigError', message: asm });
    expect(ecsHistory.succeeded(stopped(ssm))).toEqual({ reason: 'CreateContainerConfigError', message: ssm });
    expect(ecsHistory.succeeded(stopped(ecr))).toEqual({ reason: 'ErrImagePull', message: ecr });
    // AND so when AWS fails the Task with the stopped task as its Cause; an image pull stays unread there
    const taskFailed = (reason: string) => ({ error: 'States.TaskFailed', cause: JSON.stringify(stopped(reason)) });
    expect(ecsHistory.failed(taskFailed(asm))).toEqual({ reason: 'CreateContainerConfigError', message: asm });
    expect(ecsHistory.failed(taskFailed(ecr))).toBeUndefined();
  });
});
