import { runContainer } from '../../runner/index.js';
import type { LocalExecutor } from '../contract.js';
import { HELPERS } from './handoff-helpers.js';

/**
 * Answers as ECS does: runTask.sync returns the stopped task, whose exit code the ASL checks itself.
 * Locally the volumes are shared on the host, so the restore and save helpers have nothing to do: the
 * answer lists them as exited 0, as a task definition with them would (the check selects them by name).
 */
export const ecsLocal: LocalExecutor = {
  run: (task) => async () => {
    const result = await task.attempt(() => runContainer(task.event(), task.deps(), task.limits));
    const helpers = Object.values(HELPERS).map((Name) => ({ Name, ExitCode: 0 }));
    return {
      TaskArn: task.taskArn,
      Containers: [{ Name: task.step.container.name, ExitCode: result.exitCode }, ...helpers],
    };
  },
  sidecar: {
    // runTask (no .sync) returns the started task; stopTask names it.
    started: (handle) => ({ Tasks: [{ TaskArn: handle }] }),
    handleIn: (input) => (input as { Task: string }).Task,
  },
};
