import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { DiagnosticError, error } from '../diagnostics.js';
import type { ValueSource } from '../runner/index.js';

/**
 * Secret and ConfigMap values for a local run, from files the user points at:
 * - `--values-file FILE`: NAME=value lines (dotenv), filling env variables of that name that come from a
 *   secretKeyRef or configMapKeyRef, whatever the Secret is called;
 * - `--secrets-dir DIR`: DIR/<name>/<key> files, one directory per Secret or ConfigMap (the layout
 *   `kubectl create secret generic NAME --from-file=DIR/NAME` reads), for key refs, envFrom and volumes.
 */
export function localValues(options: { envFile?: string; secretsDir?: string }): ValueSource {
  const variables = options.envFile === undefined ? {} : readVariables(options.envFile);
  return {
    forVariable: (name) => (Object.hasOwn(variables, name) ? variables[name] : undefined),
    async read(_kind, _namespace, name) {
      if (options.secretsDir === undefined || name.includes('/') || name.startsWith('.')) return undefined;
      const dir = join(options.secretsDir, name);
      try {
        if (!statSync(dir).isDirectory()) return undefined;
      } catch {
        return undefined;
      }
      const files = readdirSync(dir).filter((f) => !f.startsWith('.') && statSync(join(dir, f)).isFile());
      return Object.fromEntries(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    },
  };
}

/** NAME=value lines; a value no process could receive (a NUL byte) is refused by its name, never quoted. */
function readVariables(file: string): Record<string, string> {
  const variables = parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  const bad = Object.keys(variables).filter((name) => variables[name]!.includes('\0') || name.includes('\0'));
  if (bad.length > 0) {
    const names = bad.map((name) => JSON.stringify(name.replaceAll('\0', '\\0'))).join(', ');
    throw new DiagnosticError([error([], `${file}: ${names}: Invalid value: must not contain a NUL byte`)]);
  }
  return variables;
}
