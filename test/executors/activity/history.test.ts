import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../../lib/asl/errors.js';
import { activityHistory } from '../../../lib/executors/activity/history.js';

describe('the activity history reader', () => {
  it("reads the agent's output and its SendTaskFailure Cause", () => {
    // GIVEN what pod2sfn agent sends for a container that exited 0, and for one that exited 4
    const ok = activityHistory.succeeded({ exitCode: 0, message: 'fine' });
    const cause = JSON.stringify({ container: 'b', exitCode: 4, message: 'bad' });
    const failed = activityHistory.failed({ error: ERRORS.containerFailed, cause });
    // THEN each reads back as the container's exit
    expect(ok).toEqual({ exitCode: 0, message: 'fine' });
    expect(failed).toEqual({ exitCode: 4, message: 'bad' });
  });

  it('knows its Task by the Activity it calls, deployed or not', () => {
    // GIVEN an activity Task before deployment (a placeholder) and after (an Activity ARN), and a Lambda Task
    const task = (Resource: string) => ({ Type: 'Task' as const, Resource, End: true as const });
    // THEN the reader claims the first two only
    expect(activityHistory.runs(task('${Activity_main}'))).toBe(true);
    expect(activityHistory.runs(task('arn:aws:states:us-east-1:1:activity:pod2sfn-main'))).toBe(true);
    expect(activityHistory.runs(task('arn:aws:states:::lambda:invoke'))).toBe(false);
  });
});
