export { addPodStacks, USAGE } from './app.js';
export { EXECUTION_NAME_PATTERN, stackNameOf, stateMachineNameOf } from './names.js';
export {
  ContainerRunnerFunction,
  RUNNER_BUNDLE_DIR,
  type ContainerRunnerFunctionProps,
} from '../executors/lambda/container-runner-function.js';
export { FargateContainerTask, type FargateContainerTaskProps } from '../executors/ecs/fargate-container-task.js';
export { PodCluster, type PodClusterProps } from '../executors/ecs/pod-cluster.js';
export { PodRunsApi, type PodRunsApiProps, type RunsApiAuthorization } from './pod-runs-api.js';
export { PodStack, suppressAcceptedFindings, type PodStackProps } from './pod-stack.js';
export { PodStateMachine, type PodStateMachineProps } from './pod-state-machine.js';
export { configMapParameterName, referencesOf, type StepReferences } from '../model/references.js';
