import type { Step, Volume } from '../model/workflow.js';

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

/**
 * Every Secret and ConfigMap a step reads, sorted and without duplicates: its env's, and, given the
 * pod's volumes, those of the Secret and ConfigMap volumes it mounts (the Lambda runner writes them as files).
 */
export function referencesOf(step: Step, volumes: readonly Volume[] = []): StepReferences {
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
  const mounted = new Set(step.container.mounts.map((m) => m.volume));
  for (const volume of volumes.filter((v) => mounted.has(v.name) && v.source !== undefined)) {
    if (volume.kind === 'secret') secrets.add(volume.source!);
    if (volume.kind === 'configMap') configMaps.add(volume.source!);
  }
  return {
    secrets: [...secrets].sort(),
    configMapKeys: [...keys.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, k]) => k),
    configMaps: [...configMaps].sort(),
  };
}
