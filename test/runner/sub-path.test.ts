import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { subPathIn } from '../../lib/runner/index.js';
import { emptyDir } from '../helpers/containers.js';

const made: string[] = [];
/** A volume's directory, and a directory beside it that is not the volume. */
function volumeAndOutside() {
  const root = mkdtempSync(join(tmpdir(), 'pod2sfn-subpath-'));
  made.push(root);
  mkdirSync(join(root, 'vol'));
  mkdirSync(join(root, 'outside'));
  return { dir: join(root, 'vol'), outside: join(root, 'outside') };
}
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const work = emptyDir('work');

describe('a mount subPath stays inside its volume (lib/runner/sub-path.ts)', () => {
  it('binds the volume itself without a subPath, and makes a subPath that is not there yet', () => {
    const { dir } = volumeAndOutside();
    expect(subPathIn(dir, work, undefined)).toBe(dir);
    expect(subPathIn(dir, work, '')).toBe(dir);
    // GIVEN a nested subPath that does not exist WHEN mounted THEN it is made inside the volume
    expect(subPathIn(dir, work, 'a/b')).toBe(join(dir, 'a/b'));
    expect(existsSync(join(dir, 'a/b'))).toBe(true);
  });

  it('cannot climb above the volume with ..', () => {
    const { dir } = volumeAndOutside();
    expect(subPathIn(dir, work, '../../etc')).toBe(join(dir, 'etc'));
  });

  it('follows a symbolic link that leads inside the volume', () => {
    const { dir } = volumeAndOutside();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'alias'));
    expect(subPathIn(dir, work, 'alias/sub')).toBe(join(dir, 'alias/sub'));
    expect(existsSync(join(dir, 'real/sub'))).toBe(true);
  });

  it.each([
    ['to a directory outside it', (outside: string) => outside, 'leaves the volume'],
    ['nowhere (yet)', (outside: string) => join(outside, 'missing'), 'a symbolic link on its way leads nowhere'],
  ])('refuses a subPath through a link a container left there leading %s, and makes nothing', (_, to, why) => {
    // GIVEN a link in the volume, as a container before could leave one
    const { dir, outside } = volumeAndOutside();
    symlinkSync(to(outside), join(dir, 'escape'));
    // WHEN a later container mounts a subPath through it THEN it cannot start, and nothing is made outside
    expect(() => subPathIn(dir, work, 'escape/x')).toThrow(`volume work: subPath "escape/x"`);
    expect(() => subPathIn(dir, work, 'escape/x')).toThrow(why);
    expect(existsSync(join(outside, 'x'))).toBe(false);
    expect(existsSync(join(outside, 'missing'))).toBe(false);
  });
});
