import type { Executor } from '../model/workflow.js';
import { activityExecutor } from './activity/asl.js';
import type { ExecutorEmitter } from './contract.js';
import { ecsExecutor } from './ecs/asl.js';
import { lambdaExecutor } from './lambda/asl.js';

/** Each executor's Task states (lib/asl/emit.ts asks them). Pure: validate and synth load it. */
export const EMITTERS: Readonly<Record<Executor, ExecutorEmitter>> = {
  lambda: lambdaExecutor,
  ecs: ecsExecutor,
  activity: activityExecutor,
};
