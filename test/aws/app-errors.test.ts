import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../lib/package-root.js';
import { cli } from '../helpers/cli.js';
import { specFile, tempDir } from '../helpers/run-cli.js';

/** `npx cdk synth -c spec=FILE` runs bin/app.ts with the context in CDK_CONTEXT_JSON; this runs it the same way. */
function cdkApp(context: Record<string, unknown>, cwd: string) {
  const tsx = join(packageRoot(), 'node_modules/.bin/tsx');
  const result = spawnSync(tsx, [join(packageRoot(), 'bin/app.ts')], {
    cwd,
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: join(cwd, 'cdk.out') },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stderr: result.stderr };
}

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cdk synth -c spec=BAD (bin/app.ts)', () => {
  it('prints what pod2sfn validate prints and exits 2, without a stack trace', async () => {
    // GIVEN a spec with two errors
    specFile(
      dir,
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  ' +
        'containers:\n  - {name: Bad_Name, image: "-v=/:/host"}\n',
      'bad.yaml',
    );
    // WHEN the CDK app and `pod2sfn validate` read it
    const app = cdkApp({ spec: 'bad.yaml' }, dir);
    const validate = await cli(['validate', 'bad.yaml'], { cwd: dir });
    // THEN both print the same lines, and the app exits 2
    expect(validate.code).toBe(2);
    expect(app.stderr).toBe(validate.stderr);
    expect(app.code).toBe(2);
    expect(app.stderr).not.toMatch(/\n\s+at /);
  });

  it('says so for a missing file and for bad context, exit 2', () => {
    // GIVEN no such file / an unknown executor / WHEN synthesized / THEN one line each, exit 2
    expect(cdkApp({ spec: 'missing.yaml' }, dir)).toEqual({ code: 2, stderr: 'missing.yaml: no such file\n' });
    const executor = cdkApp({ spec: 'bad.yaml', executor: 'k8s' }, dir);
    expect(executor).toEqual({ code: 2, stderr: 'pod2sfn: unknown executor "k8s": use lambda, ecs or activity\n' });
  });
});
