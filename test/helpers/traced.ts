import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../lib/package-root.js';
import { tempDir } from './temp.js';

/** What a node process prints and every module URL it resolved (./trace-hooks.mjs), run from the package root. */
export function traced(nodeArgs: readonly string[]): { stdout: string; modules: string[] } {
  const trace = join(tempDir('pod2sfn-trace-'), 'modules.txt');
  writeFileSync(trace, '');
  const stdout = execFileSync(process.execPath, ['--import', './test/helpers/trace-imports.mjs', ...nodeArgs], {
    cwd: packageRoot(),
    encoding: 'utf8',
    env: { ...process.env, POD2SFN_TRACE_FILE: trace },
  });
  return { stdout, modules: readFileSync(trace, 'utf8').split('\n').filter(Boolean) };
}

/**
 * The CLI as tsc built it (dist/lib/cli/main.js, one file a module, unlike the bundled binary), so that
 * a trace says which of pod2sfn's modules a command loaded.
 */
export function tracedMain(args: readonly string[]): { stdout: string; modules: string[] } {
  const drive =
    "const { main } = await import('./dist/lib/cli/main.js'); process.exitCode = await main(process.argv.slice(1));";
  return traced(['--input-type=module', '-e', drive, '--', ...args]);
}
