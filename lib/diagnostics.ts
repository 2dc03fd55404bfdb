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

/** A path segment (a key someone wrote) longer than this is cut: a key can be megabytes long. */
const MAX_SEGMENT = 64;
/** A printed diagnostic line longer than this is cut. */
const MAX_LINE = 1_000;

/** `['spec', 'initContainers', 1, 'image']` → `spec.initContainers[1].image`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (segment.length <= MAX_SEGMENT && /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment))
      out += out === '' ? segment : `.${segment}`;
    else out += `[${quote(segment, MAX_SEGMENT)}]`;
  }
  return out;
}

/**
 * A value from the input, for a message: JSON (strings quoted, objects as JSON rather than
 * `[object Object]`), cut to `max` characters. A string is cut before it is quoted: it may be megabytes.
 */
export function quote(value: unknown, max = 80): string {
  if (value === undefined) return 'null';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(typeof value === 'string' ? value.slice(0, max) : value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

// C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One printable line: control characters escaped (`\x1b`), cut after MAX_LINE characters. */
export function printable(text: string): string {
  const cut =
    text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}... (${text.length - MAX_LINE} more characters)` : text;
  return cut.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
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
  return printable(where === '' ? `${prefix}${d.message}` : `${prefix}${where}: ${d.message}`);
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
