import { describePod } from '../../status/describe.js';
import { historyToPodEvents } from '../../status/history.js';
import { runPod } from '../../status/run-list.js';
import { EXIT } from '../io.js';
import { orNotFound, podRunArgument, resolveRun } from '../run-ref.js';
import type { Invocation } from '../verb.js';

/** `pod2sfn describe` (its flags and help: lib/cli/verbs/describe.ts). */
export async function run(invocation: Invocation): Promise<number> {
  return orNotFound(invocation.io, () => describe(invocation));
}

async function describe(invocation: Invocation): Promise<number> {
  const { values, positionals, io } = invocation;
  const ref = podRunArgument(positionals, 'describe');
  const run = await resolveRun(invocation, ref);
  const { pod, specs } = await run.source.pod();
  const now = new Date();
  const events = historyToPodEvents(await run.source.history(run), pod, now);
  const object = runPod(pod.shape, events, run, specs.pod);
  const flags = (['file', 'stack', 'api'] as const)
    .filter((flag) => values[flag] !== undefined)
    .map((flag) => ` --${flag} ${String(values[flag])}`);
  const logsTarget = flags.length > 0 ? `${run.name}${flags.join('')}` : run.executionArn;
  io.stdout.write(describePod({ pod: object, shape: pod.shape, events, now, logsTarget }));
  return EXIT.ok;
}
