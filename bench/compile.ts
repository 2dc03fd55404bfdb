/**
 * npm run bench — the timing figures pod2sfn claims, each beside its baseline, in one run.
 *   compile: spec text → ASL for the seed pod and for every manifest of ../shared/corpus
 *   startup: `pod2sfn validate` and `synth` wall time vs bare `node`
 *   run: the embedded engine's overhead on a pod whose containers do nothing, vs the bare processes
 * Needs `npm run build` first (the npm script does it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '../lib/compile.js';

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(fn: () => void, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const rows: Array<[string, string]> = [];
const seed = readFileSync('examples/init-containers.yaml', 'utf8');
compile(seed); // warm up the JIT and zod's schema caches
rows.push(['compile seed pod (median of 200)', `${time(() => compile(seed), 200).toFixed(2)} ms`]);

const corpusDir = join('..', 'shared', 'corpus');
if (existsSync(corpusDir)) {
  const texts = readdirSync(corpusDir).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(join(corpusDir, f), 'utf8'));
  rows.push([`compile all ${texts.length} corpus manifests (median of 20)`, `${time(() => texts.forEach((t) => compile(t)), 20).toFixed(1)} ms`]);
}

const node = (args: string[]) => () => execFileSync(process.execPath, args, { stdio: 'ignore' });
rows.push(['baseline: node -e "" (median of 7)', `${time(node(['-e', '']), 7).toFixed(0)} ms`]);
rows.push(['pod2sfn validate seed (median of 7)', `${time(node(['dist/bin/pod2sfn.js', 'validate', 'examples/init-containers.yaml']), 7).toFixed(0)} ms`]);
rows.push(['pod2sfn synth seed (median of 7)', `${time(node(['dist/bin/pod2sfn.js', 'synth', 'examples/init-containers.yaml']), 7).toFixed(0)} ms`]);

// The embedded engine's own cost: a pod whose containers do nothing, end to end through the CLI.
const trivial = join(mkdtempSync(join(tmpdir(), 'pod2sfn-bench-')), 'trivial.yaml');
writeFileSync(trivial, 'apiVersion: v1\nkind: Pod\nmetadata: { name: trivial }\nspec:\n  restartPolicy: Never\n  initContainers: [{ name: init, image: busybox, command: ["true"] }]\n  containers: [{ name: app, image: busybox, command: ["true"] }]\n');
rows.push(['pod2sfn run: 1 init + 1 app container that exit at once, host runtime (median of 5)', `${time(node(['dist/bin/pod2sfn.js', 'run', trivial, '--runtime', 'host', '--quiet']), 5).toFixed(0)} ms`]);
rows.push(['baseline: the same two containers as bare processes (sh -c true, twice; median of 5)', `${time(() => { execFileSync('sh', ['-c', 'true']); execFileSync('sh', ['-c', 'true']); }, 5).toFixed(1)} ms`]);

const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v.padStart(10)}`);
