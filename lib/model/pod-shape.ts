import type { ContainerRun, Step, Workflow } from './workflow.js';

/**
 * What reading a pod's status needs to know of one of its steps. A Step is one; so is what
 * `deployedPod` reads back from a deployed definition when the spec is not at hand.
 */
export interface StepShape extends Pick<Step, 'id' | 'role' | 'index' | 'executor' | 'restart' | 'failurePolicy'> {
  readonly container: Pick<ContainerRun, 'name' | 'image' | 'command' | 'args'>;
}

/** What reading a pod's status needs to know of the pod: a Workflow is one. */
export interface PodShape
  extends
    Pick<Workflow, 'name' | 'namespace' | 'kind' | 'labels' | 'annotations' | 'deadlineSeconds' | 'podRetry'>,
    Partial<Pick<Workflow, 'restartPolicy'>> {
  /** Init containers and native sidecars, in spec order. */
  readonly init: readonly StepShape[];
  readonly app: readonly StepShape[];
}
