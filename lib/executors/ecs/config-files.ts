import type { Volume } from '../../model/workflow.js';
import { CONFIG_HELPER, VOLUMES_ROOT } from './handoff-helpers.js';

/**
 * The helper that writes a Fargate task's ConfigMap and Secret volumes as files before the user's
 * container starts (docs/design.md §9.x ECS). Pure: the task definition (./config-volumes.ts) takes
 * its environment's references and its script from here.
 *
 * Every value reaches the helper through the task definition's `secrets`, which the ECS agent resolves
 * when the task starts, as it resolves env `secretKeyRef` and `configMapKeyRef`: the script holds
 * variable names and paths only, never a value, and never prints one.
 */

/** One value a config volume mounts: the variable that holds it and where it comes from. */
export interface ConfigValue {
  /** `POD2SFN_V<volume>_K<key>`: valid, unique in the task, and apart from the user's (on another container). */
  readonly env: string;
  readonly kind: 'configMap' | 'secret';
  /** The ConfigMap or Secret name. */
  readonly source: string;
  readonly key: string;
}

export interface ConfigFiles {
  readonly values: readonly ConfigValue[];
  /** What the helper runs with `sh -c` (busybox sh). */
  readonly script: string;
}

/** A word for sh: single-quoted, a `'` as `'\''` (an item path may hold any character but `/..`). */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The directory part of a relative path (`a/b/c` → `a/b`), or undefined at the top. */
function parentOf(path: string): string | undefined {
  const cut = path.lastIndexOf('/');
  return cut > 0 ? path.slice(0, cut) : undefined;
}

/**
 * The files of the config volumes a container mounts: one per item (key → path, nested paths made),
 * mode 0644 and directories 0755 as the kubelet's defaultMode and atomic writer give them. Each
 * volume is a task volume the helper sees at `<root>/<name>`. Only volumes with `items` come here:
 * without, the keys are unknown when the task definition is made, and it is not mounted (validate
 * warns, lib/model/plan.ts).
 */
export function configFilesOf(volumes: readonly Volume[], root = VOLUMES_ROOT): ConfigFiles {
  const values: ConfigValue[] = [];
  const lines = ['set -eu', 'umask 022'];
  volumes.forEach((volume, v) => {
    if ((volume.kind !== 'configMap' && volume.kind !== 'secret') || !volume.items)
      throw new Error(
        `volume ${volume.name}: only a ConfigMap or Secret volume with items is written by ${CONFIG_HELPER}`,
      );
    const kind = volume.kind;
    const envOf = new Map<string, string>();
    for (const { key, path } of volume.items) {
      let env = envOf.get(key);
      if (!env) {
        env = `POD2SFN_V${v}_K${envOf.size}`;
        envOf.set(key, env);
        values.push({ env, kind, source: volume.source!, key });
      }
      const dir = parentOf(path);
      if (dir !== undefined) lines.push(`mkdir -p ${shellQuote(`${root}/${volume.name}/${dir}`)}`);
      lines.push(`printf '%s' "$${env}" > ${shellQuote(`${root}/${volume.name}/${path}`)}`);
    }
  });
  return { values, script: lines.join('\n') };
}
