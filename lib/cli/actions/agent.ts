import { hostname } from 'node:os';
import { Agent } from '../../agent/agent.js';
import { stackActivities } from '../../agent/activities.js';
import { localHost } from '../../agent/local-host.js';
import { claimWorkDir, WorkDirHeld } from '../../agent/work-dir.js';
import { dockerAvailable } from '../../local/docker.js';
import { RUNTIMES, type RuntimeName } from '../../local/runtime.js';
import { sfnClient } from '../aws.js';
import { EXIT } from '../io.js';
import { valuesFromFlags } from '../local-values.js';
import { UsageError, type Invocation } from '../verb.js';
import { agentLogGroup, cloudFormationClient } from '../../logs/stack.js';
import { logShippers } from '../../agent/log-shipper.js';
import { s3Stores } from '../../volumes/store.js';

/** `pod2sfn agent` (its flags and help: lib/cli/verbs/agent.ts). */
export async function run({ values, io }: Invocation): Promise<number> {
  const stacks = (values.stack as string[] | undefined) ?? [];
  const activities = [...((values.activity as string[] | undefined) ?? [])];
  if (stacks.length === 0 && activities.length === 0) throw new UsageError('give --stack NAME or --activity ARN');
  const concurrency = wholeNumber(values.concurrency, '--concurrency', 2);
  const grace = wholeNumber(values['grace-period'], '--grace-period', 30);
  const runtime = (values.runtime as RuntimeName | undefined) ?? (dockerAvailable() ? 'docker' : 'host');
  if (!RUNTIMES.includes(runtime))
    throw new UsageError(`unknown runtime ${JSON.stringify(runtime)}: use ${RUNTIMES.join(' or ')}`);

  const log = (line: string) => io.stderr.write(`${line}\n`);
  const given = values['log-group'] as string | undefined;
  const logGroups = new Map<string, string | undefined>(activities.map((arn) => [arn, given]));
  if (stacks.length > 0) {
    const cloudFormation = await cloudFormationClient(io.env);
    for (const stack of stacks) {
      const found = await stackActivities(stack, cloudFormation);
      if (found.length === 0)
        throw new Error(
          `stack ${stack} has no activities: deploy it with the ` +
            `activity executor (pod2sfn deploy FILE --executor activity)`,
        );
      const group = given ?? (await agentLogGroup(stack, cloudFormation));
      for (const arn of found) logGroups.set(arn, group);
      activities.push(...found);
    }
  }
  const workDir = await claimWorkDir(values['work-dir'] as string | undefined).catch((e: unknown) => {
    throw e instanceof WorkDirHeld ? new UsageError(e.message) : e;
  });
  const agent = new Agent({
    client: await sfnClient(io),
    host: localHost({
      runtime,
      values: valuesFromFlags(values, io.cwd),
      graceSeconds: grace,
      workDir: workDir.path,
      stores: s3Stores(io.env),
    }),
    activities,
    workerName: (values['worker-name'] as string | undefined) ?? hostname(),
    concurrency,
    log,
    shippers: await logShippers(logGroups, io.env, log),
  });
  log(`[agent] serving ${activities.length} activities with the ${runtime} runtime, ${concurrency} at a time`);
  agent.start();
  const signal = await new Promise<NodeJS.Signals | 'gone'>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
    void agent.gone.then(() => resolve('gone'));
  });
  if (signal === 'gone') log(`[agent] none of its activities exists any more: stopping`);
  else log(`[agent] ${signal}: no new tasks; waiting up to ${grace}s for running containers`);
  await agent.stop(grace * 1000);
  await workDir.release();
  log('[agent] stopped');
  return signal === 'SIGINT' ? EXIT.interrupted : signal === 'gone' ? EXIT.internal : EXIT.ok;
}

function wholeNumber(value: unknown, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag} ${JSON.stringify(value)}: use a whole number of at least 1`);
  return n;
}
