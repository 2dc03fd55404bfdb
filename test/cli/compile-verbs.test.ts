import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { BUILT_CLI, describeWith } from '../helpers/prerequisite.js';
import { tempDir } from '../helpers/temp.js';
import { traced, tracedMain } from '../helpers/traced.js';

const SEED = 'examples/init-containers.yaml';

describe('pod2sfn validate', () => {
  it('exits 0 for a valid pod and says what it found', async () => {
    const { code, stdout, stderr } = await cli(['validate', SEED]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      'examples/init-containers.yaml: pod/init-containers-pod is ' +
        'valid: 2 init containers, 1 container; executor lambda\n',
    );
    expect(stderr).toBe('');
  });

  it('exits 2 with one diagnostic a line, FILE: path: message', async () => {
    // GIVEN a spec with a missing image and an invalid name
    const dir = tempDir();
    writeFileSync(
      join(dir, 'bad.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  initContainers: [{ name: ' +
        'a, image: x }, { name: b }]\n  containers: [{ name: Main_Container, image: x }]\n',
    );
    // WHEN validated
    const { code, stdout, stderr } = await cli(['validate', 'bad.yaml'], { cwd: dir });
    // THEN exit 2, nothing on stdout, one path-qualified line per error on stderr
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('bad.yaml: spec.initContainers[1].image: Required value');
    expect(lines[1]).toMatch(
      /^bad\.yaml: spec\.containers\[0\]\.name: Invalid value: "Main_Container": a lowercase RFC 1123 label/,
    );
  });

  it('prints warnings on stderr and still exits 0', async () => {
    const spec =
      'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  restartPolicy: Never\n ' +
      ' containers: [{ name: main, image: nginx, ports: [{ containerPort: 80 }] }]\n';
    const { code, stderr } = await cli(['validate', '-'], { stdin: spec });
    expect(code).toBe(0);
    expect(stderr).toMatch(/^Warning: <stdin>: spec\.containers\[0\]\.ports: pod2sfn doesn't support ports - ignoring/);
  });

  it.each([
    ['a missing file', ['validate', 'no-such.yaml'], /^no-such\.yaml: no such file\n$/],
    ['a directory', ['validate', 'examples'], /^examples: is a directory\n$/],
    ['YAML that does not parse', ['validate', '-'], /^<stdin>: invalid YAML: /, 'a: [1, 2\n'],
    [
      'a document that is not an object',
      ['validate', '-'],
      /^<stdin>: document 1: Invalid value: must be an object/,
      '- 1\n- 2\n',
    ],
    [
      'no object that runs a pod',
      ['validate', '-'],
      /no object that runs a pod/,
      'apiVersion: v1\nkind: Service\nmetadata: { name: s }\n',
    ],
    ['binary garbage', ['validate', '-'], /^<stdin>: /, '\u0000\u0001\u0002{{{:::'],
  ])('refuses %s with exit 2 and no stack trace', async (_what, args, message, stdin?: string) => {
    const { code, stderr } = await cli(args, stdin === undefined ? {} : { stdin });
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('pod2sfn synth', () => {
  it('prints the ASL as JSON, and the same definition as YAML with -o yaml', async () => {
    const json = await cli(['synth', SEED]);
    const yaml = await cli(['synth', SEED, '-o', 'yaml']);
    expect(json.code).toBe(0);
    expect(yaml.code).toBe(0);
    expect(parse(yaml.stdout)).toEqual(JSON.parse(json.stdout));
    expect(JSON.parse(json.stdout).StartAt).toBe('Init: init-container-1');
  });

  it('puts every Task on the executor --executor names', async () => {
    const { stdout } = await cli(['synth', SEED, '--executor', 'activity']);
    expect(stdout).toContain('"Resource": "${Activity_init_container_1}"');
    expect(stdout).not.toContain('lambda:invoke');
  });

  it.each([
    [['synth'], /FILE is required/],
    [['synth', SEED, '--executor', 'k8s'], /unknown executor "k8s": use lambda, ecs, activity/],
    [['synth', SEED, '-o', 'xml'], /unknown output format "xml"/],
    [['synth', SEED, '--frobnicate'], /Unknown option '--frobnicate'/],
    [['synth', SEED, SEED], /one FILE at a time/],
  ])('%j is a usage error (exit 2) that prints the usage line', async (args, message) => {
    const { code, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/Usage: pod2sfn synth FILE/);
  });
});

describe('pod2sfn graph', () => {
  it('draws Mermaid by default and dot on request', async () => {
    const mermaid = await cli(['graph', SEED]);
    expect(mermaid.stdout.split('\n')[0]).toBe('flowchart TD');
    expect(mermaid.stdout).toContain('["Init: init-container-1"]');
    const dot = await cli(['graph', SEED, '--format', 'dot']);
    expect(dot.stdout.startsWith('digraph pod {')).toBe(true);
    expect(dot.stdout.trimEnd().endsWith('}')).toBe(true);
  });
});

describe('help and version', () => {
  it('lists the commands, and each command has its own help', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Commands:\n(.|\n)*validate(.|\n)*synth(.|\n)*graph/);
    for (const verb of ['validate', 'synth', 'graph']) {
      const help = await cli([verb, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: pod2sfn ${verb} FILE`));
    }
  });

  it('never passes a terminal escape from the command line back to the terminal', async () => {
    // GIVEN a flag and a command name that carry an ANSI escape
    // WHEN pod2sfn refuses them
    const flag = await cli(['synth', SEED, '--\u001b[31mred']);
    const command = await cli(['\u001b]2;title\u0007']);
    // THEN both are usage errors whose messages show the escape as text
    expect([flag.code, command.code]).toEqual([2, 2]);
    expect(flag.stderr + command.stderr).not.toContain('\u001b');
    expect(flag.stderr).toContain('\\x1b[31mred');
  });

  it('exits 2 for an unknown command and for no command', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli([])).code).toBe(2);
  });

  it('prints the package version', async () => {
    expect((await cli(['--version'])).stdout).toMatch(/^pod2sfn \d+\.\d+\.\d+\n$/);
  });
});

/** Every verb of `pod2sfn --help`. */
const VERBS = [
  'validate',
  'synth',
  'graph',
  'run',
  'start',
  'status',
  'logs',
  'get',
  'describe',
  'delete',
  'deploy',
  'diff',
  'destroy',
  'agent',
];
/** What help may load: the verb table, a descriptor and the flag tables (lib/cli/main.ts says why). */
const HELP_MODULES =
  /^(cli\/(main|io|verb|flags|verbs\/\w+)|diagnostics|package-root|model\/executor|local\/runtime)\.js$/;

/** pod2sfn's own modules in a trace, relative to dist/lib. */
const ourModules = (modules: readonly string[]) =>
  modules.filter((m) => m.includes('/dist/lib/')).map((m) => m.replace(/^.*\/dist\/lib\//, ''));

describeWith(BUILT_CLI, 'the installed binary (npm test builds it first)', () => {
  it('runs as a program itself, as `npx pod2sfn` runs it: executable, with its node shebang', () => {
    // GIVEN the built entry / WHEN executed directly, not through node / THEN it answers
    const out = execFileSync(join(process.cwd(), 'dist/bin/pod2sfn.js'), ['--version'], { encoding: 'utf8' });
    expect(out).toMatch(/^pod2sfn \d+\.\d+\.\d+/);
  });

  it.each(['validate', 'synth', 'graph'])(
    '%s does not load aws-cdk-lib, nor node:crypto, nor the YAML emitter',
    (verb) => {
      // GIVEN the built CLI (the bundle), with every module it resolves traced
      const { stdout, modules } = traced(['dist/bin/pod2sfn.js', verb, SEED]);
      // THEN it did its work, from the bundle, without aws-cdk-lib
      expect(stdout.length).toBeGreaterThan(0);
      expect(modules.some((m) => /\/dist\/bin\/chunks\/main-\w+\.js$/.test(m))).toBe(true);
      expect(modules.filter((m) => m.includes('aws-cdk-lib') || m.includes('/constructs/'))).toEqual([]);
      // node:crypto costs ~5 ms of every start; only a state name too long to keep whole needs it.
      expect(modules).not.toContain('node:crypto');
      // The YAML emitter (~30 ms) is for -o yaml only.
      expect(modules.filter((m) => m.includes('/node_modules/yaml/'))).toEqual([]);
    },
  );

  it('loads the YAML emitter for -o yaml', () => {
    const { stdout, modules } = traced(['dist/bin/pod2sfn.js', 'synth', SEED, '-o', 'yaml']);
    expect(stdout).toMatch(/^Comment: /);
    expect(modules.some((m) => m.includes('/node_modules/yaml/'))).toBe(true);
  });

  it.each(['--version', '--help'])('pod2sfn %s loads no verb, no compiler, no package', (command) => {
    // GIVEN the CLI's modules as tsc built them, traced
    const { stdout, modules } = tracedMain([command]);
    // THEN it printed, having loaded the verb table and no verb's module
    expect(stdout).toMatch(/^(pod2sfn \d|pod2sfn compiles)/);
    expect(ourModules(modules).filter((m) => !HELP_MODULES.test(m) || m.startsWith('cli/verbs/'))).toEqual([]);
    expect(modules.filter((m) => m.includes('/node_modules/'))).toEqual([]);
  });

  it('traces every verb pod2sfn --help lists', async () => {
    // GIVEN the top-level help / WHEN its commands are read / THEN they are the verbs traced below
    const listed = (await cli(['--help'])).stdout.split('Commands:\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(listed.map((line) => line.trim().split(' ')[0])).toEqual(VERBS);
  });

  it.each(VERBS.flatMap((verb) => [`${verb} --help`, `help ${verb}`]).concat(['deploy -h']))(
    'pod2sfn %s loads its descriptor only: no verb implementation, no compiler, no package',
    (command) => {
      const args = command.split(' ');
      const verb = args[0] === 'help' ? args[1]! : args[0]!;
      // GIVEN the CLI's modules as tsc built them, traced
      const { stdout, modules } = tracedMain(args);
      // THEN it printed the verb's help, having loaded the verb table and that verb's descriptor alone
      expect(stdout).toMatch(new RegExp(`^Usage: pod2sfn ${verb} `));
      const ours = ourModules(modules);
      expect(ours.filter((m) => !HELP_MODULES.test(m))).toEqual([]);
      expect(ours.filter((m) => m.startsWith('cli/verbs/'))).toEqual([`cli/verbs/${verb}.js`]);
      expect(modules.filter((m) => m.includes('/node_modules/'))).toEqual([]);
    },
  );

  it('bundled, --version reads the verb table and no package', () => {
    // GIVEN the bundled binary, whose chunks are named after the module a dynamic import loads
    const { stdout, modules } = traced(['dist/bin/pod2sfn.js', '--version']);
    // THEN the entry, the verb table's chunk and the code they share answered; no verb, no package
    expect(stdout).toMatch(/^pod2sfn \d+\.\d+\.\d+\n$/);
    const files = modules.filter((m) => m.startsWith('file:') && !m.includes('/test/helpers/'));
    expect(files.filter((m) => !/\/dist\/bin\/(pod2sfn|chunks\/(main|chunk)-\w+)\.js$/.test(m))).toEqual([]);
    expect(files.some((m) => /\/chunks\/main-\w+\.js$/.test(m))).toBe(true);
  });
});
