import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, type CompileOptions, type Compiled } from '../../lib/compile.js';
import { formatDiagnostic } from '../../lib/diagnostics.js';
import { packageRoot } from '../../lib/package-root.js';

/** Compiles spec text that a test expects to be valid; its diagnostics, one a line, when it is not. */
export function compileOrThrow(text: string, options: CompileOptions = {}): Compiled {
  const result = compile(text, options);
  if (!result.compiled) throw new Error(result.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
  return result.compiled;
}

/** The text of examples/<name>, the manifests the README shows. */
export function example(name: string): string {
  return readFileSync(join(packageRoot(), 'examples', name), 'utf8');
}
