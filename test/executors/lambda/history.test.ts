import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../../lib/asl/errors.js';
import { lambdaHistory } from '../../../lib/executors/lambda/history.js';

describe('the lambda history reader', () => {
  it("reads the runner's result under Payload", () => {
    // GIVEN lambda:invoke's output for a container that exited 0 with a message
    const output = { Payload: { exitCode: 0, message: 'ready' }, StatusCode: 200 };
    // WHEN it is read back, THEN the exit and the message are the runner's
    expect(lambdaHistory.succeeded(output)).toEqual({ exitCode: 0, message: 'ready' });
  });

  it("opens the Lambda's error envelope around Pod2sfn.ContainerFailed", () => {
    // GIVEN what Step Functions records when the runner throws for exit 5
    const runnerCause = JSON.stringify({ container: 'c', exitCode: 5, message: 'm' });
    const cause = { errorType: ERRORS.containerFailed, errorMessage: runnerCause, trace: [] };
    // WHEN the failure is read back
    const exit = lambdaHistory.failed({ error: ERRORS.containerFailed, cause: JSON.stringify(cause) });
    // THEN it is the container's exit
    expect(exit).toEqual({ exitCode: 5, message: 'm' });
  });

  it('reads a timed-out Lambda as a container killed at its deadline, and an AWS error as no exit', () => {
    // GIVEN a Lambda that ran out of time, and one that Lambda itself failed
    const timedOut = lambdaHistory.failed({ error: 'Sandbox.Timedout', cause: 'Task timed out after 900.00 seconds' });
    const service = lambdaHistory.failed({ error: 'Lambda.ServiceException', cause: 'oops' });
    // THEN the first exited 137 (DeadlineExceeded), the second did not exit at all
    const message = 'Sandbox.Timedout: Task timed out after 900.00 seconds';
    expect(timedOut).toEqual({ exitCode: 137, reason: 'DeadlineExceeded', message });
    expect(service).toBeUndefined();
  });
});
