/**
 * Errors are data until the CLI (docs/design.md §1): every layer returns Diagnostics instead of throwing,
 * and only the CLI decides how to print them and which exit code they mean.
 */
export type Severity = 'error' | 'warning';

export type PathSegment = string | number;

export interface Diagnostic {
  /** Where in the input, as kubectl prints it: `spec.initContainers[1].image`. Empty for the whole input. */
  readonly path: string;
  readonly severity: Severity;
  readonly message: string;
}

/** `['spec', 'initContainers', 1, 'image']` → `spec.initContainers[1].image`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function error(path: readonly PathSegment[], message: string): Diagnostic {
  return { path: formatPath(path), severity: 'error', message };
}

export function warning(path: readonly PathSegment[], message: string): Diagnostic {
  return { path: formatPath(path), severity: 'warning', message };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** One line, the way kubectl prints a field error: `spec.containers[0].image: Required value`. */
export function formatDiagnostic(d: Diagnostic, source?: string): string {
  const where = [source, d.path].filter((s) => s !== undefined && s !== '').join(': ');
  const prefix = d.severity === 'warning' ? 'Warning: ' : '';
  return where === '' ? `${prefix}${d.message}` : `${prefix}${where}: ${d.message}`;
}

/** Thrown only across a layer that cannot return data (a CLI verb); caught and printed by the CLI. */
export class DiagnosticError extends Error {
  constructor(
    readonly diagnostics: readonly Diagnostic[],
    /** The file the paths are in, printed before each: `pod.yaml: spec.containers[0].image: ...`. */
    readonly source?: string,
  ) {
    super(diagnostics.map((d) => formatDiagnostic(d, source)).join('\n'));
    this.name = 'DiagnosticError';
  }
}
