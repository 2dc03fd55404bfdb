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
  containerIn: (state) => (state.Type === 'Task' ? asRecord(asRecord(state.Parameters?.Payload)?.container) : undefined),
  succeeded: (output) => runnerResult(asRecord(output.Payload) ?? output),
  failed: (error) =>
    error.error === 'Sandbox.Timedout' ? { exitCode: 137, message: describeError(error), reason: 'DeadlineExceeded' } : runnerFailure(error),
};
