import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { printable } from '../diagnostics.js';
import { localValues } from '../local/values.js';
import type { ValueSource } from '../runner/index.js';
import { UsageError } from './verb.js';

/** The value source the flags name; a path that does not exist is a usage error (exit 2). */
export function valuesFromFlags(flags: Readonly<Record<string, unknown>>, cwd: string): ValueSource {
  const envFile = pathFlag(flags['values-file'], '--values-file', 'file', cwd);
  const secretsDir = pathFlag(flags['secrets-dir'], '--secrets-dir', 'directory', cwd);
  return localValues({ ...(envFile && { envFile }), ...(secretsDir && { secretsDir }) });
}

function pathFlag(value: unknown, flag: string, kind: 'file' | 'directory', cwd: string): string | undefined {
  if (value === undefined) return undefined;
  const path = resolve(cwd, String(value));
  const ok = existsSync(path) && (kind === 'file' ? statSync(path).isFile() : statSync(path).isDirectory());
  if (!ok) throw new UsageError(`${flag} ${printable(String(value))}: no such ${kind}`);
  return path;
}
