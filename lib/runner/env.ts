import type { EnvFrom, EnvSource, KeyRef } from '../model/workflow.js';
import { expand } from './expand.js';
import { ContainerConfigError } from './errors.js';
import type { ValueSource } from './types.js';

/** Run-time fields (fieldRef) that a serverless run knows; the others are empty, as on a pod without them. */
export type RuntimeFields = Readonly<Record<string, string>>;

/**
 * The container's environment: envFrom first, then env, later entries winning (Kubernetes' order).
 * A missing Secret, ConfigMap or key that is not optional stops the container before it starts,
 * with a message that names it (never a value).
 */
export async function resolveEnv(
  container: { readonly name: string; readonly env: readonly EnvSource[]; readonly envFrom: readonly EnvFrom[] },
  namespace: string,
  values: ValueSource,
  runtime: RuntimeFields,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const from of container.envFrom) {
    const data = await values.read(from.kind, namespace, from.name);
    if (data === undefined) {
      if (from.optional) continue;
      throw new ContainerConfigError(
        `container ${container.name}: envFrom: ${kindName(from.kind)} "${from.name}" not found`,
      );
    }
    for (const [key, value] of Object.entries(data)) out[from.prefix + key] = value;
  }
  for (const env of container.env) {
    // A value may use the variables defined before it, as in Kubernetes.
    if ('value' in env) out[env.name] = expand(env.value, (name) => (Object.hasOwn(out, name) ? out[name] : undefined));
    else if ('runtimeField' in env) out[env.name] = runtime[env.runtimeField] ?? '';
    else {
      const kind = 'secretKeyRef' in env ? 'secret' : 'configMap';
      const ref: KeyRef = 'secretKeyRef' in env ? env.secretKeyRef : env.configMapKeyRef;
      const value = values.forVariable?.(env.name) ?? (await values.read(kind, namespace, ref.name))?.[ref.key];
      if (value !== undefined) out[env.name] = value;
      else if (!ref.optional) {
        throw new ContainerConfigError(
          `container ${container.name}: env ${env.name}: key "${ref.key}" of ${kindName(kind)} "${ref.name}" not found`,
        );
      }
    }
  }
  refuseNul(container.name, out);
  return out;
}

/**
 * No process can receive a NUL byte in its environment, and Node's spawn error would quote the whole
 * value (a secret) into the pod status, logs and history. Refused here by variable name only.
 */
function refuseNul(container: string, env: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(env)) {
    if (name.includes('\0')) throw new ContainerConfigError(`container ${container}: envFrom: a key holds a NUL byte`);
    if (value.includes('\0')) {
      throw new ContainerConfigError(`container ${container}: env ${name}: the value holds a NUL byte`);
    }
  }
}

function kindName(kind: 'secret' | 'configMap'): string {
  return kind === 'secret' ? 'Secret' : 'ConfigMap';
}
