import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { compile } from '../../lib/compile.js';
import type { Workflow } from '../../lib/model/workflow.js';
import type { PodEvent } from '../../lib/status/events.js';

/**
 * test/fixtures/timeline/<case>/: input.yaml (the pod), events.json (what a runtime reported, `at`
 * as ISO strings) and expected.mermaid, which only `UPDATE_GOLDEN=1 npx vitest run test/timeline` writes.
 */
export const TIMELINE_FIXTURES = join(import.meta.dirname, '../fixtures/timeline');

export function timelineCase(name: string): { workflow: Workflow; events: PodEvent[] } {
  const dir = join(TIMELINE_FIXTURES, name);
  const result = compile(readFileSync(join(dir, 'input.yaml'), 'utf8'));
  if (!result.compiled) throw new Error(JSON.stringify(result.diagnostics));
  const raw = JSON.parse(readFileSync(join(dir, 'events.json'), 'utf8')) as Array<PodEvent & { at: string }>;
  return { workflow: result.compiled.workflow, events: raw.map((e) => ({ ...e, at: new Date(e.at) }) as PodEvent) };
}

export function expectGolden(name: string, file: string, actual: string): void {
  const path = join(TIMELINE_FIXTURES, name, file);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  if (!existsSync(path))
    throw new Error(`${path} is missing: write it with UPDATE_GOLDEN=1 npx vitest run test/timeline`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
