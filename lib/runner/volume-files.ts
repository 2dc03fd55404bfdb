import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import type { Volume } from '../model/workflow.js';
import { ContainerConfigError } from './errors.js';
import type { ValueSource } from './types.js';

/**
 * Fills a ConfigMap or Secret volume's directory: one file per key (or per `items` entry, at its
 * path), from the same values the container's env reads. A missing ConfigMap or Secret that is not
 * optional stops the container before it starts. Locally from `--secrets-dir`; on Lambda from SSM
 * and Secrets Manager.
 */
export async function writeKeyFiles(dir: string, volume: Volume, values: ValueSource, namespace: string) {
  if (volume.kind !== 'configMap' && volume.kind !== 'secret') return;
  const data = await values.read(volume.kind, namespace, volume.source!);
  if (data === undefined && !volume.optional) {
    throw new ContainerConfigError(
      `volume ${volume.name}: ${volume.kind === 'secret' ? 'Secret' : 'ConfigMap'} "${volume.source}" not found`,
    );
  }
  const items = volume.items ?? Object.keys(data ?? {}).map((key) => ({ key, path: key }));
  for (const { key, path } of items) {
    if (data?.[key] === undefined) continue;
    const file = join(dir, normalize(`/${path}`));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, data[key], { mode: 0o644 });
  }
}
