import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import type { RunnerEvent } from '../../lib/runner/index.js';
import { saveVolumes } from '../../lib/runner/handoff.js';
import { HostileArchive, packVolume, unpackVolume, type VolumeStore } from '../../lib/volumes/index.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('volumes-test-');
let count = 0;
const fresh = () => {
  const path = join(dir, `d${++count}`);
  mkdirSync(path);
  return path;
};

/** What a directory holds: each entry's type, mode and content or link target. */
function listing(root: string, at = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(root, at)).sort()) {
    const path = join(at, name);
    const stats = lstatSync(join(root, path));
    const mode = (stats.mode & 0o7777).toString(8);
    if (stats.isSymbolicLink()) out[path] = `link -> ${readlinkSync(join(root, path))}`;
    else if (stats.isDirectory()) Object.assign(out, { [path]: `dir ${mode}` }, listing(root, path));
    else out[path] = `file ${mode} ${readFileSync(join(root, path), 'utf8')}`;
  }
  return out;
}

/** A gzip'd tar holding one entry, written as a hostile store would. */
async function archiveWith(header: Partial<tar.HeaderData>): Promise<Readable> {
  const source = fresh();
  writeFileSync(join(source, 'x'), 'x');
  const chunks: Buffer[] = [];
  const pack = tar.create({ cwd: source, gzip: true, portable: true, onWriteEntry: (e) => Object.assign(e, header) }, [
    'x',
  ]);
  for await (const chunk of pack as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  return Readable.from(Buffer.concat(chunks));
}

function saveEvent(sizeLimitBytes?: number): RunnerEvent {
  return {
    execution: 'e1',
    container: { name: 'fill' },
    volumes: [{ name: 'work', kind: 'emptyDir', optional: false, ...(sizeLimitBytes && { sizeLimitBytes }) }],
    handoff: { bucket: 'b', restore: [], save: ['work'] },
  } as unknown as RunnerEvent;
}

describe('volume archive', () => {
  it('restores a nested tree with its modes, symbolic links and empty directories', async () => {
    // GIVEN a volume with a nested file, an executable, a relative link and an empty dir
    const source = fresh();
    mkdirSync(join(source, 'a/b'), { recursive: true });
    writeFileSync(join(source, 'a/b/deep.txt'), 'deep');
    writeFileSync(join(source, 'run.sh'), '#!/bin/sh\n');
    chmodSync(join(source, 'run.sh'), 0o750);
    symlinkSync('a/b/deep.txt', join(source, 'link'));
    mkdirSync(join(source, 'empty'), { mode: 0o700 });
    chmodSync(join(source, 'empty'), 0o700);
    // WHEN it is packed and unpacked elsewhere
    const target = fresh();
    await unpackVolume(packVolume(source), target);
    // THEN the tree is the same, entry for entry
    expect(listing(target)).toEqual(listing(source));
    expect(listing(target)['run.sh']).toBe('file 750 #!/bin/sh\n');
    expect(listing(target)['empty']).toBe('dir 700');
  });

  it.each([
    ['an absolute path', { path: '/tmp/evil' }, 'is an absolute path'],
    ['a path that climbs out', { path: '../evil' }, 'leaves the volume'],
    ['a symbolic link out', { type: 'SymbolicLink', linkpath: 'a/../../etc', size: 0 }, 'symbolic link to outside'],
    ['an absolute symbolic link', { type: 'SymbolicLink', linkpath: '/etc', size: 0 }, 'symbolic link to outside'],
    ['a hard link to outside', { type: 'Link', linkpath: '/etc/passwd', size: 0 }, 'hard link to outside'],
  ] as const)('refuses an archive with %s, writing nothing outside', async (_, header, why) => {
    // GIVEN an archive whose one entry leaves the volume
    const target = join(fresh(), 'volume');
    mkdirSync(target);
    // WHEN it is restored / THEN the restore fails and names the entry
    const e = await unpackVolume(await archiveWith(header as Partial<tar.HeaderData>), target).catch((x) => x);
    expect(e).toBeInstanceOf(HostileArchive);
    expect((e as Error).message).toContain(why);
    expect(readdirSync(join(target, '..'))).toEqual(['volume']);
  });

  it('fails the pod over its sizeLimit, naming the volume and both sizes, and saves nothing', async () => {
    // GIVEN a volume of 2 MiB with a sizeLimit of 1 MiB
    const volume = fresh();
    writeFileSync(join(volume, 'big'), Buffer.alloc(2 * 1024 * 1024));
    const puts: string[] = [];
    const store: VolumeStore = { get: async () => undefined, put: async (key) => void puts.push(key) };
    // WHEN it is saved
    const saved = saveVolumes(saveEvent(1024 * 1024), { store: () => store, dir: async () => volume });
    // THEN the error every executor raises says which volume and how much, and nothing reached the store
    await expect(saved).rejects.toMatchObject({
      name: 'Pod2sfn.VolumeSizeLimitExceeded',
      message: 'volume work: 2.0 MiB written, over its sizeLimit of 1.0 MiB (2097152 > 1048576 bytes)',
    });
    expect(puts).toEqual([]);
  });

  it('fails the container that leaves a link out of the volume, which no restore would accept', async () => {
    // GIVEN a volume holding an absolute symbolic link
    const volume = fresh();
    symlinkSync('/etc/hostname', join(volume, 'abs'));
    const store: VolumeStore = {
      get: async () => undefined,
      put: async (_, body) => {
        for await (const chunk of body) void chunk;
      },
    };
    // WHEN it is saved / THEN the container's failure names the link
    expect(await saveVolumes(saveEvent(), { store: () => store, dir: async () => volume })).toBe(
      'volume work: ./abs is a symbolic link to /etc/hostname, outside the volume: it cannot be handed over',
    );
  });
});
