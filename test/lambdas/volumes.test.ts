import { existsSync, lstatSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LambdaVolumes } from '../../lambdas/container-runner/volumes.js';
import type { ValueSource } from '../../lib/runner/index.js';
import { emptyDir, shellLaunch } from '../helpers/containers.js';
import { tempDir } from '../helpers/temp.js';

const values: ValueSource = { read: async () => undefined };
const work = emptyDir('work');
// The Lambda's mounts must be under /tmp: the test's directory is.
const base = tempDir('lambda-volumes-');
const mountAt = (mountPath: string, subPath?: string) =>
  shellLaunch(
    'next',
    'true',
    { mounts: [{ volume: 'work', mountPath, readOnly: false, ...(subPath && { subPath }) }] },
    [work],
  );

describe("the container-runner Lambda's volumes (lambdas/container-runner/volumes.ts)", () => {
  it('links a mount to its subPath inside the volume, made if missing', async () => {
    const volumes = new LambdaVolumes(join(base, 'inside'));
    try {
      await volumes.mount(mountAt(join(base, 'mnt-inside'), 'a/b'), values);
      expect(lstatSync(join(base, 'mnt-inside')).isSymbolicLink()).toBe(true);
      expect(existsSync(join(await volumes.dir(work), 'a/b'))).toBe(true);
    } finally {
      await volumes.reset();
    }
  });

  it('refuses a subPath through a link that leaves the volume, as the host sandbox refuses it', async () => {
    // GIVEN a volume restored with a link, left by the container before, that leads outside it
    const volumes = new LambdaVolumes(join(base, 'escape'));
    try {
      symlinkSync(base, join(await volumes.dir(work), 'escape'));
      // WHEN the next container mounts a subPath through it THEN it cannot start, and no link is made
      await expect(volumes.mount(mountAt(join(base, 'mnt-escape'), 'escape/x'), values)).rejects.toThrow(
        'volume work: subPath "escape/x" leaves the volume',
      );
      expect(existsSync(join(base, 'mnt-escape'))).toBe(false);
    } finally {
      await volumes.reset();
    }
  });
});
