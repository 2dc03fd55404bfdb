import type { Step } from '../model/workflow.js';

/** A Kubernetes ConfigMap key, read at run time from SSM Parameter Store. */
export interface ConfigMapKey {
  readonly name: string;
  readonly key: string;
}

/** What a container reads at run time from Secrets Manager and SSM: names only, never values. */
export interface StepReferences {
  /** Kubernetes Secret names = Secrets Manager secret names (SecretString JSON, one field per key). */
  readonly secrets: readonly string[];
  /** `valueFrom.configMapKeyRef`: one SSM parameter each. */
  readonly configMapKeys: readonly ConfigMapKey[];
  /** `envFrom.configMapRef`: every parameter under the ConfigMap's path. */
  readonly configMaps: readonly string[];
}

/** Where a ConfigMap key lives in SSM Parameter Store (shared with the Lambda runner and the agent). */
export function configMapParameterName(namespace: string, name: string, key?: string): string {
  return `/pod2sfn/${namespace}/configmaps/${name}${key === undefined ? '' : `/${key}`}`;
}

/** Every Secret and ConfigMap a step's env reads, sorted and without duplicates (volumes are not mounted on Lambda). */
export function referencesOf(step: Step): StepReferences {
  const secrets = new Set<string>();
  const configMaps = new Set<string>();
  const keys = new Map<string, ConfigMapKey>();
  for (const env of step.container.env) {
    if ('secretKeyRef' in env) secrets.add(env.secretKeyRef.name);
    if ('configMapKeyRef' in env)
      keys.set(`${env.configMapKeyRef.name}/${env.configMapKeyRef.key}`, {
        name: env.configMapKeyRef.name,
        key: env.configMapKeyRef.key,
      });
  }
  for (const from of step.container.envFrom) (from.kind === 'secret' ? secrets : configMaps).add(from.name);
  return {
    secrets: [...secrets].sort(),
    configMapKeys: [...keys.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, k]) => k),
    configMaps: [...configMaps].sort(),
  };
}
