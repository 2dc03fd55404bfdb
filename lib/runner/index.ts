/** The container runner: what the Lambda handler, the local engine and the agent share (docs/design.md §6). */
export { boundMessage, logTail, MESSAGE_LIMITS, Tail } from './capture.js';
export { resolveEnv, type RuntimeFields } from './env.js';
export { ContainerConfigError, ContainerFailed, ContainerNotStarted, VolumeError } from './errors.js';
export { expand, expandCommand } from './expand.js';
export type { HandoffDeps } from './handoff.js';
export { realPathOf, subPathIn } from './sub-path.js';
export { writeKeyFiles } from './volume-files.js';
export { createHandler, timeBudget, type RunnerContext, type RunnerResult } from './handler.js';
export { prepareLaunch, volumeNamed } from './launch.js';
export { runContainer, type ContainerResult, type RunLimits, type RunnerDeps } from './run.js';
export { spawnGroup, type SpawnOptions } from './spawn.js';
export type { Exit, Launch, OutputSink, Running, RunnerEvent, Starter, ValueSource } from './types.js';
