import { error, type Diagnostic, type PathSegment } from '../diagnostics.js';

const MAX_REPORTED = 10;

/**
 * NUL bytes anywhere in the object, keys included. No process can receive one (execve ends a string at
 * NUL), and lib/asl marks its placeholders with it, so user text must never hold one. The message names
 * the field, never the value (it may be a secret). Iterative: a deep object cannot overflow the stack.
 */
export function nulBytes(object: unknown, root: readonly PathSegment[] = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Each entry links to its parent: a path is built only for a field that holds a NUL, not for every field.
  const stack: Entry[] = [{ value: object }];
  while (stack.length > 0 && out.length < MAX_REPORTED) {
    const entry = stack.pop()!;
    const value = entry.value;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) out.push(error(pathOf(entry, root), 'Invalid value: must not contain a NUL byte'));
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], parent: entry, segment: i });
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        if (key.includes('\u0000')) {
          out.push(error(pathOf(entry, root), 'Invalid value: a key must not contain a NUL byte'));
        } else stack.push({ value: child, parent: entry, segment: key });
      }
    }
  }
  return out.slice(0, MAX_REPORTED);
}

interface Entry {
  readonly value: unknown;
  readonly parent?: Entry;
  readonly segment?: PathSegment;
}

function pathOf(entry: Entry, root: readonly PathSegment[]): PathSegment[] {
  const segments: PathSegment[] = [];
  for (let e: Entry | undefined = entry; e?.parent; e = e.parent) segments.push(e.segment!);
  return [...root, ...segments.reverse()];
}
