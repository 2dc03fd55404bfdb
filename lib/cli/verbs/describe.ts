import { describePod } from '../../status/describe.js';
import { historyToPodEvents } from '../../status/history.js';
import { runPod } from '../../status/run-list.js';
import { EXIT } from '../io.js';
import { orNotFound, podRunArgument, resolveRun, RUN_DESCRIPTIONS, RUN_OPTIONS } from '../run-ref.js';
import type { Invocation, Verb } from '../verb.js';

export const verb: Verb = {
  name: 'describe',
  summary: "Describe a run of a deployed pod in kubectl describe pod's layout: containers, conditions, events.",
  usage: 'pod2sfn describe pod (EXECUTION_ARN | RUN -f FILE | RUN --stack NAME | RUN --api URL)',
  options: RUN_OPTIONS,
  descriptions: RUN_DESCRIPTIONS,
  details:
    "Each container's state, last state, exit code, restarts and termination message; the pod's conditions;\n" +
    'the Events table from the execution history; and the pod2sfn logs command of each container.',
  run: (invocation) => orNotFound(invocation.io, () => describe(invocation)),
};

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
