import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hostRuntime } from '../../lib/local/host.js';
import { RELEASE, sandboxArgv, sandboxAvailable } from '../../lib/local/sandbox.js';
import type { Mount, Volume } from '../../lib/model/workflow.js';
import type { Launch, ValueSource } from '../../lib/runner/index.js';
import { collect, emptyDir, shellLaunch, until } from '../helpers/containers.js';

/**
 * The next init container's sandbox, built while the one before it runs (lib/local/host.ts `prepare`,
 * docs/design.md §4): its command runs at its turn and never before, whatever happens to the run.
 */
const values: ValueSource = { read: async () => undefined };
const at = (volume: string, mountPath: string): Mount => ({ volume, mountPath, readOnly: false });
const launch = (name: string, script: string, mounts: Mount[] = [], volumes: Volume[] = []) =>
  shellLaunch(name, script, { mounts }, volumes, 'ahead-pod');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Processes whose command line holds `mark`: a gate still waiting, or a command that ran. */
const holding = (mark: string) =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(mark) && !l.includes('ps -eo'));
const pids = (mark: string) => holding(mark).map((l) => l.trim().split(' ')[0]);

const cleanup: string[] = [];
const hostDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pod2sfn-ahead-'));
  cleanup.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!sandboxAvailable())('a sandbox built ahead (bwrap)', () => {
  it('runs its command at its turn, not while the container before it runs, and shows its output', async () => {
    // GIVEN a first container running and the second's sandbox built meanwhile
    const runtime = await hostRuntime(values, 'default');
    const work = [emptyDir('work')];
    try {
      const first = collect();
      const running = await runtime.start(
        launch('first', 'sleep 0.5; cat /w/marks 2>/dev/null || echo none', [at('work', '/w')], work),
        first.sink,
      );
      runtime.prepare!('second', async () =>
        launch('second', 'echo ran >> /w/marks; echo second out', [at('work', '/w')], work),
      );
      // WHEN the first exits and then the second starts
      expect((await running.exited).exitCode).toBe(0);
      const second = collect();
      const next = await runtime.start(
        launch('second', 'echo ran >> /w/marks; echo second out', [at('work', '/w')], work),
        second.sink,
      );
      // THEN the first saw nothing of the second, which ran once, at its start, its output shown
      expect(first.text()).toBe('none\n');
      expect((await next.exited).exitCode).toBe(0);
      expect(second.text()).toBe('second out\n');
      const volume = await runtime.volumeDir!(work[0]!);
      expect(execFileSync('cat', [join(volume, 'marks')], { encoding: 'utf8' })).toBe('ran\n');
    } finally {
      await runtime.close();
    }
  });

  it('builds at its start a sandbox whose mounts go through what the container before it made', async () => {
    // GIVEN a first container that makes a symbolic link in a volume, and a second that mounts another
    // volume through that link
    const runtime = await hostRuntime(values, 'default');
    const volumes = [emptyDir('work'), emptyDir('inner')];
    try {
      const first = collect();
      const running = await runtime.start(
        launch(
          'first',
          'sleep 0.3; mkdir /w/real && ln -s real /w/link && [ -L /w/link ] && echo linked',
          [at('work', '/w')],
          volumes,
        ),
        first.sink,
      );
      const second = launch('second', 'echo f > /w/real/in/f', [at('work', '/w'), at('inner', '/w/link/in')], volumes);
      runtime.prepare!('second', async () => second);
      // WHEN the first has run and the second starts
      expect((await running.exited).exitCode, first.text()).toBe(0);
      const out = collect();
      const next = await runtime.start(second, out.sink);
      // THEN the first found no mount point of the second's in its volume, and the second's mount followed the link
      expect(first.text()).toBe('linked\n');
      expect((await next.exited).exitCode, out.text()).toBe(0);
      expect(readdirSync(await runtime.volumeDir!(volumes[1]!))).toEqual(['f']);
    } finally {
      await runtime.close();
    }
  });

  it('uses the sandbox built ahead when the launch is the same, and builds another when it is not', async () => {
    // GIVEN a runtime that built two sandboxes ahead, each for a container that prints $V
    const runtime = await hostRuntime(values, 'default');
    const printing = (name: string, v: string) => ({
      ...launch(name, `sleep 0.3; echo ${name}-mark=$V`),
      env: { V: v },
    });
    try {
      runtime.prepare!('same', async () => printing('same', 'old'));
      expect(await until(() => pids('same-mark').length > 0)).toBe(true);
      const built = pids('same-mark');
      // WHEN the first starts with the launch it was built for
      const out = collect();
      const same = await runtime.start(printing('same', 'old'), out.sink);
      // THEN it runs in that sandbox: no other was spawned for it
      await sleep(100);
      expect(pids('same-mark').every((pid) => built.includes(pid))).toBe(true);
      expect((await same.exited).exitCode).toBe(0);
      expect(out.text()).toBe('same-mark=old\n');
      // WHEN the second starts with another environment than it was built with THEN it sees its own
      runtime.prepare!('other', async () => printing('other', 'old'));
      expect(await until(() => pids('other-mark').length > 0)).toBe(true);
      const other = collect();
      const started = await runtime.start(printing('other', 'new'), other.sink);
      expect((await started.exited).exitCode).toBe(0);
      expect(other.text()).toBe('other-mark=new\n');
    } finally {
      await runtime.close();
    }
  });

  it('keeps two built ahead, each used at its turn; asked for a third, drops the oldest unrun', async () => {
    // GIVEN two sandboxes built ahead, for containers that each leave a mark on the host
    const host = hostDir();
    const runtime = await hostRuntime(values, 'default');
    const marking = (name: string) => launch(name, `sleep 0.3; echo ${name} >> ${host}/marks; echo ${name}-out`);
    const waiting = (name: string) => pids(`echo ${name} >>`);
    try {
      const prepared: string[] = [];
      const preparing = (name: string) => async () => (prepared.push(name), marking(name));
      for (const name of ['one', 'two', 'one']) runtime.prepare!(name, preparing(name));
      expect(await until(() => waiting('one').length > 0 && waiting('two').length > 0)).toBe(true);
      // (asked again for one it keeps, it prepares nothing)
      expect(prepared).toEqual(['one', 'two']);
      // WHEN a third is asked for THEN the oldest is discarded
      runtime.prepare!('three', preparing('three'));
      expect(await until(() => waiting('one').length === 0 && waiting('three').length > 0)).toBe(true);
      // WHEN the other two start in turn THEN each runs in the sandbox built for it, none built again
      for (const name of ['two', 'three']) {
        const built = waiting(name);
        const out = collect();
        const running = await runtime.start(marking(name), out.sink);
        await sleep(100);
        expect(waiting(name).every((pid) => built.includes(pid))).toBe(true);
        expect((await running.exited).exitCode).toBe(0);
        expect(out.text()).toBe(`${name}-out\n`);
      }
      // AND the discarded one never ran
      expect(execFileSync('cat', [join(host, 'marks')], { encoding: 'utf8' })).toBe('two\nthree\n');
    } finally {
      await runtime.close();
    }
  });

  it.each([
    ['names /bin/sh keeps', { PLAIN: 'p', WITH_SPACE: 'a b' }],
    ['names /bin/sh would drop or reset', { 'my.var': '1', 'a-b': '2', IFS: 'x', OPTIND: '5', PPID: '9' }],
  ])('hands the container exactly its environment, %s, built ahead or not', async (_what, env) => {
    // GIVEN a container that prints its environment, started at once and built ahead
    const runtime = await hostRuntime(values, 'default');
    // env itself, not a shell, which would change what it was handed
    const printing = (name: string): Launch => {
      const base = launch(name, '');
      return { ...base, container: { ...base.container, command: ['env', '-0'] }, env };
    };
    const expected = { PATH: process.env.PATH, HOME: '/root', HOSTNAME: 'ahead-pod', PWD: '/', ...env };
    try {
      for (const name of ['fresh', 'ahead']) {
        if (name === 'ahead') runtime.prepare!(name, async () => printing(name));
        const out = collect();
        // WHEN it runs
        const running = await runtime.start(printing(name), out.sink);
        expect((await running.exited).exitCode).toBe(0);
        // THEN it sees its variables, and only those and the sandbox's own, unchanged
        const seen = Object.fromEntries(
          out
            .text()
            .split('\0')
            .filter(Boolean)
            .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
        );
        expect(seen).toEqual(expected);
      }
    } finally {
      await runtime.close();
    }
  });

  it('runs the command past its gate on the release line only, never at EOF', async () => {
    // GIVEN a sandbox whose command leaves a mark on the host
    const host = hostDir();
    const [bwrap, ...args] = sandboxArgv({
      hostname: 'gate',
      gate: true,
      mounts: [],
      argv: ['sh', '-c', `echo ran >> ${host}/mark`],
    });
    // WHEN its gate reads EOF (all pod2sfn's death leaves it) THEN the command does not run
    expect(spawnSync(bwrap!, args, { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'ignore'] }).status).toBe(0);
    expect(existsSync(join(host, 'mark'))).toBe(false);
    // WHEN it reads the release line THEN the command runs, once
    const released = spawn(bwrap!, args, { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
    const exit = new Promise((resolve) => released.once('exit', resolve));
    (released.stdio[4] as NodeJS.WritableStream).end(RELEASE);
    expect(await exit).toBe(0);
    expect(execFileSync('cat', [join(host, 'mark')], { encoding: 'utf8' })).toBe('ran\n');
  });

  it('never runs its command when the run closes first', async () => {
    // GIVEN a sandbox built ahead for a container that would leave a mark on the host
    const host = hostDir();
    const runtime = await hostRuntime(values, 'default');
    runtime.prepare!('never', async () => launch('never', `echo ran > ${host}/mark`));
    await until(() => holding(`${host}/mark`).length > 0);
    // WHEN the run closes THEN its gate is gone and the command never ran
    await runtime.close();
    expect(await until(() => holding(`${host}/mark`).length === 0)).toBe(true);
    await sleep(200);
    expect(existsSync(join(host, 'mark'))).toBe(false);
  });

  it('never runs its command when the process running the containers is SIGKILLed', async () => {
    // GIVEN a process with a sandbox built ahead for a container that would leave a mark on the host
    const host = hostDir();
    const script = [
      `import { hostRuntime } from ${JSON.stringify(join(import.meta.dirname, '../../lib/local/host.ts'))};`,
      "const runtime = await hostRuntime({ read: async () => undefined }, 'default');",
      `const c = { name: 'c', image: 'x', command: ['sh', '-c', 'echo ran > ${host}/mark'], args: [], env: [],`,
      "  envFrom: [], mounts: [], terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' };",
      "const pod = { name: 'p', namespace: 'default' };",
      "runtime.prepare('c', async () => ({ pod, execution: 'e', container: c, volumes: [], env: {} }));",
      "setInterval(() => {}, 1000); console.log('prepared');",
    ].join('\n');
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    parent.stdout.on('data', (c: Buffer) => (out += c.toString()));
    expect(await until(() => out.includes('prepared') && holding(`${host}/mark`).length > 0, 20_000)).toBe(true);
    // WHEN that process is SIGKILLed
    const gone = new Promise((resolve) => parent.once('exit', (_code, signal) => resolve(signal)));
    parent.kill('SIGKILL');
    expect(await gone).toBe('SIGKILL');
    // THEN the sandbox is gone and the command never ran
    expect(await until(() => holding(`${host}/mark`).length === 0)).toBe(true);
    await sleep(200);
    expect(existsSync(join(host, 'mark'))).toBe(false);
  });
});
