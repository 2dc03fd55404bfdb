import { hostname } from 'node:os';
import { Agent } from '../../agent/agent.js';
import { stackActivities } from '../../agent/activities.js';
import { localHost } from '../../agent/local-host.js';
import { claimWorkDir, WorkDirHeld } from '../../agent/work-dir.js';
import { dockerAvailable } from '../../local/docker.js';
import { RUNTIMES, type RuntimeName } from '../../local/runtime.js';
import { sfnClient } from '../aws.js';
import { EXIT } from '../io.js';
import { VALUES_DESCRIPTIONS, VALUES_OPTIONS, valuesFromFlags } from '../local-values.js';
import { UsageError, type Verb } from '../verb.js';
import { agentLogGroup, cloudFormationClient } from '../../logs/stack.js';
import { logShippers } from '../../agent/log-shipper.js';

export const verb: Verb = {
  name: 'agent',
  summary: "Run the containers of deployed pods' activity executor on this machine: pod2sfn's kubelet.",
  usage:
    'pod2sfn agent (--stack NAME | --activity ARN)... [--log-group NAME] [--concurrency N] ' +
    '[--runtime host|docker] [--work-dir DIR] [--values-file FILE] [--secrets-dir DIR]',
  options: {
    stack: { type: 'string', multiple: true },
    activity: { type: 'string', multiple: true },
    'log-group': { type: 'string' },
    concurrency: { type: 'string' },
    runtime: { type: 'string' },
    'work-dir': { type: 'string' },
    ...VALUES_OPTIONS,
    'grace-period': { type: 'string' },
    'worker-name': { type: 'string' },
  },
  descriptions: {
    stack: 'a stack deployed by pod2sfn: serve all of its activities (repeatable)',
    activity: 'an activity ARN to serve (repeatable)',
    'log-group': "ship containers' output there too (default: the --stack's log group; none: printed only)",
    concurrency: 'containers run at the same time (default 2)',
    runtime: `container runtime: ${RUNTIMES.join('|')} (default: docker when it answers, else host)`,
    'work-dir': "this agent's own disk for volumes, locked against other agents (default: a fresh private temp dir)",
    ...VALUES_DESCRIPTIONS,
    'grace-period': 'seconds a running container may finish after SIGTERM before its task is failed (default 30)',
    'worker-name': 'shown in the execution history (default: this host name)',
  },
  details:
    "Polls each activity, runs the container, heartbeats every third of the Task's HeartbeatSeconds, and\n" +
    'answers SendTaskSuccess or SendTaskFailure(Pod2sfn.ContainerFailed) so Retry and Catch behave as\n' +
    'with the other executors. On SIGTERM or Ctrl-C it aborts its polls and lets running containers\n' +
    'finish for the grace period; a container still running then is stopped and its task failed with\n' +
    'Pod2sfn.WorkerStopped (retried). A task whose worker is lost is run again after HeartbeatSeconds\n' +
    "(docs/agent.md). emptyDir volumes are restored from and saved to the stack's volume bucket, so\n" +
    'agents on other machines (or another executor) hand them over. Exits 1 when none of its activities\n' +
    'exists any more. Uses the usual AWS environment and AWS_ENDPOINT_URL (LocalStack).',
  async run({ values, io }) {
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
        const group = given ?? (await agentLogGroup(stack, cloudFormation));
        for (const arn of found) logGroups.set(arn, group);
        if (found.length === 0)
          throw new Error(
            `stack ${stack} has no activities: deploy it with the ` +
              `activity executor (pod2sfn deploy FILE --executor activity)`,
          );
        activities.push(...found);
      }
    }
    const workDir = await claimWorkDir(values['work-dir'] as string | undefined).catch((e: unknown) => {
      throw e instanceof WorkDirHeld ? new UsageError(e.message) : e;
    });
    const { s3Stores } = await import('../../volumes/store.js');
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
  },
};

function wholeNumber(value: unknown, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag} ${JSON.stringify(value)}: use a whole number of at least 1`);
  return n;
}
