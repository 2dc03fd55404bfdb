import type { Executor } from '../model/workflow.js';
import { activityLocal } from './activity/local.js';
import type { LocalExecutor } from './contract.js';
import { ecsLocal } from './ecs/local.js';
import { lambdaLocal } from './lambda/local.js';

/** What `pod2sfn run`'s engine answers for each executor's Tasks (lib/local/handlers.ts binds them). */
export const LOCAL_HANDLERS: Readonly<Record<Executor, LocalExecutor>> = {
  lambda: lambdaLocal,
  ecs: ecsLocal,
  activity: activityLocal,
};
