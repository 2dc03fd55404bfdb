import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hostRuntime } from '../../lib/local/host.js';
import { sandboxAvailable } from '../../lib/local/sandbox.js';
import type { Mount } from '../../lib/model/workflow.js';
import type { ValueSource } from '../../lib/runner/index.js';
import { collect, emptyDir, shellLaunch, until } from '../helpers/containers.js';

/**
 * The host runtime's bwrap sandbox (lib/local/sandbox.ts): what a container sees and what it can
 * never do to the host, with real processes. Skipped where bwrap cannot run (.ci/run installs it).
 */
const values: ValueSource = { read: async () => undefined };
/** A TMPDIR of the test's own, so that other runs on the machine do not show up among its run dirs. */
function privateTmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pod2sfn-tmp-'));
  cleanup.push(dir);
  return dir;
}
const runDirs = (tmp: string) => readdirSync(tmp).filter((f) => f.startsWith('pod2sfn-run-'));

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!sandboxAvailable())('host runtime sandbox (bwrap)', () => {
  it('shares an emptyDir between containers at their mount paths, under an existing host directory too', async () => {
    // GIVEN a runtime and a volume mounted at /work-dir by one container and under /usr/share by another
    const runtime = await hostRuntime(values, 'default');
    const volume = emptyDir('work');
    const at = (mountPath: string): Mount[] => [{ volume: 'work', mountPath, readOnly: false }];
    try {
      // WHEN the first writes a file and the second reads it
      const writer = await runtime.start(
        shellLaunch('writer', 'echo hello > /work-dir/page', { mounts: at('/work-dir') }, [volume]),
        () => {},
      );
      expect((await writer.exited).exitCode).toBe(0);
      const out = collect();
      const reader = await runtime.start(
        shellLaunch(
          'reader',
          'cat /usr/share/pages/page; ls /usr/share | grep -c .',
          { mounts: at('/usr/share/pages') },
          [volume],
        ),
        out.sink,
      );
      // THEN the second sees it, beside the host's own entries of /usr/share, and the host has no /usr/share/pages
      expect((await reader.exited).exitCode).toBe(0);
      const [page, count] = out.text().trim().split('\n');
      expect(page).toBe('hello');
      expect(Number(count)).toBe(readdirSync('/usr/share').length + 1);
      expect(existsSync('/usr/share/pages')).toBe(false);
      expect(existsSync('/work-dir')).toBe(false);
    } finally {
      await runtime.close();
    }
  });

  it('reads the termination message from terminationMessagePath, the default and a custom one', async () => {
    // GIVEN containers that write their termination message
    const runtime = await hostRuntime(values, 'default');
    try {
      // WHEN they exit
      const first = await runtime.start(shellLaunch('first', 'echo done > /dev/termination-log; exit 3'), () => {});
      const second = await runtime.start(
        shellLaunch('second', 'printf bye > /var/log/pod/message', { terminationMessagePath: '/var/log/pod/message' }),
        () => {},
      );
      // THEN the exit code and the message come back, and nothing was made on the host
      expect(await first.exited).toEqual({ exitCode: 3, terminationMessage: 'done\n' });
      expect(await second.exited).toEqual({ exitCode: 0, terminationMessage: 'bye' });
      expect(existsSync('/var/log/pod')).toBe(false);
    } finally {
      await runtime.close();
    }
  });

  it('never creates anything outside the sandbox for `..` or relative paths, and does not loop on them', async () => {
    // GIVEN paths that climb with `..` (validation bypassed) and a relative workingDir and terminationMessagePath
    const host = mkdtempSync(join(tmpdir(), 'pod2sfn-escape-'));
    cleanup.push(host);
    const climb = `/a/../../..${host}/x`;
    const runtime = await hostRuntime(values, 'default');
    try {
      const out = collect();
      const running = await runtime.start(
        shellLaunch(
          'climber',
          `pwd; echo m > ${host}/t/log; ls -d ${host}/x/y`,
          {
            mounts: [{ volume: 'v', mountPath: `${climb}/y`, readOnly: false }],
            terminationMessagePath: `../../..${host}/t/log`,
            workingDir: `..${host}/w`,
          },
          [emptyDir('v')],
        ),
        out.sink,
      );
      // WHEN the container runs
      const exit = await running.exited;
      // THEN every path resolved inside the sandbox's root, and the host directory is still empty
      expect(exit.exitCode, out.text()).toBe(0);
      expect(out.text()).toContain(`${host}/w`);
      expect(exit.terminationMessage).toBe('m\n');
      expect(readdirSync(host)).toEqual([]);
    } finally {
      await runtime.close();
    }
  });

  it('stops the container with SIGTERM to its processes, PID namespace included', async () => {
    // GIVEN a container that traps SIGTERM and reports it
    const runtime = await hostRuntime(values, 'default');
    try {
      const out = collect();
      const running = await runtime.start(
        shellLaunch('trapper', "trap 'echo got TERM; exit 7' TERM; echo $$; while :; do sleep 0.05; done"),
        out.sink,
      );
      await until(() => out.text().includes('\n'));
      // WHEN it is stopped with a grace period
      const exit = await running.stop(5);
      // THEN it got SIGTERM as PID 2 of its own namespace and exited in its handler
      expect(out.text()).toMatch(/^2\n/);
      expect(out.text()).toContain('got TERM');
      expect(exit.exitCode).toBe(7);
    } finally {
      await runtime.close();
    }
  });

  it('keeps the run directory private (0700) and removes it at close', async () => {
    // GIVEN a runtime
    const tmp = privateTmp();
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    const runtime = await hostRuntime(values, 'default').finally(() => {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    });
    const [dir] = runDirs(tmp);
    // THEN its directory is private
    expect(statSync(join(tmp, dir!)).mode & 0o777).toBe(0o700);
    // WHEN it closes THEN its directory is gone
    await runtime.close();
    expect(runDirs(tmp)).toEqual([]);
  });

  it('SIGKILL of the process running the containers kills them and removes the run directories', async () => {
    // GIVEN a process that runs a long container through the host runtime, with a volume in memory; the
    // container names the directories on /dev/shm its mounts come from (its termination message, the volume)
    const tmp = privateTmp();
    const command = "grep -o 'pod2sfn-[a-z]*-[A-Za-z0-9]*' /proc/self/mountinfo | tr '\\n' ' '; echo; sleep 4321";
    const container = {
      name: 'c',
      image: 'x',
      command: ['sh', '-c', command],
      args: [],
      env: [],
      envFrom: [],
      mounts: [{ volume: 'm', mountPath: '/m', readOnly: false }],
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    };
    const volumes = [{ name: 'm', kind: 'emptyDir', medium: 'Memory', optional: false }];
    const started = { pod: { name: 'p', namespace: 'default' }, execution: 'e', container, volumes, env: {} };
    const script = [
      `import { hostRuntime } from ${JSON.stringify(join(import.meta.dirname, '../../lib/local/host.ts'))};`,
      "const runtime = await hostRuntime({ read: async () => undefined }, 'default');",
      `await runtime.start(${JSON.stringify(started)}, (chunk) => process.stdout.write(chunk));`,
    ].join('\n');
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TMPDIR: tmp },
    });
    let out = '';
    parent.stdout.on('data', (c: Buffer) => (out += c.toString()));
    expect(await until(() => out.includes('\n'), 20_000)).toBe(true);
    const sleepers = () =>
      execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => /\bsleep 4321$/.test(l.trim()));
    expect(sleepers().length).toBeGreaterThan(0);
    expect(runDirs(tmp)).toHaveLength(1);
    // WHEN that process is SIGKILLed
    const gone = new Promise((resolve) => parent.once('exit', (_code, signal) => resolve(signal)));
    parent.kill('SIGKILL');
    expect(await gone).toBe('SIGKILL');
    // THEN its container dies with it and its run directories are removed
    expect(await until(() => sleepers().length === 0)).toBe(true);
    expect(await until(() => runDirs(tmp).length === 0)).toBe(true);
    const inMemory = out
      .trim()
      .split(' ')
      .map((name) => join('/dev/shm', name));
    expect(inMemory.map((dir) => dir.replace(/-[A-Za-z0-9]+$/, '-X')).sort()).toEqual([
      '/dev/shm/pod2sfn-m-X',
      '/dev/shm/pod2sfn-messages-X',
    ]);
    expect(await until(() => inMemory.every((dir) => !existsSync(dir)))).toBe(true);
  });
});
