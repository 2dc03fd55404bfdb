import { existsSync, lstatSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import type { Volume } from '../model/workflow.js';
import { ContainerConfigError } from './errors.js';

/**
 * The directory a mount of `volume` (whose directory is `dir`) with this subPath binds, made if missing.
 * As the kubelet does, a subPath that leaves the volume is refused: `..` cannot climb above it, and a
 * symbolic link on the way (one a container before left there) must lead inside it. Every runtime's
 * mounts go through here: the host sandbox's and Docker's binds (VolumeDirs.path), the Lambda's /tmp links.
 */
export function subPathIn(dir: string, volume: Volume, subPath: string | undefined): string {
  if (subPath === undefined || subPath === '') return dir;
  const path = join(dir, normalize(`/${subPath}`));
  const real = realpathSync(dir);
  for (let p = path; p !== dir; p = dirname(p)) {
    let isLink: boolean;
    try {
      isLink = lstatSync(p).isSymbolicLink();
    } catch {
      continue; // not there yet: made below
    }
    if (!isLink) continue;
    const target = realPathOf(p);
    const where = `volume ${volume.name}: subPath ${JSON.stringify(subPath)}`;
    // A link that leads nowhere yet could be made to lead anywhere before the mount: refused too.
    if (target === undefined) throw new ContainerConfigError(`${where}: a symbolic link on its way leads nowhere`);
    if (target !== real && !target.startsWith(real + sep)) throw new ContainerConfigError(`${where} leaves the volume`);
  }
  if (!existsSync(path)) mkdirSync(path, { recursive: true });
  return path;
}

/** Where a path leads once every symbolic link is followed; undefined where it leads nowhere. */
export function realPathOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
