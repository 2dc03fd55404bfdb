import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import validator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { diagram } from '../../lib/asl/diagram.js';
import { MAX_STATE_NAME } from '../../lib/asl/names.js';
import { placeholdersIn } from '../../lib/asl/substitutions.js';
import type { State } from '../../lib/asl/types.js';
import { definitionJson } from '../../lib/compile.js';
import { allStates } from '../helpers/asl.js';
import { compileOrThrow } from '../helpers/compile.js';

/**
 * Golden files (kompose-style): test/fixtures/asl/<case>/input.yaml → expected.asl.json and
 * expected.mermaid. A missing expected file fails the test; only `UPDATE_GOLDEN=1 npx vitest run
 * test/asl/golden.test.ts` writes them (new cases included): review the diff before committing it.
 */
const FIXTURES = join(import.meta.dirname, '../fixtures/asl');
const cases = readdirSync(FIXTURES).sort();

function compileCase(name: string) {
  return compileOrThrow(readFileSync(join(FIXTURES, name, 'input.yaml'), 'utf8'));
}

function golden(name: string, file: string, actual: string): void {
  const path = join(FIXTURES, name, file);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(existsSync(path), `${path} is missing: write it with UPDATE_GOLDEN=1 and review it`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe.each(cases)('%s', (name) => {
  it('emits the golden definition and diagram', () => {
    // GIVEN the case's input / WHEN compiled / THEN the definition and its diagram are byte-identical
    // to the expected files
    const compiled = compileCase(name);
    golden(name, 'expected.asl.json', `${definitionJson(compiled, 'indented')}\n`);
    golden(name, 'expected.mermaid', diagram(compiled.definition, 'mermaid'));
  });

  it('passes asl-validator', () => {
    // GIVEN the compiled case / WHEN validated as Step Functions would / THEN no error
    const result = validator(compileCase(name).definition, { checkArn: true, checkPaths: true });
    expect(result.errorsText?.('\n') ?? result.errors).toEqual('');
    expect(result.isValid).toBe(true);
  });

  it('is deterministic: the same input gives byte-identical output', () => {
    // GIVEN the same input / WHEN compiled twice / THEN the same bytes
    expect(definitionJson(compileCase(name))).toBe(definitionJson(compileCase(name)));
  });

  it('has unique state names of at most 80 characters, and binds every Task', () => {
    // GIVEN the compiled case / THEN its state names are unique and within Step Functions' limit
    const compiled = compileCase(name);
    const names = allStates(compiled.definition).map(([n]) => n);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => n.length > MAX_STATE_NAME)).toEqual([]);
    // AND every Task state has a local binding
    const tasks = allStates(compiled.definition)
      .filter(([, s]) => s.Type === 'Task')
      .map(([n]) => n);
    expect(compiled.tasks.map((t) => t.state).sort()).toEqual(tasks.sort());
  });

  it('uses JSONPath only and carries no secret value', () => {
    // GIVEN the compiled definition / THEN no JSONata and only well-formed substitution placeholders
    const json = definitionJson(compileCase(name));
    expect(json).not.toMatch(/"(Arguments|Output|Assign|QueryLanguage": "JSONata)"/);
    expect(json).not.toMatch(/\{%/);
    for (const key of placeholdersIn(json)) expect(key).toMatch(/^[A-Za-z0-9_]+$/);
  });
});

describe('the seed pod', () => {
  it('runs its Task states in the order of the spec', () => {
    // GIVEN the seed pod / WHEN compiled
    const { definition } = compileCase('seed');
    // THEN following Next from StartAt visits init-container-1, init-container-2, then the Parallel
    const order: string[] = [];
    for (let name: string | undefined = definition.StartAt; name !== undefined;) {
      order.push(name);
      const state: State = definition.States[name]!;
      name = 'Next' in state ? state.Next : undefined;
    }
    expect(order.slice(0, 4)).toEqual([
      'Init: init-container-1',
      'Init: init-container-2',
      'Containers',
      'Check containers',
    ]);
    const parallel = definition.States['Containers']!;
    expect(parallel.Type === 'Parallel' && parallel.Branches.map((b) => b.StartAt)).toEqual(['Run: main-container']);
  });
});
