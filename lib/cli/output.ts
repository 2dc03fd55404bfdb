import { createRequire } from 'node:module';
import { formatDiagnostic, hasErrors, DiagnosticError, type Diagnostic } from '../diagnostics.js';
import { UsageError } from './verb.js';
import type { Io } from './io.js';

export const OUTPUT_FORMATS = ['json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function outputFormat(value: unknown, fallback: OutputFormat = 'json'): OutputFormat {
  if (value === undefined) return fallback;
  if ((OUTPUT_FORMATS as readonly unknown[]).includes(value)) return value as OutputFormat;
  throw new UsageError(`unknown output format ${JSON.stringify(value)}: use ${OUTPUT_FORMATS.join(' or ')}`);
}

let yaml: typeof import('yaml') | undefined;

/** JSON as the definition is deployed (two-space indent), or YAML as kubectl prints it. */
export function render(value: unknown, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(value, null, 2)}\n`;
  // The YAML emitter is loaded at the first YAML output only: a verb that prints JSON, or nothing, never
  // pays for it (~30 ms of start-up).
  yaml ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yaml.stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Warnings go to stderr and the work goes on; errors stop it with exit 2, printed by main. */
export function report(diagnostics: readonly Diagnostic[], source: string, io: Io): void {
  if (hasErrors(diagnostics))
    throw new DiagnosticError(
      diagnostics.filter((d) => d.severity === 'error'),
      source,
    );
  for (const d of diagnostics) io.stderr.write(`${formatDiagnostic(d, source)}\n`);
}
