import type { Executor } from '../model/workflow.js';
import { activityHistory } from './activity/history.js';
import type { HistoryReader } from './contract.js';
import { ecsHistory } from './ecs/history.js';
import { lambdaHistory } from './lambda/history.js';

/** How each executor's Task events read back (lib/status/history.ts walks the history). Pure. */
export const HISTORY_READERS: Readonly<Record<Executor, HistoryReader>> = {
  lambda: lambdaHistory,
  ecs: ecsHistory,
  activity: activityHistory,
};
