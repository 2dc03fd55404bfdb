import * as core from 'zod/v4/core';
import { error, quote as show, type Diagnostic, type PathSegment } from '../diagnostics.js';
import { Suggester } from './did-you-mean.js';

/**
 * zod issues → kubectl-style field errors: `Required value`, `Invalid value: "x": why`,
 * `Unsupported value: "x": supported values: "a", "b"`, and unknown fields with a did-you-mean.
 */
export function issuesToDiagnostics(
  issues: readonly core.$ZodIssue[],
  root: core.$ZodType,
  input: unknown,
  prefix: readonly PathSegment[] = [],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const suggester = new Suggester();
  for (const issue of inDocumentOrder(issues, input)) {
    const path = [...prefix, ...(issue.path as PathSegment[])];
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(shapeAt(root, issue.path as PathSegment[]) ?? {});
      for (const key of issue.keys) {
        const near = suggester.near(key, known);
        out.push(error([...path, key], `Unknown field${near ? `: did you mean "${near}"?` : ''}`));
      }
      continue;
    }
    out.push(error(path, isEnvValue(path) ? withoutValue(issue) : message(issue)));
  }
  return out;
}

/** zod reports in schema order; a reader expects the order of the file. */
function inDocumentOrder(issues: readonly core.$ZodIssue[], input: unknown): core.$ZodIssue[] {
  const position = (path: readonly PropertyKey[]): number[] => {
    const out: number[] = [];
    let current = input;
    for (const segment of path) {
      if (current === null || typeof current !== 'object') break;
      out.push(Array.isArray(current) ? Number(segment) : Object.keys(current).indexOf(String(segment)));
      current = (current as Record<PropertyKey, unknown>)[segment];
    }
    return out;
  };
  const keyed = issues.map((issue) => ({
    issue,
    at: position(issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path),
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < Math.min(a.at.length, b.at.length); i++) if (a.at[i] !== b.at[i]) return a.at[i]! - b.at[i]!;
    return a.at.length - b.at.length;
  });
  return keyed.map((k) => k.issue);
}

function message(issue: core.$ZodIssue): string {
  const input = 'input' in issue ? issue.input : undefined;
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined
        ? 'Required value'
        : `Invalid value: ${show(input)}: must be ${article(issue.expected)}`;
    case 'invalid_value':
      return `Unsupported value: ${show(input)}: supported values: ${issue.values.map((v) => show(v)).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'array')
        return issue.minimum === 1 ? 'Required value' : `must have at least ${issue.minimum} items`;
      if (issue.origin === 'string')
        return input === '' ? 'Required value' : `Invalid value: ${show(input)}: too short`;
      return `Invalid value: ${show(input)}: must be greater than or equal to ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array')
        return `Too many: ${(input as unknown[]).length}: must have at most ${issue.maximum} items`;
      if (issue.origin === 'string')
        return `Invalid value: ${show(input)}: must be no more than ${issue.maximum} characters`;
      return `Invalid value: ${show(input)}: must be less than or equal to ${issue.maximum}`;
    case 'invalid_format':
    case 'custom':
      return issue.message === 'Required value' ? issue.message : `Invalid value: ${show(input)}: ${issue.message}`;
    case 'invalid_union':
      return `Invalid value: ${show(input)}`;
    default:
      return issue.message;
  }
}

/** `env[i].value` may hold a credential: its errors never repeat it. */
function isEnvValue(path: readonly PathSegment[]): boolean {
  return path.at(-1) === 'value' && path.at(-3) === 'env';
}

function withoutValue(issue: core.$ZodIssue): string {
  return issue.code === 'invalid_type' ? `Invalid value: must be ${article(issue.expected)}` : 'Invalid value';
}

function article(expected: string): string {
  const noun =
    expected === 'number'
      ? 'a number'
      : expected === 'int'
        ? 'an integer'
        : `${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}`;
  return noun === 'a object' ? 'an object' : noun;
}

/** The object shape the schema expects at `path`, to suggest a near key for an unknown one. */
function shapeAt(schema: core.$ZodType, path: readonly PathSegment[]): Record<string, unknown> | undefined {
  let current: unknown = schema;
  for (const segment of [...path, undefined]) {
    current = unwrap(current);
    if (segment === undefined) break;
    if (current instanceof core.$ZodObject) current = current._zod.def.shape[segment as string];
    else if (current instanceof core.$ZodArray) current = current._zod.def.element;
    else if (current instanceof core.$ZodRecord) current = current._zod.def.valueType;
    else return undefined;
  }
  return current instanceof core.$ZodObject ? current._zod.def.shape : undefined;
}

function unwrap(schema: unknown): unknown {
  let s = schema;
  for (;;) {
    if (s instanceof core.$ZodOptional || s instanceof core.$ZodNullable) s = s._zod.def.innerType;
    else if (s instanceof core.$ZodPipe) s = s._zod.def.in;
    else return s;
  }
}
