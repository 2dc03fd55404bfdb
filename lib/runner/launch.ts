import { decodeContainer } from '../asl/task-input.js';
import type { Volume } from '../model/workflow.js';
import { resolveEnv, type RuntimeFields } from './env.js';
import { ContainerConfigError } from './errors.js';
import { expandCommand } from './expand.js';
import type { Launch, RunnerEvent, ValueSource } from './types.js';

/**
 * What a runtime is asked to start for a Task's input: the container decoded, its environment
 * resolved (Secrets and ConfigMaps read, fieldRefs filled) and `$(VAR)` expanded in its command and
 * args. The one path from a task input to a started container: the Lambda handler, the local
 * engine (containers and sidecars) and the agent all go through it.
 */
export async function prepareLaunch(event: RunnerEvent, values: ValueSource, runtime: RuntimeFields): Promise<Launch> {
  const decoded = decodeContainer(event.container);
  const env = await resolveEnv(decoded, event.pod.namespace, values, runtime);
  return {
    pod: event.pod,
    execution: event.execution,
    container: expandCommand(decoded, env),
    volumes: event.volumes,
    env,
  };
}

/**
 * The volume of that name among those the task input gives the container (the ones it mounts): a mount or
 * a handoff of a volume it has not cannot run.
 */
export function volumeNamed(
  input: { readonly container: { readonly name: string }; readonly volumes: readonly Volume[] },
  name: string,
): Volume {
  const volume = input.volumes.find((v) => v.name === name);
  if (!volume) throw new ContainerConfigError(`container ${input.container.name}: volume ${name} is not in the pod`);
  return volume;
}
