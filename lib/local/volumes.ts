import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Volume } from '../model/workflow.js';
import { subPathIn, writeKeyFiles, type ValueSource } from '../runner/index.js';

/** Where `medium: Memory` emptyDirs live: a tmpfs every Linux has, writable without privileges. */
export const MEMORY_ROOT = '/dev/shm';

/**
 * One host directory per pod volume, made when a container first mounts it and kept for the run:
 * an emptyDir shared by an init container and an app container is the same directory. A
 * persistentVolumeClaim lives as long as the run too (there is no cluster to keep it). ConfigMap and
 * Secret volumes are filled from the run's values (`--secrets-dir`), one file per key. An emptyDir
 * of `medium: Memory` is a private directory on /dev/shm (tmpfs), where there is one.
 */
export class VolumeDirs {
  private readonly made = new Map<string, Promise<string>>();
  private readonly inMemory: string[] = [];

  constructor(
    private readonly root: string,
    private readonly values: ValueSource,
    private readonly namespace: string,
    /** Told of each directory made outside `root`, which its owner removes with `root` if the run is killed. */
    private readonly outside: (dir: string) => void = () => undefined,
  ) {}

  dir(volume: Volume): Promise<string> {
    let dir = this.made.get(volume.name);
    if (!dir) {
      dir = this.make(volume);
      this.made.set(volume.name, dir);
    }
    return dir;
  }

  /** The host path a mount of the volume binds: its directory, or `subPath` inside it (lib/runner's subPathIn). */
  async path(volume: Volume, subPath: string | undefined): Promise<string> {
    return subPathIn(await this.dir(volume), volume, subPath);
  }

  /** Removes the tmpfs directories (the others live under `root`, which its owner removes). */
  async close(): Promise<void> {
    await Promise.all(this.inMemory.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  }

  private async make(volume: Volume): Promise<string> {
    if (volume.kind === 'emptyDir' && volume.medium === 'Memory' && existsSync(MEMORY_ROOT)) {
      const dir = await mkdtemp(join(MEMORY_ROOT, `pod2sfn-${volume.name}-`));
      this.inMemory.push(dir);
      this.outside(dir);
      return dir;
    }
    const dir = join(this.root, volume.name);
    await mkdir(dir, { recursive: true });
    await writeKeyFiles(dir, volume, this.values, this.namespace);
    return dir;
  }
}
