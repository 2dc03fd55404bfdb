import type { Step, Volume, Workflow } from './workflow.js';

/**
 * Which emptyDir volumes a container's runtime restores before it starts and saves after it exits
 * (docs/design.md §9). Deployed, every container is its own Lambda invocation, Fargate task or agent
 * process, so an emptyDir lives on only through these saves, keyed by execution and volume.
 */
export interface VolumeHandoff {
  /** Restored from the volume's latest save before the container starts (no save yet: empty). */
  readonly restore: readonly string[];
  /** Saved after the container exits, whatever its exit code, replacing the volume's latest save. */
  readonly save: readonly string[];
}

/** A container that hands no volume over. */
export const NO_HANDOFF: VolumeHandoff = { restore: [], save: [] };

/** The prefix of every save in the stack's volume bucket (lifecycle rule and IAM follow it). */
export const VOLUME_PREFIX = 'volumes/';

/** One plan per workflow: every step's task input and deployment asks for its own entry. */
const plans = new WeakMap<Workflow, ReadonlyMap<string, VolumeHandoff>>();

/**
 * Each step's handoff, by step id. The kubelet keeps an emptyDir for the pod's life: what an init
 * container wrote is there for every later container, and for the same container when it restarts.
 * So an init container saves each emptyDir it mounts that a later container mounts, or that it finds
 * again itself on a restart; a container restores each emptyDir it mounts that an earlier container,
 * or an earlier attempt of its own, saved.
 *
 * Order is the pod's: init containers and native sidecars in spec order, then the app containers
 * together. App containers and sidecars run beside others until the pod ends, so nothing later reads
 * what they would write: they restore and never save (docs/design.md §9 says what that leaves out).
 */
export function volumeHandoffs(workflow: Workflow): ReadonlyMap<string, VolumeHandoff> {
  const planned = plans.get(workflow);
  if (planned) return planned;
  const emptyDirs = new Set(workflow.volumes.filter(isEmptyDir).map((v) => v.name));
  const order = [...workflow.init, ...workflow.app];
  const mountsOf = order.map((s) =>
    [...new Set(s.container.mounts.map((m) => m.volume))].filter((v) => emptyDirs.has(v)),
  );
  const mountedFrom = new Map<string, number>(); // volume → the last position that mounts it
  mountsOf.forEach((mounts, i) => mounts.forEach((v) => mountedFrom.set(v, i)));
  const saved = new Set<string>();
  const out = new Map<string, VolumeHandoff>();
  order.forEach((step, i) => {
    const mounts = mountsOf[i]!;
    const restarts = step.restart !== undefined;
    const save = step.role !== 'init' ? [] : mounts.filter((v) => restarts || mountedFrom.get(v)! > i);
    const restore = mounts.filter((v) => saved.has(v) || (restarts && save.includes(v)));
    out.set(step.id, mounts.length === 0 ? NO_HANDOFF : { restore: restore.sort(), save: save.sort() });
    save.forEach((v) => saved.add(v));
  });
  plans.set(workflow, out);
  return out;
}

/** One step's handoff (see volumeHandoffs). */
export function handoffOf(workflow: Workflow, step: Step): VolumeHandoff {
  return volumeHandoffs(workflow).get(step.id) ?? NO_HANDOFF;
}

/** Whether a handoff restores or saves any volume. */
export const movesVolumes = ({ restore, save }: VolumeHandoff) => restore.length > 0 || save.length > 0;

/** Whether the step restores or saves a volume: its worker then needs the store. */
export function handsOver(workflow: Workflow, step: Step): boolean {
  return movesVolumes(handoffOf(workflow, step));
}

/** Whether any container of the workflow saves a volume: the deployment then needs a store. */
export function handsOffVolumes(workflow: Workflow): boolean {
  return [...volumeHandoffs(workflow).values()].some((h) => h.save.length > 0);
}

/**
 * Where a volume's latest save lives in the stack's volume bucket: one object per execution and
 * volume, so re-runs and concurrent executions never mix, and a restart finds its own last save.
 * The object is a gzip-compressed tar of the volume's root (modes, symbolic links and empty
 * directories kept), the same from every executor.
 */
export function handoffKey(executionName: string, volume: string): string {
  return `${VOLUME_PREFIX}${executionName}/${volume}.tar.gz`;
}

function isEmptyDir(volume: Volume): boolean {
  return volume.kind === 'emptyDir';
}
