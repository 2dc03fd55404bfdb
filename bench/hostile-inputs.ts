/**
 * npm run bench:hostile [-- ROW] — how long `pod2sfn validate`'s pipeline (compile) takes on the worst inputs found
 * (issue 14 §5): each row is an input up to the parser's 3 MiB cap and its time in ms. The goal is under
 * 1 s per row on the reference machine; the seed pod is the floor measured in the same run.
 */
import { readFileSync } from 'node:fs';
import { compile } from '../lib/compile.js';
import { PARSE_LIMITS } from '../lib/manifest/parse.js';

const MiB = 1024 * 1024;

function pod(container: string, extra = ''): string {
  return `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${extra}  containers:\n  - ${container}\n`;
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

/** The name of each input, and its text (always within the parser's byte cap). */
const INPUTS: Array<[string, () => string]> = [
  ['seed pod (floor)', () => readFileSync('examples/init-containers.yaml', 'utf8')],
  ['80 KB quantity', () => pod(`{name: c, image: i, resources: {limits: {cpu: "${'1'.repeat(80_000)}x"}}}`)],
  ['2.9 MB quantity', () => pod(`{name: c, image: i, resources: {limits: {cpu: "${'1'.repeat(2_900_000)}."}}}`)],
  [
    '40,000 unknown keys',
    () => pod(`{name: c, image: i, ${Array.from({ length: 40_000 }, (_, i) => `k${i}: 1`).join(', ')}}`),
  ],
  [
    '150,000 unknown keys',
    () => pod(`{name: c, image: i, ${Array.from({ length: 150_000 }, (_, i) => `k${i}: 1`).join(', ')}}`),
  ],
  ['did-you-mean over a 200 KB key', () => pod(`{name: c, image: i, ${'imag'.repeat(50_000)}: x}`)],
  ['1.4 MB unknown key', () => pod(`{name: c, image: i, ${'a'.repeat(1_400_000)}: x}`)],
  ['1.4 MB container name', () => pod(`{name: ${'a'.repeat(1_400_000)}-, image: i}`)],
  [
    '1.4 MB dotted volume name',
    () => pod(`{name: c, image: i}`, `  volumes: [{name: "${'a.'.repeat(700_000)}-", emptyDir: {}}]\n`),
  ],
  [
    '1.4 MB metadata.name',
    () =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: "${'a.'.repeat(700_000)}` +
      `-"}\nspec: {containers: [{name: c, image: i}]}\n`,
  ],
  [
    '1.4 MB secret name',
    () =>
      pod(
        `{name: c, image: i, env: [{name: X, valueFrom: {secretKeyRef: {name: "${'a-'.repeat(700_000)}", key: k}}}]}`,
      ),
  ],
  [
    '1.4 MB volumeMount name (did-you-mean)',
    () =>
      pod(
        `{name: c, image: i, volumeMounts: [{name: "${'v'.repeat(1_400_000)}", mountPath: /x}]}`,
        '  volumes: [{name: v, emptyDir: {}}]\n',
      ),
  ],
  ['1.4 MB image reference', () => pod(`{name: c, image: "${'a/'.repeat(700_000)}:"}`)],
  [
    '1.4 MB mountPath',
    () =>
      pod(
        `{name: c, image: i, volumeMounts: [{name: v, mountPath: "/${'a/'.repeat(700_000)}.."}]}`,
        '  volumes: [{name: v, emptyDir: {}}]\n',
      ),
  ],
  ['1.4 MB env name', () => pod(`{name: c, image: i, env: [{name: "${'A'.repeat(1_400_000)}=", value: v}]}`)],
  [
    '1.4 MB annotation key',
    () =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {"pod2sfn.dev/` +
      `${'x'.repeat(1_400_000)}": v}}\nspec: {containers: [{name: c, image: i}]}\n`,
  ],
  [
    '1.4 MB fieldPath',
    () =>
      pod(
        `{name: c, image: i, env: [{name: X, valueFrom: {fieldRef: ` +
          `{fieldPath: "metadata.labels['${'x'.repeat(1_400_000)}"}}}]}`,
      ),
  ],
  [
    '20,000 containers',
    () =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n` +
      `${Array.from({ length: 20_000 }, (_, i) => `  - {name: c${i}, image: i}`).join('\n')}\n`,
  ],
  [
    '20,000 env vars',
    () =>
      pod(
        `{name: c, image: i, env: [${Array.from({ length: 20_000 }, (_, i) => json({ name: `V${i}`, value: 'x' }))}]}`,
      ),
  ],
  ['1,000,000 nested [', () => '['.repeat(1_000_000)],
  ['1,000,000 nested - on one line', () => `${'- '.repeat(1_000_000)}x`],
  ['2,400 levels of indentation', () => Array.from({ length: 2_400 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')],
  [
    '50,000 lines of keys',
    () =>
      pod(
        '{name: c, image: i}',
        `  nodeSelector:\n${Array.from({ length: 49_990 }, (_, i) => `    k${i}: v`).join('\n')}\n`,
      ),
  ],
  ['one 2.9 MB command line', () => pod(`{name: c, image: i, command: ["${'x'.repeat(2_900_000)}"]}`)],
];

const rows: Array<[string, string]> = [];
const only = process.argv[2]; // a substring of the rows to run, e.g. "quantity"
for (const [name, make] of INPUTS) {
  if (only !== undefined && !name.includes(only)) continue;
  const text = make();
  if (Buffer.byteLength(text) > PARSE_LIMITS.maxBytes)
    throw new Error(`${name}: ${Buffer.byteLength(text)} bytes is over the cap`);
  const start = performance.now();
  compile(text);
  rows.push([`${name} (${(Buffer.byteLength(text) / MiB).toFixed(2)} MiB)`, (performance.now() - start).toFixed(0)]);
  process.stdout.write(`${rows.at(-1)![0].padEnd(56)} ${rows.at(-1)![1].padStart(7)} ms\n`);
}
