import { error, type Diagnostic, type PathSegment } from '../diagnostics.js';

const MAX_REPORTED = 10;

/**
 * NUL bytes anywhere in the object, keys included. No process can receive one (execve ends a string at
 * NUL), and lib/asl marks its placeholders with it, so user text must never hold one. The message names
 * the field, never the value (it may be a secret). Iterative: a deep object cannot overflow the stack.
 */
export function nulBytes(object: unknown, root: readonly PathSegment[] = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  const stack: Array<[unknown, readonly PathSegment[]]> = [[object, root]];
  while (stack.length > 0 && out.length < MAX_REPORTED) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) out.push(error(path, 'Invalid value: must not contain a NUL byte'));
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], [...path, i]]);
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        if (key.includes('\u0000')) out.push(error(path, 'Invalid value: a key must not contain a NUL byte'));
        else stack.push([child, [...path, key]]);
      }
    }
  }
  return out.slice(0, MAX_REPORTED);
}
