import { ContainerConfigError, ContainerFailed, ContainerNotStarted } from './errors.js';
import { runContainer, type ContainerResult, type RunnerDeps } from './run.js';
import type { RunnerEvent } from './types.js';

/** The part of the Lambda context the runner reads. */
export interface RunnerContext {
  getRemainingTimeInMillis(): number;
}

/** What the Task's ResultSelector reads from `$.Payload`. */
export interface RunnerResult {
  readonly exitCode: 0;
  readonly message: string;
}

/**
 * The container-runner Lambda's logic, with what it reads and runs injected: the deployed function
 * (lambdas/container-runner) reads Secrets Manager and spawns the command; `pod2sfn run` gives it
 * local values and its own runtime. A non-zero exit throws ContainerFailed, as Step Functions sees it.
 */
export function createHandler(deps: RunnerDeps, options: { graceSeconds?: number; signal?: AbortSignal } = {}) {
  return async (event: RunnerEvent, context: RunnerContext): Promise<RunnerResult> => {
    let result: ContainerResult;
    try {
      result = await runContainer(event, deps, {
        timeoutMs: timeBudget(context.getRemainingTimeInMillis()),
        ...options,
      });
    } catch (e) {
      if (e instanceof ContainerConfigError) throw new ContainerNotStarted(e.message);
      throw e;
    }
    if (result.exitCode !== 0)
      throw new ContainerFailed({
        container: event.container.name,
        exitCode: result.exitCode,
        message: result.message,
      });
    return { exitCode: 0, message: result.message };
  };
}

/** A little under the Lambda's remaining time, to report the failure before the Lambda is killed. */
export function timeBudget(remainingMs: number): number {
  return Math.max(100, remainingMs - Math.min(5000, Math.max(500, remainingMs * 0.1)));
}
