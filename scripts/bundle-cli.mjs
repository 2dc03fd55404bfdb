#!/usr/bin/env node
// Bundles the CLI (bin/pod2sfn.ts) into dist/bin/pod2sfn.js, over what tsc wrote there, with one chunk
// per lazily loaded part (dist/bin/chunks/): Node then reads a handful of files instead of ~150 (zod
// alone is 95 modules), and zod and js-yaml bring only the code pod2sfn uses. Every other package stays
// an import resolved at run time (aws-cdk-lib and the AWS SDK are peers or too big to bundle, and the
// verbs that need them load them on demand). dist/lib (tsc's output) stays the package's library.
// `node scripts/bundle-cli.mjs [OUTDIR]`.
//
// Deterministic, as scripts/bundle-runner.mjs: no source map, no timestamps, content-hashed chunk names.
import { chmodSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(process.argv[2] ?? join(root, 'dist/bin'));
/**
 * Bundled: the pure-ESM packages that every compiling verb loads (zod, and js-yaml, the manifest's parser).
 * The YAML emitter (`yaml`, for `-o yaml`) stays a package, loaded by lib/cli/output.ts when it is used.
 */
const BUNDLED = new Set(['zod', 'js-yaml']);

mkdirSync(outdir, { recursive: true });
rmSync(join(outdir, 'chunks'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { pod2sfn: 'bin/pod2sfn.ts' },
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  plugins: [
    {
      name: 'only-zod-and-js-yaml',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
          return BUNDLED.has(name) ? undefined : { path: args.path, external: true };
        });
      },
    },
  ],
  sourcemap: false,
  // Less for V8 to parse at every start (a cold validate compiles ~500 KB); names are kept, so that an
  // error's name and a POD2SFN_DEBUG stack still read as the source's.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
// tsc's declaration and map of the entry describe a file that is no longer there.
for (const f of readdirSync(outdir)) if (/^pod2sfn\.(d\.ts|js\.map|d\.ts\.map)$/.test(f)) rmSync(join(outdir, f));
// Executable, as npm makes a bin it installs: `npx pod2sfn` runs this file itself, and npx links it only
// once per checkout path, so a dist/ written again (a clean build, a new clone at the same path) would be
// refused ("Permission denied") without it.
chmodSync(join(outdir, 'pod2sfn.js'), 0o755);
