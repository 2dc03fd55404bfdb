import type { Executor } from '../model/workflow.js';
import { activityExecutor } from './activity/asl.js';
import { ecsExecutor } from './ecs/asl.js';
import type { ExecutorEmitter } from './contract.js';
import { lambdaExecutor } from './lambda/asl.js';

export function executorEmitter(executor: Executor): ExecutorEmitter {
  switch (executor) {
    case 'lambda':
      return lambdaExecutor;
    case 'ecs':
      return ecsExecutor;
    case 'activity':
      return activityExecutor;
    default: {
      const unknown: never = executor;
      throw new Error(`no emitter for executor ${String(unknown)}`);
    }
  }
}
