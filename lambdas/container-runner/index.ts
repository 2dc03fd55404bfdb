import { readFile } from 'node:fs/promises';
import {
  ContainerConfigError,
  createHandler,
  spawnGroup,
  type RunnerContext,
  type RunnerDeps,
  type RunnerEvent,
  type RunnerResult,
  type Starter,
  type ValueSource,
} from '../../lib/runner/index.js';
import { s3Stores } from '../../lib/volumes/store.js';
import { awsValues } from './aws-values.js';
import { LambdaVolumes } from './volumes.js';
import { runnerMarker } from '../../lib/logs/locations.js';

/** On Lambda: the command runs as a plain process; its volumes are directories under /tmp (./volumes.ts). */
const lambdaStarter =
  (volumes: LambdaVolumes, values: ValueSource): Starter =>
  async (launch, output) => {
    const { container } = launch;
    const argv = [...container.command, ...container.args];
    if (container.command.length === 0)
      throw new ContainerConfigError(
        `container ${container.name}: no command: the Lambda runner cannot use an image's entrypoint`,
      );
    await volumes.mount(launch, values);
    const running = spawnGroup(
      argv,
      {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp', ...launch.env },
        cwd: container.workingDir ?? '/tmp',
      },
      output,
    );
    const withMessage = async () => ({
      ...(await running.exited),
      terminationMessage: await readFile(container.terminationMessagePath, 'utf8').catch(() => ''),
    });
    const exited = withMessage();
    return { exited, stop: async (grace) => (await running.stop(grace), exited) };
  };

/** Output goes to the function's log (CloudWatch), as it comes. */
const lambdaOutput: RunnerDeps['output'] = (chunk, stream) =>
  (stream === 'stdout' ? process.stdout : process.stderr).write(chunk);

const volumes = new LambdaVolumes();
// Each AWS SDK client is imported at its first use (a Secret read, a volume handed over): a cold start
// loads none of them (test/package: the runner bundle).
const values = awsValues();
const deployed = createHandler({
  values,
  start: lambdaStarter(volumes, values),
  output: lambdaOutput,
  handoff: { store: s3Stores(process.env), dir: (volume) => volumes.dir(volume) },
});

/** The deployed entry point (`lambdas/container-runner/index.ts`, export `handler`). */
export const handler = async (event: RunnerEvent, context: RunnerContext): Promise<RunnerResult> => {
  await volumes.reset();
  // `pod2sfn logs` finds this invocation's lines after this one (lib/logs/locations.ts).
  process.stdout.write(`${runnerMarker(event.execution, event.container.name)}\n`);
  try {
    return await deployed(event, context);
  } finally {
    await volumes.reset();
  }
};
