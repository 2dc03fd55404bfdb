#!/usr/bin/env node
// Bundles the Lambda container runner (lambdas/container-runner) into one ESM file, dist/runner/index.mjs,
// which the package ships and PodStateMachine deploys with Code.fromAsset: a consumer synthesizes with no
// esbuild, no lock file and no Docker. `node scripts/bundle-runner.mjs [OUTDIR]`.
//
// Deterministic: no source map, no timestamps, paths in comments relative to the package root, so the
// same source gives the same bytes, and the same asset hash, wherever the package is checked out.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(process.argv[2] ?? join(root, 'dist/runner'));
mkdirSync(outdir, { recursive: true });
await build({
  absWorkingDir: root,
  entryPoints: ['lambdas/container-runner/index.ts'],
  outfile: join(outdir, 'index.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  // The deployed runtime is nodejs24.x (lib/aws/container-runner-function.ts).
  target: 'node22',
  // The Lambda runtime provides the AWS SDK for JavaScript v3's clients; @aws-sdk/lib-storage (the
  // volume saves' streamed upload) is not one of them everywhere, so it is bundled.
  external: ['@aws-sdk/client-*', '@smithy/*'],
  // Bundled CommonJS code may call require(); ESM has none.
  banner: {
    js:
      "import { createRequire as __pod2sfnCreateRequire } from 'node:module'; " +
      'const require = __pod2sfnCreateRequire(import.meta.url);',
  },
  // A checkout whose node_modules is a link (a worktree) names bundled packages as node_modules/...
  // too, not by the link's target: the same bytes wherever the source is.
  preserveSymlinks: true,
  sourcemap: false,
  minify: false,
  legalComments: 'eof',
  logLevel: 'warning',
});
