import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import type { ValueSource } from '../runner/index.js';

/**
 * Secret and ConfigMap values for a local run, from files the user points at:
 * - `--env-file FILE`: NAME=value lines (dotenv), filling env variables of that name that come from a
 *   secretKeyRef or configMapKeyRef, whatever the Secret is called;
 * - `--secrets-dir DIR`: DIR/<name>/<key> files, one directory per Secret or ConfigMap (the layout
 *   `kubectl create secret generic NAME --from-file=DIR/NAME` reads), for key refs, envFrom and volumes.
 */
export function localValues(options: { envFile?: string; secretsDir?: string }): ValueSource {
  const variables = options.envFile === undefined ? {} : (parseEnv(readFileSync(options.envFile, 'utf8')) as Record<string, string>);
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
