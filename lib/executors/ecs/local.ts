import { runContainer } from '../../runner/index.js';
import type { LocalExecutor } from '../contract.js';

/** Answers as ECS does: runTask.sync returns the stopped task, whose exit code the ASL checks itself. */
export const ecsLocal: LocalExecutor = {
  run: (task) => async () => {
    const result = await task.attempt(() => runContainer(task.event(), task.deps(), task.limits));
    return { TaskArn: task.taskArn, Containers: [{ Name: task.step.container.name, ExitCode: result.exitCode }] };
  },
  sidecar: {
    // runTask (no .sync) returns the started task; stopTask names it.
    started: (handle) => ({ Tasks: [{ TaskArn: handle }] }),
    handleIn: (input) => (input as { Task: string }).Task,
  },
};
