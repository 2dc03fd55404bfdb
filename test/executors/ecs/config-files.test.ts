import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configFilesOf } from '../../../lib/executors/ecs/config-files.js';
import type { Volume } from '../../../lib/model/workflow.js';

/** Values a naive script would mangle: a newline at the end, printf and sh syntax, a leading dash, quotes. */
const AWKWARD: Record<string, string> = {
  'app.yaml': 'mode: fast\nlevel: 3\n',
  printf: '%s %d \\n \\t 100%',
  shell: '$(touch /tmp/pwned) `id` $HOME "quoted" \'single\'',
  dash: '-n -e',
  empty: '',
};

/** A volume of `kind` from `source`, its items as `key → path` pairs. */
const volume = (name: string, kind: 'configMap' | 'secret', source: string, items: [string, string][]): Volume => ({
  name,
  kind,
  source,
  optional: false,
  items: items.map(([key, path]) => ({ key, path })),
});
const config = volume('config', 'configMap', 'settings', [
  ['app.yaml', 'app.yaml'],
  ['printf', 'deep/er/printf.txt'],
  ['app.yaml', 'copy/app.yaml'],
  ['shell', "it's here/shell"],
]);
const creds = volume('creds', 'secret', 'db-credentials', [
  ['dash', 'dash'],
  ['empty', 'db/empty'],
]);

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pod2sfn-config-'));
  // ECS mounts each task volume there before the helper starts.
  for (const v of [config, creds]) mkdirSync(join(root, v.name));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Every file and directory under `dir`, relative, with its permission bits. */
function tree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const mode = (statSync(path).mode & 0o777).toString(8);
    out[`${prefix}${name}`] = mode;
    if (statSync(path).isDirectory()) Object.assign(out, tree(path, `${prefix}${name}/`));
  }
  return out;
}

describe('the config helper: ConfigMap and Secret volumes as files on ECS', () => {
  it('names one variable per key of each volume, and their sources', () => {
    const { values } = configFilesOf([config, creds], root);
    expect(values).toEqual([
      { env: 'POD2SFN_V0_K0', kind: 'configMap', source: 'settings', key: 'app.yaml' },
      { env: 'POD2SFN_V0_K1', kind: 'configMap', source: 'settings', key: 'printf' },
      { env: 'POD2SFN_V0_K2', kind: 'configMap', source: 'settings', key: 'shell' },
      { env: 'POD2SFN_V1_K0', kind: 'secret', source: 'db-credentials', key: 'dash' },
      { env: 'POD2SFN_V1_K1', kind: 'secret', source: 'db-credentials', key: 'empty' },
    ]);
  });

  it('writes each item at its path, byte for byte, 0644 in 0755 directories, printing nothing', () => {
    // GIVEN the script and the values ECS would put in its environment
    const { values, script } = configFilesOf([config, creds], root);
    const env = Object.fromEntries(values.map((v) => [v.env, AWKWARD[v.key]!]));
    // WHEN busybox-compatible sh runs it under a umask that would hide files from another user
    const run = spawnSync('/bin/sh', ['-c', `umask 077; ${script}`], { env: { PATH: process.env.PATH, ...env } });
    // THEN it succeeds without a word on stdout or stderr (a value is never printed)
    expect([run.status, run.stdout.toString(), run.stderr.toString()]).toEqual([0, '', '']);
    // AND every item is a file of mode 0644 holding exactly its value; nested paths are 0755 directories
    expect({ ...tree(join(root, 'config'), 'config/'), ...tree(join(root, 'creds'), 'creds/') }).toEqual({
      'config/app.yaml': '644',
      'config/copy': '755',
      'config/copy/app.yaml': '644',
      'config/deep': '755',
      'config/deep/er': '755',
      'config/deep/er/printf.txt': '644',
      "config/it's here": '755',
      "config/it's here/shell": '644',
      'creds/dash': '644',
      'creds/db': '755',
      'creds/db/empty': '644',
    });
    const read = (path: string) => readFileSync(join(root, path), 'utf8');
    expect(read('config/app.yaml')).toBe(AWKWARD['app.yaml']);
    expect(read('config/copy/app.yaml')).toBe(AWKWARD['app.yaml']);
    expect(read('config/deep/er/printf.txt')).toBe(AWKWARD.printf);
    expect(read("config/it's here/shell")).toBe(AWKWARD.shell);
    expect(read('creds/dash')).toBe(AWKWARD.dash);
    expect(read('creds/db/empty')).toBe('');
  });

  it('holds variable names and paths only: no value is in the script', () => {
    const { script } = configFilesOf([config, creds], '/pod2sfn/volumes');
    expect(script.split('\n')).toEqual([
      'set -eu',
      'umask 022',
      `printf '%s' "$POD2SFN_V0_K0" > '/pod2sfn/volumes/config/app.yaml'`,
      `mkdir -p '/pod2sfn/volumes/config/deep/er'`,
      `printf '%s' "$POD2SFN_V0_K1" > '/pod2sfn/volumes/config/deep/er/printf.txt'`,
      `mkdir -p '/pod2sfn/volumes/config/copy'`,
      `printf '%s' "$POD2SFN_V0_K0" > '/pod2sfn/volumes/config/copy/app.yaml'`,
      `mkdir -p '/pod2sfn/volumes/config/it'\\''s here'`,
      `printf '%s' "$POD2SFN_V0_K2" > '/pod2sfn/volumes/config/it'\\''s here/shell'`,
      `printf '%s' "$POD2SFN_V1_K0" > '/pod2sfn/volumes/creds/dash'`,
      `mkdir -p '/pod2sfn/volumes/creds/db'`,
      `printf '%s' "$POD2SFN_V1_K1" > '/pod2sfn/volumes/creds/db/empty'`,
    ]);
  });
});
