import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { placeholder, placeholdersIn } from '../../lib/asl/substitutions.js';
import { compile, definitionJson } from '../../lib/compile.js';
import { formatDiagnostic } from '../../lib/diagnostics.js';
import { loadPod } from '../../lib/manifest/index.js';
import { PARSE_LIMITS } from '../../lib/manifest/parse.js';
import { resolveEnv } from '../../lib/runner/env.js';
import { cli } from '../helpers/cli.js';
import { specFile, tempDir } from '../helpers/run-cli.js';

/** Issue 14 §2–§5: nothing a user writes is read as something else, and no input makes the work unbounded. */

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pod(container: string, spec = ''): string {
  return `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${spec}  containers:\n  - ${container}\n`;
}

function lines(text: string): string[] {
  return loadPod(text).diagnostics.map((d) => formatDiagnostic(d));
}

function errors(text: string): string[] {
  return loadPod(text)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => formatDiagnostic(d));
}

describe('a user ${NAME} is never a placeholder', () => {
  it('is escaped in the deployed text, read back unchanged, and not listed as a placeholder', () => {
    // GIVEN a shell command with ${VAR} and a user ${Activity_c} on the activity executor
    const result = compile(pod(`{name: c, image: alpine, command: [sh, -c, 'echo \${VAR} \${Activity_c}']}`), {
      executor: 'activity',
    });
    // WHEN the definition is written as it deploys
    const json = definitionJson(result.compiled!);
    // THEN only the real placeholder is one; a JSON reader sees the user's text as written
    expect(placeholdersIn(json)).toEqual(['Activity_c']);
    expect(json).toContain('\\u0024{VAR}');
    const parsed = JSON.parse(json) as { States: Record<string, { Parameters?: { container?: { command: string } } }> };
    const commands = JSON.stringify(parsed);
    expect(commands).toContain('echo ${VAR} ${Activity_c}');
    expect(json).not.toContain(placeholder('Activity_c'));
  });

  it('synth prints the text that deploys, in JSON and YAML', async () => {
    const file = specFile(dir, pod(`{name: c, image: alpine, command: [sh, -c, 'echo \${HOME}']}`), 'shell.yaml');
    const json = await cli(['synth', file, '--executor', 'activity']);
    expect(json.stdout).toContain('"Resource": "${Activity_c}"');
    expect(json.stdout).toContain('echo \\u0024{HOME}');
    const yaml = await cli(['synth', file, '--executor', 'activity', '-o', 'yaml']);
    expect(yaml.stdout).toContain('echo ${HOME}');
    expect(yaml.stdout).not.toContain('\u0000');
  });
});

describe('paths, as Kubernetes validates them', () => {
  const volumes = '  volumes: [{name: v, emptyDir: {}}]\n';
  const items = '  volumes: [{name: cm, configMap: {name: m, items: [{key: k, path: ../../etc/passwd}]}}]\n';
  it.each([
    [
      'mountPath with ..',
      `volumeMounts: [{name: v, mountPath: /data/../../etc}]`,
      `spec.containers[0].volumeMounts[0].mountPath: Invalid value: "/data/../../etc": must not contain '..'`,
    ],
    [
      'relative mountPath',
      `volumeMounts: [{name: v, mountPath: data}]`,
      'spec.containers[0].volumeMounts[0].mountPath: Invalid value: "data": must be an absolute path',
    ],
    [
      'subPath with ..',
      `volumeMounts: [{name: v, mountPath: /d, subPath: a/../../b}]`,
      `spec.containers[0].volumeMounts[0].subPath: Invalid value: "a/../../b": must not contain '..'`,
    ],
    [
      'absolute subPath',
      `volumeMounts: [{name: v, mountPath: /d, subPath: /etc}]`,
      'spec.containers[0].volumeMounts[0].subPath: Invalid value: "/etc": must be a relative path',
    ],
    [
      'relative terminationMessagePath',
      `terminationMessagePath: log`,
      'spec.containers[0].terminationMessagePath: Invalid value: "log": must be an absolute path',
    ],
    [
      'terminationMessagePath with ..',
      `terminationMessagePath: /dev/../../tmp/x`,
      `spec.containers[0].terminationMessagePath: Invalid value: "/dev/../../tmp/x": must not contain '..'`,
    ],
    [
      'relative workingDir',
      `workingDir: src`,
      'spec.containers[0].workingDir: Invalid value: "src": must be an absolute path',
    ],
    [
      'a mountPath twice',
      `volumeMounts: [{name: v, mountPath: /d}, {name: v, mountPath: /d}]`,
      'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/d": must be unique',
    ],
  ])('refuses a %s', (_, field, expected) => {
    // GIVEN the field / WHEN loaded / THEN the error names it as the API server would
    expect(errors(pod(`{name: c, image: alpine, ${field}}`, volumes))).toContain(expected);
  });

  it("refuses a volume item path that steps out with '..'", () => {
    expect(errors(pod('{name: c, image: alpine}', items))).toEqual([
      `spec.volumes[0].configMap.items[0].path: Invalid value: "../../etc/passwd": must not contain '..'`,
    ]);
  });
});

