import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { packageRoot } from '../../lib/package-root.js';

export interface Prerequisite {
  /** What is missing, as a user would look for it: `dist/ (npm run build)`. */
  readonly name: string;
  readonly present: boolean;
}

/** The built CLI: `npm test` builds it first. */
export const BUILT_CLI: Prerequisite = {
  name: 'dist/bin/pod2sfn.js (run npm run build)',
  present: existsSync(join(packageRoot(), 'dist/bin/pod2sfn.js')),
};

/**
 * `describe`, when what the tests need is there. When it is not: under CI=true one failing test says
 * what is missing (a CI that cannot see its prerequisites must not pass); elsewhere one skipped test
 * says so, in the report and on stderr, so that a skip is never silent.
 */
export function describeWith(prerequisite: Prerequisite, title: string, body: () => void): void {
  if (prerequisite.present) {
    describe(title, body);
    return;
  }
  const missing = `${title}: needs ${prerequisite.name}, which is missing`;
  if (process.env.CI === 'true') {
    describe(title, () => {
      it(`needs ${prerequisite.name}`, () => {
        throw new Error(`${missing} (CI=true: a missing prerequisite fails)`);
      });
    });
    return;
  }
  console.warn(`SKIPPED ${missing}`);
  describe(title, () => {
    it.skip(`SKIPPED: needs ${prerequisite.name}, which is missing`, () => {});
  });
}
