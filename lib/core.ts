/**
 * pod2sfn without aws-cdk-lib (`import { compile, podStatus } from 'pod2sfn/core'`): compile a pod spec
 * into Amazon States Language, and map what a run did (PodEvents, or a Step Functions execution history)
 * to a Kubernetes Pod status and the columns of `kubectl get pods`. The root entry (`pod2sfn`) adds the
 * CDK constructs. The CLI imports neither: each verb loads only the modules it uses.
 */
export { compile, definitionJson, type CompileOptions, type CompileResult, type Compiled } from './compile.js';
export { loadPod, type LoadedPod, type LoadOptions, type LoadResult } from './manifest/index.js';
export { DiagnosticError, formatDiagnostic, hasErrors, type Diagnostic, type Severity } from './diagnostics.js';
export { EXECUTORS, parseExecutor, type Executor } from './model/executor.js';
export type { PodShape, StepShape } from './model/pod-shape.js';
export { EXECUTION_NAME_PATTERN, stackNameOf, stateMachineNameOf } from './aws/names.js';
// The status mapper and its kubectl columns, and the reading of a deployed run's execution history.
export * from './status/index.js';
export { deployedPod, historyToPodEvents, type DeployedPod, type HistoryEventLike } from './status/history.js';
