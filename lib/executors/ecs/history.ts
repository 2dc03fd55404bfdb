import { asRecord, parseObject } from '../../json.js';
import type { ContainerReading, HistoryReader } from '../contract.js';
import { isHelper } from './handoff-helpers.js';

/**
 * runTask.sync answers the stopped task's description. LocalStack returns it whatever the exit code;
 * AWS fails the Task on a non-zero exit with States.TaskFailed and the description as the Cause.
 * The container's name and command are in its task definition, not in the state.
 */
export const ecsHistory: HistoryReader = {
  runs: (state) => state.Type === 'Parallel' || state.Resource.includes(':ecs:'),
  containerIn: () => undefined,
  succeeded: (output) => stoppedTask(output) ?? { exitCode: 0 },
  failed: (error) => {
    const task = parseObject(error.cause);
    const exit = task && stoppedTask(task);
    // AWS fails the Task of a task that never started too: say so when ECS could not read a secret.
    if (exit?.reason === 'CreateContainerConfigError') return exit;
    if (exit?.exitCode === undefined || exit.exitCode === 0) return undefined;
    return { exitCode: exit.exitCode, message: exit.message ?? '' };
  },
};

/**
 * A stopped task's user container, the one that is not a volume helper (docs/design.md §9.x ECS): its
 * exit, or why it never ran (an image that cannot be pulled).
 */
function stoppedTask(task: Record<string, unknown>): ContainerReading | undefined {
  const containers = task.Containers ?? task.containers;
  if (!Array.isArray(containers)) return undefined;
  const first = containers.map((c) => asRecord(c) ?? {}).find((c) => !isHelper(c.Name ?? c.name)) ?? {};
  const exitCode = first.ExitCode ?? first.exitCode;
  const containerReason = String(first.Reason ?? first.reason ?? '');
  const stopped = String(task.StoppedReason ?? task.stoppedReason ?? '');
  if (typeof exitCode === 'number') {
    return {
      exitCode,
      ...(containerReason.includes('OutOfMemory') && { reason: 'OOMKilled' }),
      ...(containerReason && { message: containerReason }),
    };
  }
  const message = containerReason || stopped;
  if (UNREADABLE_SECRET.test(stopped)) return { reason: 'CreateContainerConfigError', message };
  const pull = /CannotPull|pull/i.test(`${containerReason} ${stopped}`);
  return { reason: pull ? 'ErrImagePull' : 'CreateContainerError', message };
}

/**
 * How a task stops when ECS cannot read a value of its `secrets` (a Secret, its JSON key, or a
 * ConfigMap key's parameter missing or not readable): `ResourceInitializationError: unable to pull
 * secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: …`
 * (`… secrets from ssm: …` for SSM), before any container runs. The kubelet calls that
 * CreateContainerConfigError; the same message without `asm`/`ssm` is the registry's (ErrImagePull).
 */
const UNREADABLE_SECRET = /ResourceInitializationError:.*unable to retrieve secrets? from (asm|ssm)/;
