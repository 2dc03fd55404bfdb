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
});
