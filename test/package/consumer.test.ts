import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../lib/package-root.js';
import { tempDir } from '../helpers/run-cli.js';

/**
 * pod2sfn as a user gets it: `npm pack` of the built package, installed from the tarball into a fresh
 * CDK app that brings its own aws-cdk-lib (another version than ours, inside the peer range). Slow (an
 * npm install, about a minute): one file, nothing kept between runs but npm's own download cache.
 * Needs `npm run build` first, as `npm test` does.
 */
const exec = promisify(execFile);
const ROOT = packageRoot();
const OURS = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
/** The lowest aws-cdk-lib the peer range admits: what the range promises, tested. */
const CONSUMER_CDK = OURS.peerDependencies['aws-cdk-lib']!.replace(/^\^/, '');
const dir = tempDir('pod2sfn-package-');
const app = join(dir, 'app');
let tarball: string;
let install: { stdout: string; stderr: string };

const CONSUMER_APP =
  `
import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { PodRunsApi, PodStateMachine, compile, printPod } from 'pod2sfn';

const spec = readFileSync(new URL('./pod.yaml', import.meta.url), 'utf8');
const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'Consumer');
const pods = ['lambda', 'ecs', 'activity'].map((executor) =>
  new PodStateMachine(stack, 'Pod_' + executor, { spec, executor, stateMachineName: 'pod-' + executor }));
new PodRunsApi(stack, 'Runs', { stateMachine: pods[0].stateMachine });
const template = app.synth().getStackByName('Consumer').template;
console.log(JSON.stringify({
  types: Object.values(template.Resources).map((r) => r.Type),
  lambdaCode: Object.values(template.Resources)` +
  `.filter((r) => r.Type === 'AWS::Lambda::Function').map((r) => r.Properties.Code),
  compiled: compile(spec).compiled !== undefined,
  column: typeof printPod,
}));
`;

async function npm(args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  // --prefer-offline: npm's download cache answers without a round trip per package; the install is still fresh.
  return exec('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel', 'warn'], {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
  });
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/runner/index.mjs')))
    throw new Error('run `npm run build` first: dist/runner/index.mjs is missing');
  // --ignore-scripts: pack the build that is there; prepack would rebuild dist under the other tests.
  const packed = await npm(['pack', '--ignore-scripts', '--pack-destination', dir], ROOT);
  tarball = join(dir, packed.stdout.trim().split('\n').pop()!);
  await exec('mkdir', [app]);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: { 'aws-cdk-lib': CONSUMER_CDK, constructs: OURS.devDependencies.constructs },
    }),
  );
  writeFileSync(join(app, 'app.mjs'), CONSUMER_APP);
  writeFileSync(join(app, 'pod.yaml'), readFileSync(join(ROOT, 'examples/init-containers.yaml')));
  install = await npm(['install', tarball], app);
}, 115_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the packed package', () => {
  it('holds the build, the runner bundle, the docs and the examples, and no tests, sources or fixtures', async () => {
    // GIVEN the tarball npm pack made
    const { stdout } = await exec('tar', ['tzf', tarball]);
    const files = stdout
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    // THEN it ships what a user runs and reads
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/lib/index.js',
        'dist/lib/index.d.ts',
        'dist/runner/index.mjs',
        'dist/bin/pod2sfn.js',
        'README.md',
        'docs/deploy.md',
        'examples/init-containers.yaml',
      ]),
    );
    // AND nothing only the repository needs
    expect(files.filter((f) => /^(test|lib|lambdas|bench|scripts|\.ci)\/|\.map$|tsconfig|vitest/.test(f))).toEqual([]);
  });

  it("installs with the app's own aws-cdk-lib (one copy) and no build tools", () => {
    // GIVEN the consumer installed the tarball beside aws-cdk-lib ${CONSUMER_CDK}
    const modules = join(app, 'node_modules');
    const installed = JSON.parse(readFileSync(join(modules, 'aws-cdk-lib/package.json'), 'utf8')) as {
      version: string;
    };
    // THEN its aws-cdk-lib is the only one, not ours
    expect(installed.version).toBe(CONSUMER_CDK);
    expect(installed.version).not.toBe(OURS.devDependencies['aws-cdk-lib']);
    expect(existsSync(join(modules, 'pod2sfn/node_modules/aws-cdk-lib'))).toBe(false);
    // AND neither esbuild, tsx nor the CDK CLI came along
    expect(readdirSync(modules).filter((m) => ['esbuild', 'tsx', 'aws-cdk'].includes(m))).toEqual([]);
    // AND npm warned about nothing but aws-local-stepfunctions' engines (issue 13 removes that one)
    const warnings = install.stderr
      .split('\n')
      .filter(
        (l) =>
          /warn/i.test(l) &&
          !/aws-local-stepfunctions|EBADENGINE (Unsupported engine \{|\})|required:|current:/.test(l),
      );
    expect(warnings).toEqual([]);
  });

  it('synthesizes PodStateMachine on every executor and PodRunsApi, with no lock file, esbuild or Docker', async () => {
    // GIVEN a CDK app that imports the constructs from 'pod2sfn' (no lock file of pod2sfn's is there)
    expect(existsSync(join(app, 'node_modules/pod2sfn/package-lock.json'))).toBe(false);
    // WHEN it synthesizes, with no docker on PATH
    const { stdout } = await exec(process.execPath, ['app.mjs'], {
      cwd: app,
      env: { ...process.env, PATH: '/nonexistent' },
    });
    const result = JSON.parse(stdout) as {
      types: string[];
      lambdaCode: Array<{ S3Key: unknown }>;
      compiled: boolean;
      column: string;
    };
    // THEN each executor's resources are there
    expect(result.types).toEqual(
      expect.arrayContaining([
        'AWS::Lambda::Function',
        'AWS::ECS::TaskDefinition',
        'AWS::StepFunctions::Activity',
        'AWS::ApiGateway::RestApi',
      ]),
    );
    expect(result.types.filter((t) => t === 'AWS::StepFunctions::StateMachine')).toHaveLength(3);
    // AND every runner function deploys the one prebuilt bundle, staged into the app's cdk.out
    const keys = new Set(result.lambdaCode.map((c) => JSON.stringify(c.S3Key)));
    expect(keys.size).toBe(1);
    const staged = readdirSync(join(app, 'cdk.out')).filter((f) => f.startsWith('asset.'));
    expect(staged.map((a) => readdirSync(join(app, 'cdk.out', a)))).toContainEqual(['index.mjs']);
    // AND the compile API and the kubectl columns come from the same import
    expect(result).toMatchObject({ compiled: true, column: 'function' });
  });

  it('runs `npx pod2sfn validate` with no warning the user did not ask for', async () => {
    // WHEN the user validates the seed pod with the installed CLI
    const { stdout, stderr } = await exec('npx', ['pod2sfn', 'validate', 'pod.yaml'], { cwd: app });
    // THEN it passes (exit 0, or exec would throw) with its one summary line and nothing on stderr
    expect(stdout).toMatch(/^pod\.yaml: pod\/init-containers-pod is valid/);
    expect(stderr).toBe('');
  });
});
