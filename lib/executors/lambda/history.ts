import { asRecord } from '../../json.js';
import type { HistoryReader } from '../contract.js';
import { describeError, runnerFailure, runnerResult } from '../readings.js';

/**
 * lambda:invoke answers the runner's result under `Payload`, and records what the runner throws in
 * the Lambda's error envelope (which parseContainerFailureCause opens). A Lambda that ran out of
 * time fails with Sandbox.Timedout: the container was killed at its deadline.
 */
export const lambdaHistory: HistoryReader = {
  runs: (state) => state.Type === 'Task' && state.Resource.includes(':lambda:'),
  containerIn: (state) => {
    const payload = state.Type === 'Task' ? asRecord(state.Parameters?.Payload) : undefined;
    return asRecord(payload?.container);
  },
  succeeded: (output) => runnerResult(asRecord(output.Payload) ?? output),
  failed: (error) => {
    if (error.error !== 'Sandbox.Timedout') return runnerFailure(error);
    return { exitCode: 137, message: describeError(error), reason: 'DeadlineExceeded' };
  },
};
