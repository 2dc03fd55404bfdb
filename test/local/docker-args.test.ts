import { chmodSync, existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerRuntime } from '../../lib/local/docker.js';
import type { ContainerRun } from '../../lib/model/workflow.js';
import { emptyDir, shellLaunch } from '../helpers/containers.js';
import { tempDir } from '../helpers/run-cli.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A `docker` that records its arguments, one a line, and exits 0: what `docker run` would have been told. */
function fakeDocker(): string {
  const log = join(dir, 'argv');
  const bin = join(dir, 'docker');
  writeFileSync(bin, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > ${log}\n`);
  chmodSync(bin, 0o755);
  return log;
}

describe('docker run arguments (lib/local/docker.ts)', () => {
  it('ends the options before the image: nothing from the spec is read as a flag', async () => {
    // GIVEN an image and an entrypoint that look like docker flags (a spec that bypassed validation)
    const log = fakeDocker();
    const container: ContainerRun = {
      name: 'x',
      image: '-v=/:/host',
      command: ['--privileged', '-it'],
      args: ['--rm'],
      env: [],
      envFrom: [],
      workingDir: '/work',
      mounts: [],
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    };
    const path = process.env.PATH;
    process.env.PATH = `${dir}:${path}`;
    try {
      // WHEN the docker runtime starts it
      const runtime = await dockerRuntime({ read: async () => undefined }, 'default', 'e1');
      const running = await runtime.start(
        { pod: { name: 'p', namespace: 'default' }, execution: 'e1', container, volumes: [], env: { SECRET: 'v' } },
        () => undefined,
      );
      await running.exited;
      await runtime.close();
    } finally {
      process.env.PATH = path;
    }
    // THEN every option is one --flag=value word, and `--` comes right before the image
    const argv = readFileSync(log, 'utf8').trimEnd().split('\n');
    const end = argv.indexOf('--');
    expect(argv.slice(end)).toEqual(['--', '-v=/:/host', '-it', '--rm']);
    expect(argv.slice(0, end).filter((a) => !a.startsWith('--') && a !== 'run')).toEqual([]);
    expect(argv).toContain('--entrypoint=--privileged');
    expect(argv).toContain('--env=SECRET');
    expect(argv.filter((a) => a.includes('SECRET='))).toEqual([]);
  });

  it('binds a subPath made inside its volume, and refuses one that leaves it through a link', async () => {
    // GIVEN a container mounting two subPaths of one emptyDir: one new, one through a link a container
    // before left there, leading out of the volume
    const log = fakeDocker();
    const mount = (subPath: string) => ({ volume: 'work', mountPath: `/m/${subPath}`, readOnly: false, subPath });
    const work = emptyDir('work');
    const launch = (subPath: string) => shellLaunch('c', 'true', { mounts: [mount(subPath)] }, [work], 'p');
    const path = process.env.PATH;
    process.env.PATH = `${dir}:${path}`;
    const runtime = await dockerRuntime({ read: async () => undefined }, 'default', 'e2');
    try {
      // WHEN the first starts THEN docker binds the subPath's directory, made in the volume
      await (
        await runtime.start(launch('new/sub'), () => undefined)
      ).exited;
      const volume = await runtime.volumeDir!(work);
      expect(readFileSync(log, 'utf8').split('\n')).toContain(`--volume=${join(volume, 'new/sub')}:/m/new/sub`);
      expect(existsSync(join(volume, 'new/sub'))).toBe(true);
      // WHEN the second starts THEN it cannot: docker would have followed the link on the host
      symlinkSync(dir, join(volume, 'escape'));
      await expect(runtime.start(launch('escape/x'), () => undefined)).rejects.toThrow(
        'volume work: subPath "escape/x" leaves the volume',
      );
    } finally {
      await runtime.close();
      process.env.PATH = path;
    }
  });
});
