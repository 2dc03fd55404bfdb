import { handoffOf, movesVolumes } from '../model/handoff.js';
import type { ContainerRun, Step, Volume, Workflow } from '../model/workflow.js';
import { placeholder, SUBSTITUTIONS } from './substitutions.js';

/**
 * The input every container Task carries: the Lambda runner's Payload, an activity's input. It holds
 * what a runtime needs to run the container and never a secret value (only references).
 *
 * `command` and `args` travel as JSON text: asl-validator, which the tests run on every definition,
 * refuses an empty or multi-line string inside an array in Parameters, although Step Functions takes
 * them, and real commands hold both (`sh -c` scripts, `""` arguments).
 */
export interface ContainerTaskInput {
  readonly pod: { readonly name: string; readonly namespace: string };
  readonly container: WireContainer;
  /** The volumes this container mounts. */
  readonly volumes: readonly Volume[];
  /** Present when the container restores or saves an emptyDir (docs/design.md §9). */
  readonly handoff?: TaskHandoff;
}

/** Which emptyDirs the worker restores before the command and saves after it, in which bucket. */
export interface TaskHandoff {
  /** The stack's volume bucket (its name, through the `VolumeBucket` substitution). */
  readonly bucket: string;
  readonly restore: readonly string[];
  readonly save: readonly string[];
}

export interface WireContainer extends Omit<ContainerRun, 'command' | 'args'> {
  /** JSON text of the command array. */
  readonly command: string;
  /** JSON text of the args array. */
  readonly args: string;
}

/** The input of a step's Task: its container, the volumes it mounts and what of them it hands over. */
export function containerTaskInput(workflow: Workflow, step: Step): ContainerTaskInput {
  const mounted = new Set(step.container.mounts.map((m) => m.volume));
  const handoff = handoffOf(workflow, step);
  return {
    pod: { name: workflow.name, namespace: workflow.namespace },
    container: encodeContainer(step.container),
    volumes: workflow.volumes.filter((v) => mounted.has(v.name)),
    ...(movesVolumes(handoff) && { handoff: { bucket: placeholder(SUBSTITUTIONS.volumeBucket), ...handoff } }),
  };
}

export function encodeContainer(container: ContainerRun): WireContainer {
  return { ...container, command: JSON.stringify(container.command), args: JSON.stringify(container.args) };
}

/** The container as the model has it, from a task's input (as a runtime receives it). */
export function decodeContainer(wire: WireContainer): ContainerRun {
  return { ...wire, command: parseStrings(wire.command, 'command'), args: parseStrings(wire.args, 'args') };
}

function parseStrings(text: string, field: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw new Error(`task input: container.${field} is not a JSON array of strings`);
  return value;
}
