import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** ../shared/corpus: real manifests that tests read in place (never copied into the repo). */
export const CORPUS_DIR = join(import.meta.dirname, '../../../shared/corpus');

/**
 * The corpus manifests by file name. Missing under CI=true is an error (a test that would silently run
 * nothing); elsewhere it is empty, and the caller skips visibly (describe.skipIf).
 */
export function corpusFiles(): Array<{ file: string; text: string }> {
  if (!existsSync(CORPUS_DIR)) {
    if (process.env.CI === 'true') throw new Error(`the corpus is missing: ${CORPUS_DIR} (CI=true)`);
    return [];
  }
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(CORPUS_DIR, file), 'utf8') }));
}