describe('image references', () => {
  it.each([
    'alpine',
    'alpine:3.20',
    'public.ecr.aws/docker/library/alpine:3.20',
    'localhost:5000/a/b_c__d-e.f',
    `ghcr.io/x/y@sha256:${'a'.repeat(64)}`,
    '[::1]:5000/x:v1',
  ])('accepts %s', (image) => expect(errors(pod(`{name: c, image: "${image}"}`))).toEqual([]));

  it.each([
    ['-v=/:/host', "must not start with '-'"],
    ['--privileged', "must not start with '-'"],
    ['Alpine', 'repository name must be lowercase'],
    ['alpine ', 'must not have leading or trailing whitespace'],
    ['alpine:bad tag', 'must be a valid image reference'],
    [`${'a1'.repeat(20)}!`, 'must be a valid image reference'],
  ])('refuses %j', (image, why) => {
    const found = errors(pod(`{name: c, image: ${JSON.stringify(image)}}`));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`spec.containers[0].image: Invalid value: ${JSON.stringify(image)}: ${why}`);
  });
});

describe('secrets and hostile text', () => {
  it('refuses a NUL byte by field, never quoting the value', () => {
    // GIVEN a literal env value with a NUL byte / WHEN loaded / THEN the field is named, the value is not
    const found = errors(
      pod('{name: c, image: alpine, env: [{name: PASSWORD_X, valueFrom: null, value: "hunter2\\0x"}]}'),
    );
    expect(found).toEqual(['spec.containers[0].env[0].value: Invalid value: must not contain a NUL byte']);
  });

  it.each([
    [
      'a \\x00 escape',
      '"a\\x00b"',
      /^spec\.containers\[0\]\.env\[0\]\.value: Invalid value: must not contain a NUL byte$/,
    ],
    [
      'a \\u0000 escape',
      '"a\\u0000b"',
      /^spec\.containers\[0\]\.env\[0\]\.value: Invalid value: must not contain a NUL byte$/,
    ],
    // (the parser itself refuses the character, before any field is read)
    ['a NUL character in the text', '"a\u0000b"', /^invalid YAML: null byte is not allowed in input at line \d+/],
  ])('refuses a NUL byte made by %s', (_what, value, message) => {
    const found = errors(pod(`{name: c, image: alpine, env: [{name: X, value: ${value}}]}`));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it('never repeats a literal env value in an error', () => {
    expect(errors(pod('{name: c, image: alpine, env: [{name: DB_PASSWORD, value: 12345678}]}'))).toEqual([
      'spec.containers[0].env[0].value: Invalid value: must be a string',
    ]);
  });

  it('refuses a NUL byte in a resolved Secret value by variable name', async () => {
    // GIVEN a Secret whose value holds a NUL byte / WHEN the container's env is resolved
    const values = { read: async () => ({ token: 's3cret\0tail' }) };
    const container = {
      name: 'c',
      env: [{ name: 'TOKEN', secretKeyRef: { name: 's', key: 'token', optional: false } }],
      envFrom: [],
    };
    const resolved = resolveEnv(container, 'default', values, {});
    // THEN the error names the variable, and the value appears nowhere
    await expect(resolved).rejects.toThrow('container c: env TOKEN: the value holds a NUL byte');
    await expect(resolved).rejects.not.toThrow(/s3cret/);
  });

  it('refuses a --values-file value with a NUL byte, and a missing file, with exit 2', async () => {
    const file = specFile(
      dir,
      pod('{name: c, image: alpine, command: [sh], env: [{name: T, valueFrom: {secretKeyRef: {name: s, key: k}}}]}'),
      'nul.yaml',
    );
    writeFileSync(join(dir, 'nul.env'), 'T=s3cret\0tail\n');
    const nul = await cli(['run', file, '--runtime', 'host', '--values-file', join(dir, 'nul.env')]);
    expect(nul.code).toBe(2);
    expect(nul.stderr).toContain('"T": Invalid value: must not contain a NUL byte');
    expect(nul.stderr).not.toContain('s3cret');
    const missing = await cli(['run', file, '--runtime', 'host', '--values-file', join(dir, 'none.env')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--values-file .*none\.env: no such file/);
    // --env-file is Node 20's own flag, not pod2sfn's
    expect((await cli(['run', file, '--env-file', join(dir, 'nul.env')])).code).toBe(2);
  });

  it('prints control characters escaped and long user text cut', () => {
    // GIVEN an ANSI escape in a name and a 2.5 MB unknown key
    const ansi = errors(pod('{name: "\\e[31mred", image: alpine}'));
    const long = lines(pod(`{name: c, image: alpine, ${'k'.repeat(2_500_000)}: 1}`));
    // THEN no escape byte reaches the terminal, and no line is megabytes long
    expect(ansi[0]).toContain('Invalid value: "\\u001b[31mred"');
    expect(ansi.join('')).not.toContain('\u001b');
    // eslint-disable-next-line no-control-regex -- the control characters are what this asserts are gone
    expect(lines('a: [1\n\u001b]2;title\u0007')[0]).not.toMatch(/[\u0000-\u001f]/);
    expect(long).toHaveLength(1);
    expect(long[0]!.length).toBeLessThan(200);
    expect(long[0]).toMatch(/^spec\.containers\[0\]\["k+\.\.\.\]: Unknown field$/);
  });

  it('says what an object is instead of [object Object]', () => {
    const text = 'kind: {a: 1}\n---\n' + pod('{name: c, image: alpine}');
    expect(lines(text).join('\n')).toContain('document 1 ({"a":1}) does not run a pod - ignoring');
    expect(lines(text).join('\n')).not.toContain('[object Object]');
  });

  it('warns when a literal env value looks like a secret, without repeating it', () => {
    const warnings = lines(
      pod(
        '{name: c, image: alpine, env: [{name: AWS_SECRET_ACCESS_KEY, value: ' +
          'wJalrXUtnFEMI}, {name: DB_PASSWORD, value: hunter2}, {name: MODE, value: fast}]}',
      ),
    );
    expect(warnings.filter((w) => w.includes('looks like a secret'))).toEqual([
      'Warning: spec.containers[0].env[0].value: AWS_SECRET_ACCESS_KEY looks like a secret, and a literal value ' +
        'is written into the state machine definition and the CloudFormation template: use valueFrom.secretKeyRef',
      'Warning: spec.containers[0].env[1].value: DB_PASSWORD looks like a secret, and a literal value is ' +
        'written into the state machine definition and the CloudFormation template: use valueFrom.secretKeyRef',
    ]);
    expect(warnings.join('\n')).not.toMatch(/wJalrXUtnFEMI|hunter2/);
  });
});

describe('bounded work on any input (timings: npm run bench:hostile)', () => {
  it('reads an 80 KB quantity as not a quantity', () => {
    expect(errors(pod(`{name: c, image: alpine, resources: {limits: {cpu: "${'1'.repeat(80_000)}x"}}}`))[0]).toMatch(
      /^spec\.containers\[0\]\.resources\.limits\.cpu: Invalid value: "1+\.\.\.: quantities must match/,
    );
  });

  it('suggests nothing for a huge unknown key, and still finds a near one', () => {
    expect(errors(pod(`{name: c, image: alpine, ${'imag'.repeat(50_000)}: x}`))[0]).toMatch(/: Unknown field$/);
    expect(errors(pod('{name: c, image: alpine, imagePullPolicyy: x}'))).toEqual([
      'spec.containers[0].imagePullPolicyy: Unknown field: did you mean "imagePullPolicy"?',
    ]);
  });

  it('finds a duplicate key among 40,000 and refuses more lines than a pod can need', () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `k${i}: 1`);
    expect(errors(`a: {${[...keys, 'k7: 2'].join(', ')}}`)[0]).toMatch(
      /^invalid YAML: duplicated mapping key at line 1/,
    );
    expect(errors('a: 1\n'.repeat(PARSE_LIMITS.maxItems + 1))).toEqual([
      `input has more than ${PARSE_LIMITS.maxItems} lines and flow items`,
    ]);
  });

  it('refuses deep nesting before the parser recurses into it', () => {
    for (const deep of ['['.repeat(1_000_000), `${'- '.repeat(1_000_000)}x`, '{a: '.repeat(500_000)]) {
      expect(errors(deep)).toEqual([`nesting deeper than ${PARSE_LIMITS.maxDepth} levels`]);
    }
    // Brackets inside quotes and comments are text, not nesting
    expect(
      errors(
        pod(`{name: c, image: alpine, command: ["${'['.repeat(300)}", '${'{'.repeat(300)}']} # ${'['.repeat(300)}`),
      ),
    ).toEqual([]);
  });

  it("refuses a grace period beyond Node's timers and more containers than a stack can hold", () => {
    expect(errors(pod('{name: c, image: alpine}', '  terminationGracePeriodSeconds: 2147484\n'))).toEqual([
      'spec.terminationGracePeriodSeconds: Invalid value: 2147484: must be less than or equal to 2147483',
    ]);
    const many = Array.from({ length: 501 }, (_, i) => `  - {name: c${i}, image: alpine}`).join('\n');
    expect(errors(`apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n${many}\n`)).toEqual([
      'spec.containers: Too many: 501: must have at most 500 items',
    ]);
  });
});
