import { execFile } from 'node:child_process';
import { cpSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../../lib/compile.js';
import { PodStack } from '../../lib/aws/pod-stack.js';
import { packageRoot } from '../../lib/package-root.js';
import { example, testApp } from '../aws/synth.js';
import { tempDir } from '../helpers/run-cli.js';
import { traced } from '../helpers/traced.js';

/** The Lambda runner bundle (scripts/bundle-runner.mjs) that the package ships and deploys as an asset. */
const exec = promisify(execFile);
const ROOT = packageRoot();
const dir = tempDir('pod2sfn-bundle-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bundle(root: string, out: string): Promise<Buffer> {
  await exec(process.execPath, [join(root, 'scripts/bundle-runner.mjs'), out]);
  return readFileSync(join(out, 'index.mjs'));
}

function runnerCode(): unknown {
  const compiled = compile(example('init-containers.yaml')).compiled!;
  const app = testApp();
  new PodStack(app, 'Pod', { compiled });
  const resources = Object.values(
    app.synth().getStackByName('Pod').template.Resources as Record<
      string,
      { Type: string; Properties: { Code?: unknown } }
    >,
  );
  return resources.filter((r) => r.Type === 'AWS::Lambda::Function').map((r) => r.Properties.Code);
}

describe('the runner bundle', () => {
  it('is the same bytes from the same source, wherever the source is checked out, and is what dist ships', async () => {
    // GIVEN a second checkout of the sources at another path
    const copy = join(dir, 'checkout');
    for (const part of ['lib', 'lambdas', 'scripts', 'package.json', 'tsconfig.json'])
      cpSync(join(ROOT, part), join(copy, part), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    // WHEN both are bundled
    const here = await bundle(ROOT, join(dir, 'a'));
    const there = await bundle(copy, join(dir, 'b'));
    // THEN the bytes are equal, hold no absolute path, and equal the bundle npm run build made
    expect(there.equals(here)).toBe(true);
    expect(here.toString()).not.toContain(ROOT);
    expect(readFileSync(join(ROOT, 'dist/runner/index.mjs')).equals(here)).toBe(true);
    // AND the bundle exports the Lambda handler
    expect(here.toString()).toMatch(/export\s*\{[^}]*\bhandler\b/);
  });

  it('loads no AWS SDK client until a container needs one (a cold start of every container runner)', () => {
    // GIVEN the bundle npm run build made, loaded with every module it resolves traced
    const { modules } = traced(['--input-type=module', '-e', "await import('./dist/runner/index.mjs')"]);
    // THEN it loaded, and no client came with it: S3 waits for a volume handoff, SSM and Secrets Manager for
    // a ConfigMap or a Secret
    expect(modules.some((m) => m.endsWith('/dist/runner/index.mjs'))).toBe(true);
    expect(modules.filter((m) => m.includes('/@aws-sdk/') || m.includes('/@smithy/'))).toEqual([]);
  });

  it('gives every synth the same asset hash', () => {
    // WHEN the seed pod is synthesized twice on the lambda executor
    const first = runnerCode();
    // THEN each runner function's code is the one asset, with the same S3 key both times
    expect(new Set((first as Array<{ S3Key: unknown }>).map((c) => JSON.stringify(c.S3Key))).size).toBe(1);
    expect(runnerCode()).toEqual(first);
  });
});
