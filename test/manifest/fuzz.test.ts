import validator from 'asl-validator';
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compile, definitionJson } from '../../lib/compile.js';
import { deployedDefinitionLength, LIMITS } from '../../lib/model/limits.js';
import { placeholdersIn } from '../../lib/asl/substitutions.js';
import { cli } from '../helpers/cli.js';
import { corpusFiles } from '../helpers/corpus.js';

/**
 * Property: whatever a user writes, `pod2sfn validate` answers 0 or 2, never an exception or a stack
 * trace, and a spec it accepts compiles to valid ASL within Step Functions' limits (issue 14, "Tests to
 * add"). Inputs are mutations of the real manifests in ../shared/corpus, with hostile values: shell
 * `${VAR}`, placeholder look-alikes, `..`, flag-like images, NUL and escape bytes, long strings, wrong
 * types. Seeded, so a failure reproduces; bounded in time, so it stays a unit test.
 */
const SEED = 14;
const TIME_LIMIT_MS = 4_000;
const MAX_VALIDATED = 12;

const corpus = corpusFiles().map(({ file, text }) => ({
  file,
  documents: parseAllDocuments(text).map((d) =>
    Array.isArray(d) ? null : d.toJS({ maxAliasCount: 100 }),
  ) as unknown[],
}));

const HOSTILE_STRINGS = [
  '${HOME}',
  '${Activity_main}',
  '${\u0000EcsCluster}',
  '\\u0024{Lambda_x}',
  '$(HOME)',
  '../../etc/passwd',
  '/data/../..',
  'relative/dir',
  '-v=/:/host',
  '--privileged',
  'a\u0000b',
  '\u001b[31mred\u001b[0m',
  '\u202etxt.exe',
  '',
  ' ',
  'x'.repeat(5_000),
  '1'.repeat(200),
  '100m',
  '1e999',
  'Always',
  'Never',
  'pod2sfn.dev/executor',
  'activity',
  'ecs',
];

const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.constantFrom(0, -1, 2_147_483_648, 99_999_999_999, Number.MAX_SAFE_INTEGER, 1.5),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.constantFrom(...HOSTILE_STRINGS), { maxLength: 3 }),
  fc.dictionary(
    fc.constantFrom('name', 'image', 'value', 'mountPath', 'x', '${X}'),
    fc.constantFrom(...HOSTILE_STRINGS),
    { maxKeys: 3 },
  ),
);

type Edit = { readonly at: number; readonly op: 'set' | 'delete' | 'duplicate' | 'rename'; readonly value: unknown };
const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('set', 'set', 'delete', 'duplicate', 'rename'),
  value,
});

/** Every (container, key) pair of a parsed document, depth first: where an edit may land. */
function slots(root: unknown): Array<[Record<string | number, unknown>, string | number]> {
  const out: Array<[Record<string | number, unknown>, string | number]> = [];
  const visit = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    for (const key of Array.isArray(node) ? node.keys() : Object.keys(node)) {
      out.push([node as Record<string | number, unknown>, key]);
      visit((node as Record<string | number, unknown>)[key]);
    }
  };
  visit(root);
  return out;
}

function mutate(documents: readonly unknown[], edits: readonly Edit[]): string {
  const copy = structuredClone(documents) as unknown[];
  for (const e of edits) {
    const all = copy.flatMap((d) => slots(d));
    if (all.length === 0) break;
    const [parent, key] = all[e.at % all.length]!;
    if (e.op === 'set') parent[key] = e.value;
    else if (e.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (e.op === 'duplicate') {
      if (Array.isArray(parent)) parent.push(structuredClone(parent[key]));
      else parent[`${String(key)}x`] = parent[key];
    } else if (!Array.isArray(parent) && typeof e.value === 'string') {
      parent[e.value] = parent[key];
      delete parent[key];
    }
  }
  return copy.map((d) => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

/** What makes two definitions alike to asl-validator: structure and paths, not the text of commands and env. */
const STRUCTURAL = /(\.\$|Path|^Resource|^Type|^Next|^StartAt|^Default|^Variable|^Error)$/;
function shape(definition: object): string {
  return JSON.stringify(definition, (key, v: unknown) =>
    typeof v !== 'string' || STRUCTURAL.test(key) ? v : v === '' ? '' : v.includes('\n') ? 'a\nb' : 's',
  );
}

describe.skipIf(corpus.length === 0)('fuzzing the loader and validator over mutated corpus manifests', () => {
  it('answers 0 or 2, never throws, and every accepted spec is valid ASL within the limits', async () => {
    let accepted = 0;
    let runs = 0;
    // asl-validator compiles its schemas on every call (~0.3 s): each shape of definition is kept once and
    // the first MAX_VALIDATED shapes are checked after the runs.
    const shapes = new Map<string, { file: string; definition: object }>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...corpus),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(undefined, 'ecs', 'activity'),
        async (manifest, edits, executor) => {
          runs++;
          // GIVEN a corpus manifest with a few hostile edits
          const text = mutate(manifest.documents, edits);
          // WHEN `pod2sfn validate -` reads it (the CLI's own entry, in-process)
          const result = await cli(['validate', '-', ...(executor ? ['--executor', executor] : [])], { stdin: text });
          // THEN the answer is a verdict, never a crash
          expect([0, 2], `${manifest.file}: exit ${result.code}: ${result.stderr}`).toContain(result.code);
          expect(result.stderr).not.toMatch(/\n\s+at /);
          if (result.code !== 0) return;
          // AND an accepted spec compiles to a definition Step Functions would take
          accepted++;
          const compiled = compile(text, executor ? { executor } : {}).compiled!;
          const key = shape(compiled.definition);
          if (!shapes.has(key)) shapes.set(key, { file: manifest.file, definition: compiled.definition });
          const json = definitionJson(compiled);
          expect(deployedDefinitionLength(json)).toBeLessThanOrEqual(LIMITS.definitionCharacters);
          expect(JSON.parse(json)).toBeTypeOf('object');
          for (const key of placeholdersIn(json))
            expect(key).toMatch(/^(Lambda|TaskDefinition|Activity)_[a-z0-9_]+$|^Ecs[A-Za-z]+$|^VolumeBucket$/);
        },
      ),
      { seed: SEED, numRuns: 100_000, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
    );
    for (const { file, definition } of [...shapes.values()].slice(0, MAX_VALIDATED)) {
      const checked = validator(definition, { checkArn: true, checkPaths: true });
      expect(checked.errorsText?.('\n') ?? '', file).toBe('');
    }
    // The property ran on enough inputs, some of which were accepted, to mean something.
    expect(runs).toBeGreaterThan(50);
    expect(accepted).toBeGreaterThan(0);
  });
});
