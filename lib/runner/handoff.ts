import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { handoffKey } from '../model/handoff.js';
import type { Volume } from '../model/workflow.js';
import { HostileArchive, LinkLeavesVolume, packVolume, unpackVolume, volumeBytes } from '../volumes/archive.js';
import type { VolumeStore } from '../volumes/store.js';
import { ERRORS } from '../asl/errors.js';
import { ContainerConfigError, VolumeError } from './errors.js';
import { volumeNamed } from './launch.js';
import type { RunnerEvent } from './types.js';

/** What a worker gives the runner to hand emptyDirs over between the containers of a run (docs/design.md §9). */
export interface HandoffDeps {
  /** The store of the bucket the task input names. */
  store(bucket: string): VolumeStore;
  /** The directory that is the volume's root for the container about to run (made if missing). */
  dir(volume: Volume): Promise<string>;
}

/**
 * Before the command: each volume the task input lists is emptied and filled from its latest save
 * (none yet: it stays empty), as the kubelet gives a container the emptyDir an earlier one wrote.
 */
export async function restoreVolumes(event: RunnerEvent, deps: HandoffDeps): Promise<void> {
  const handoff = event.handoff!;
  const store = deps.store(handoff.bucket);
  for (const name of handoff.restore) {
    const dir = await deps.dir(volumeNamed(event, name));
    await emptyDirectory(dir);
    const key = handoffKey(event.execution, name);
    try {
      const archive = await store.get(key);
      if (archive) await unpackVolume(archive, dir);
    } catch (e) {
      if (e instanceof HostileArchive) throw new ContainerConfigError(`volume ${name}: its save ${e.message}`);
      throw new VolumeError(
        ERRORS.volumeRestoreFailed,
        `volume ${name}: cannot restore ${where(handoff.bucket, key)}: ${reason(e)}`,
      );
    }
  }
}

/**
 * After the command, whatever its exit code: each volume the task input lists replaces its latest
 * save. A volume over its sizeLimit is not saved: it raises Pod2sfn.VolumeSizeLimitExceeded (the
 * kubelet evicts such a pod), naming the volume and both sizes. One holding a symbolic link out of
 * it, which no restore would accept, is not saved either: the answer is the message that fails the
 * container.
 */
export async function saveVolumes(event: RunnerEvent, deps: HandoffDeps): Promise<string | undefined> {
  const handoff = event.handoff!;
  const store = deps.store(handoff.bucket);
  for (const name of handoff.save) {
    const volume = volumeNamed(event, name);
    const dir = await deps.dir(volume);
    const limit = volume.sizeLimitBytes;
    if (limit !== undefined) {
      const bytes = await volumeBytes(dir);
      if (bytes > limit)
        throw new VolumeError(
          ERRORS.volumeSizeLimitExceeded,
          `volume ${name}: ${mebibytes(bytes)} written, over its sizeLimit of ${mebibytes(limit)} ` +
            `(${bytes} > ${limit} bytes)`,
        );
    }
    const key = handoffKey(event.execution, name);
    try {
      await store.put(key, packVolume(dir));
    } catch (e) {
      const link = e instanceof LinkLeavesVolume ? e : (e as { cause?: unknown }).cause;
      if (link instanceof LinkLeavesVolume) return `volume ${name}: ${link.message}: it cannot be handed over`;
      throw new VolumeError(
        ERRORS.volumeSaveFailed,
        `volume ${name}: cannot save ${where(handoff.bucket, key)}: ${reason(e)}`,
      );
    }
  }
  return undefined;
}

/** Empties the directory, not removing it: it may be a mount point or the target of a link. */
async function emptyDirectory(dir: string): Promise<void> {
  const names = await readdir(dir);
  await Promise.all(names.map((n) => rm(join(dir, n), { recursive: true, force: true })));
}

function where(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

function reason(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
