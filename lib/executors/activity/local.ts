import { ContainerFailed, runContainer, type RunnerEvent } from '../../runner/index.js';
import type { LocalExecutor } from '../contract.js';

/** Answers as `pod2sfn agent` does: the task input is the container's; a non-zero exit is SendTaskFailure. */
export const activityLocal: LocalExecutor = {
  run: (task) => async (input) => {
    const result = await task.attempt(() => runContainer(input as RunnerEvent, task.deps(), task.limits));
    const { exitCode, message } = result;
    if (exitCode !== 0) throw new ContainerFailed({ container: task.step.container.name, exitCode, message });
    return { exitCode: 0, message };
  },
  sidecar: {
    started: (handle) => ({ handle }),
    handleIn: (input) => (input as { handle: string }).handle,
  },
};
