import { asRecord } from '../../json.js';
import type { HistoryReader } from '../contract.js';
import { runnerFailure, runnerResult } from '../readings.js';

/** `pod2sfn agent` answers the runner's result as the activity's output, and a non-zero exit with SendTaskFailure. */
export const activityHistory: HistoryReader = {
  // An Activity's ARN, or its placeholder before deployment: not a service integration.
  runs: (state) => state.Type === 'Task' && !state.Resource.startsWith('arn:aws:states:::'),
  containerIn: (state) => (state.Type === 'Task' ? asRecord(state.Parameters?.container) : undefined),
  succeeded: runnerResult,
  failed: runnerFailure,
};
