import { createRequire } from 'node:module';
import type { Role } from '../model/workflow.js';

// node:crypto on first use only: loading it costs every validate and synth ~5 ms, and a name is rarely long.
const require = createRequire(import.meta.url);

/** Step Functions' limit on a state name (docs/design.md §3). */
export const MAX_STATE_NAME = 80;

/**
 * Hands out state names that are unique across the whole definition (Parallel branches included)
 * and at most 80 characters: a long name keeps its start and ends in a short hash of the whole.
 */
export class StateNames {
  private readonly used = new Set<string>();

  take(wanted: string): string {
    let name = wanted.length <= MAX_STATE_NAME ? wanted : shorten(wanted);
    for (let n = 2; this.used.has(name); n++) name = shorten(`${wanted} #${n}`, true);
    this.used.add(name);
    return name;
  }
}

function shorten(name: string, always = false): string {
  if (!always && name.length <= MAX_STATE_NAME) return name;
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_STATE_NAME - hash.length - 1)}~${hash}`;
}

/**
 * A state named after one container (`Init: migrate`), written by the emitter and read back from a
 * deployed definition through the same prefix. A name that StateNames shortened keeps its prefix,
 * not always the whole container name.
 */
export class ContainerStateName {
  constructor(private readonly prefix: string) {}

  of(container: string): string {
    return `${this.prefix}${container}`;
  }

  /** The container a state of this kind is named after; undefined for any other state. */
  containerIn(state: string): string | undefined {
    return state.startsWith(this.prefix) ? state.slice(this.prefix.length) : undefined;
  }

  names(state: string): boolean {
    return this.containerIn(state) !== undefined;
  }
}

const named = (prefix: string) => new ContainerStateName(prefix);

/**
 * Every state name pod2sfn gives: the contract between the emitter, which writes them, and whatever
 * reads a definition or an execution history back (`deployedPod`, `pod2sfn status`, LocalStack mock
 * configurations, a user's dashboards). Changing one changes every deployed definition.
 */
export const STATE_NAMES = {
  /** The single-branch Parallel a Job retries whole (restartPolicy Never). */
  pod: 'Pod',
  /** The Parallel of the app containers. */
  containers: 'Containers',
  checkContainers: 'Check containers',
  podFailurePolicy: 'Pod failure policy',
  podFailurePolicyRule: (index: number, action: string) => `Pod failure policy rule ${index}: ${action}`,
  stopSidecars: 'Stop sidecars',
  /** Before stopping the next sidecar: was it started at all? */
  stopSidecarIfStarted: (container: string) => `Stop sidecars: ${container}?`,
  podOutcome: 'Pod outcome',
  podFailed: 'Pod failed',
  /** A Choice: a recorded States.* error cannot be raised by a Fail state (docs/design.md §3). */
  podFailureName: 'Pod failed: error name?',
  podFailureRenamed: 'Pod failed: as Pod2sfn error',
  podSucceeded: 'Pod succeeded',

  /** The state that runs (or, for a sidecar, starts) a container of each role. */
  step: {
    init: named('Init: '),
    sidecar: named('Start sidecar: '),
    app: named('Run: '),
  } satisfies Record<Role, ContainerStateName>,
  /** Where an app container's branch ends when it failed. */
  caught: named('Caught: '),
  stopSidecar: named('Stop sidecar: '),
  /** Records a failure at `$.failure`. */
  failed: named('Failed: '),
  /** Records a failure at `$.failure` with its exit code, for a podFailurePolicy. */
  exitFailure: named('Exit failure: '),
  unwrapLambdaError: named('Unwrap Lambda error: '),

  /** Inside the ECS executor's single-branch Parallel (lib/executors/ecs/asl.ts). */
  ecs: {
    task: named('ECS task: '),
    checkExitCode: named('Check exit code: '),
    exited0: named('Exited 0: '),
    nonZeroExit: named('Non-zero exit: '),
    failureCause: named('Failure cause: '),
    exitedNonZero: named('Exited non-zero: '),
    neverRan: named('Never ran: '),
    taskFailed: named('ECS task failed: '),
    stoppedTask: named('Stopped task: '),
    error: named('ECS error: '),
    describeError: named('Describe ECS error: '),
    taskError: named('ECS task error: '),
    /** A task that hands volumes over: its containers' entries picked out of the stopped task. */
    select: named('Containers: '),
    restoreFailed: named('Restore failed: '),
    saveFailed: named('Save failed: '),
    overLimit: named('Over sizeLimit: '),
    describeOverLimit: named('Describe over sizeLimit: '),
  },
} as const;
