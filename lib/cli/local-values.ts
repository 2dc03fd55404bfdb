import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { printable } from '../diagnostics.js';
import { localValues } from '../local/values.js';
import type { ValueSource } from '../runner/index.js';
import { UsageError } from './verb.js';

/**
 * The `--values-file` / `--secrets-dir` flags of `run` and `agent`: where local Secret and ConfigMap
 * values come from. Not `--env-file`: Node 20 reads that flag itself, wherever it appears (a missing
 * file exits 9; NODE_OPTIONS= inside it runs code in pod2sfn).
 */
export const VALUES_OPTIONS = {
  'values-file': { type: 'string' },
  'secrets-dir': { type: 'string' },
} as const;

export const VALUES_DESCRIPTIONS = {
  'values-file': 'NAME=value lines giving env variables that come from a Secret or ConfigMap',
  'secrets-dir': 'DIR/<name>/<key> files: the Secrets and ConfigMaps the pod reads',
};

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
