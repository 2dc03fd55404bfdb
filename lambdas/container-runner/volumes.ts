import { mkdir, rm, symlink } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { Volume } from '../../lib/model/workflow.js';
import {
  ContainerConfigError,
  subPathIn,
  volumeNamed,
  writeKeyFiles,
  type Launch,
  type ValueSource,
} from '../../lib/runner/index.js';

/** Where an invocation's volumes live: Lambda's one writable place is /tmp (docs/design.md §9). */
export const VOLUMES_ROOT = '/tmp/.pod2sfn-volumes';

/**
 * The volumes of the container a Lambda runs, one directory each under /tmp, and each mount a
 * symbolic link at its mountPath (which must be under /tmp) to the volume's directory, or to its
 * subPath there. A warm Lambda keeps /tmp between invocations: `reset` removes everything before and
 * after each one, so an emptyDir starts empty and a Secret's files do not outlive the container.
 */
export class LambdaVolumes {
  private readonly links = new Set<string>();

  constructor(private readonly root = VOLUMES_ROOT) {}

  async dir(volume: Volume): Promise<string> {
    const dir = join(this.root, volume.name);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** Makes every mount of the container; ConfigMap and Secret volumes get one file per key. */
  async mount(launch: Launch, values: ValueSource): Promise<void> {
    const { container } = launch;
    const filled = new Set<string>();
    for (const mount of container.mounts) {
      const volume = volumeNamed(launch, mount.volume);
      const path = posix.normalize(mount.mountPath);
      if (!path.startsWith('/tmp/') || path.startsWith(`${this.root}/`) || path === this.root) {
        throw new ContainerConfigError(
          `container ${container.name}: mountPath ${mount.mountPath}: a Lambda can write only under /tmp`,
        );
      }
      const dir = await this.dir(volume);
      if (!filled.has(volume.name)) await writeKeyFiles(dir, volume, values, launch.pod.namespace);
      filled.add(volume.name);
      const target = subPathIn(dir, volume, mount.subPath);
      await rm(path, { recursive: true, force: true });
      await mkdir(dirname(path), { recursive: true });
      await symlink(target, path);
      this.links.add(path);
    }
  }

  async reset(): Promise<void> {
    await Promise.all([...this.links].map((link) => rm(link, { force: true })));
    this.links.clear();
    await rm(this.root, { recursive: true, force: true });
  }
}
