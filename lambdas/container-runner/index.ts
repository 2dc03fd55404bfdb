import { readFile } from 'node:fs/promises';
import { ERRORS, type ContainerFailureCause } from '../../lib/asl/errors.js';
import { runContainer, type ContainerResult, type RunnerDeps } from './run.js';
import { spawnGroup } from './spawn.js';
import { ContainerConfigError, type RunnerEvent, type Starter } from './types.js';

export type { RunnerEvent } from './types.js';

/** The part of the Lambda context the runner reads. */
export interface RunnerContext {
  getRemainingTimeInMillis(): number;
}

/** What the Task's ResultSelector reads from `$.Payload`. */
export interface RunnerResult {
  readonly exitCode: 0;
  readonly message: string;
}

/** A non-zero exit: the error the state machine's Retry and Catch match; its message is the JSON Cause. */
export class ContainerFailed extends Error {
  constructor(readonly failure: ContainerFailureCause) {
    super(JSON.stringify(failure));
    this.name = ERRORS.containerFailed;
  }
}

/** The container could not start (a missing Secret key, no command): not a restartable failure. */
export class ContainerNotStarted extends Error {
  constructor(message: string) {
    super(message);
    this.name = ERRORS.containerNotStarted;
  }
}

/**
 * The container-runner Lambda, with what it reads and runs injected: the deployed function reads
 * Secrets Manager and spawns the command; `pod2sfn run` gives it local values and its own runtime.
 */
export function createHandler(deps: RunnerDeps, options: { graceSeconds?: number; signal?: AbortSignal } = {}) {
  return async (event: RunnerEvent, context: RunnerContext): Promise<RunnerResult> => {
    let result: ContainerResult;
    try {
      result = await runContainer(event, deps, { timeoutMs: timeBudget(context.getRemainingTimeInMillis()), ...options });
    } catch (e) {
      if (e instanceof ContainerConfigError) throw new ContainerNotStarted(e.message);
      throw e;
    }
    if (result.exitCode !== 0) throw new ContainerFailed({ container: event.container.name, exitCode: result.exitCode, message: result.message });
    return { exitCode: 0, message: result.message };
  };
}

/** A little under the Lambda's remaining time, to report the failure before the Lambda is killed. */
export function timeBudget(remainingMs: number): number {
  return Math.max(100, remainingMs - Math.min(5000, Math.max(500, remainingMs * 0.1)));
}

/** On Lambda: the command runs as a plain process; /tmp is the one writable place. */
const lambdaStarter: Starter = async (launch, output) => {
  const { container } = launch;
  const argv = [...container.command, ...container.args];
  if (container.command.length === 0) throw new ContainerConfigError(`container ${container.name}: no command: the Lambda runner cannot use an image's entrypoint`);
  const running = spawnGroup(argv, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp', ...launch.env }, cwd: container.workingDir ?? '/tmp' }, output);
  const withMessage = async () => ({ ...(await running.exited), terminationMessage: await readFile(container.terminationMessagePath, 'utf8').catch(() => '') });
  const exited = withMessage();
  return { exited, stop: async (grace) => (await running.stop(grace), exited) };
};

/** Output goes to the function's log (CloudWatch), as it comes. */
const lambdaOutput: RunnerDeps['output'] = (chunk, stream) => (stream === 'stdout' ? process.stdout : process.stderr).write(chunk);

let deployed: ReturnType<typeof createHandler> | undefined;

/** The deployed entry point (`lambdas/container-runner/index.ts`, export `handler`). */
export const handler = async (event: RunnerEvent, context: RunnerContext): Promise<RunnerResult> => {
  // Loaded here, not at the top: `pod2sfn run` imports this module and has no use for the AWS clients.
  deployed ??= createHandler({ values: (await import('./aws-values.js')).awsValues(), start: lambdaStarter, output: lambdaOutput });
  return deployed(event, context);
};
