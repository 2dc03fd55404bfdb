import { StateNames } from '../../../lib/asl/names.js';
import { containerTaskInput } from '../../../lib/asl/task-input.js';
import type { StateMachineDefinition } from '../../../lib/asl/types.js';
import { ecsExecutor } from '../../../lib/executors/ecs/asl.js';
import { loadPod } from '../../../lib/manifest/index.js';
import { plan } from '../../../lib/model/plan.js';
import { allSteps, type Workflow } from '../../../lib/model/workflow.js';

/**
 * An init container that restarts on failure, so its task restores and saves the emptyDir it shares
 * with the app container: all four helpers around it.
 */
export const HANDOFF_SPEC = `apiVersion: v1
kind: Pod
metadata: { name: hands-off }
spec:
  restartPolicy: OnFailure
  initContainers:
    - { name: fill, image: alpine, command: ["true"], volumeMounts: [{ name: work, mountPath: /work }] }
  containers:
    - { name: main, image: alpine, volumeMounts: [{ name: work, mountPath: /data, readOnly: true }] }
  volumes: [{ name: work, emptyDir: { sizeLimit: 1Mi } }]
`;

export function handoffWorkflow(): Workflow {
  return plan(loadPod(HANDOFF_SPEC).pod!, { executor: 'ecs' }).workflow!;
}

/**
 * The ECS state of one container with its handoff in the task input (as lib/asl/task-input.ts gives
 * it), alone in a machine that retries the executor's transient errors once, a second apart.
 */
export function handoffMachine(container: string): StateMachineDefinition {
  const workflow = handoffWorkflow();
  const step = allSteps(workflow).find((s) => s.container.name === container)!;
  const input = containerTaskInput(workflow, step);
  const state = ecsExecutor.run(step, input, new StateNames());
  const retry = [{ ErrorEquals: [...ecsExecutor.transientErrors], IntervalSeconds: 1, MaxAttempts: 1, BackoffRate: 1 }];
  const run = { ...state, Retry: retry, End: true } as StateMachineDefinition['States'][string];
  return { Comment: 'the ECS state of one container', QueryLanguage: 'JSONPath', StartAt: 'Run', States: { Run: run } };
}
