import { error, quote, type Diagnostic, type PathSegment } from '../diagnostics.js';
import { Suggester } from './did-you-mean.js';
import type { Container, JobSpec, PodSpec, Volume } from './schema.js';

/** Checks that span fields, run once the shapes are valid. Each returns its findings; none throws. */

const FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
const FIELD_PATH_MAPS = /^metadata\.(labels|annotations)\['[^']+'\]$/;
const RESOURCE_FIELDS = [
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
];

export interface ContainerAt {
  readonly container: Container;
  readonly path: readonly PathSegment[];
  readonly init: boolean;
}

export function containersOf(spec: PodSpec, specPath: readonly PathSegment[]): ContainerAt[] {
  return [
    ...(spec.initContainers ?? []).map((container, i) => ({
      container,
      path: [...specPath, 'initContainers', i],
      init: true,
    })),
    ...spec.containers.map((container, i) => ({ container, path: [...specPath, 'containers', i], init: false })),
  ];
}

export function checkPodSpec(
  spec: PodSpec,
  specPath: readonly PathSegment[],
  extraVolumeNames: readonly string[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const containers = containersOf(spec, specPath);

  const seen = new Set<string>();
  for (const { container, path } of containers) {
    if (seen.has(container.name)) out.push(error([...path, 'name'], `Duplicate value: ${quote(container.name)}`));
    seen.add(container.name);
  }

  // A StatefulSet's claim templates may share a name with a volume: the claim then replaces it.
  const volumeNames = new Set<string>();
  (spec.volumes ?? []).forEach((volume, i) => {
    const path = [...specPath, 'volumes', i];
    if (volumeNames.has(volume.name)) out.push(error([...path, 'name'], `Duplicate value: ${quote(volume.name)}`));
    volumeNames.add(volume.name);
    out.push(...checkVolume(volume, path));
  });

  for (const claim of extraVolumeNames) volumeNames.add(claim);
  const suggester = new Suggester();
  for (const { container, path, init } of containers) {
    out.push(...checkContainer(container, path, init, volumeNames, seen, suggester));
  }
  return out;
}

function checkVolume(volume: Volume, path: readonly PathSegment[]): Diagnostic[] {
  const sources = Object.keys(volume).filter((k) => k !== 'name' && volume[k as keyof Volume] !== undefined);
  if (sources.length > 1) return [error([...path, sources[1]!], 'Forbidden: may not specify more than 1 volume type')];
  if (volume.hostPath) {
    return [
      error(
        [...path, 'hostPath'],
        "Forbidden: hostPath volumes mount a node's file system, and serverless tasks have no node: use an emptyDir",
      ),
    ];
  }
  return [];
}

function checkContainer(
  container: Container,
  path: readonly PathSegment[],
  init: boolean,
  volumes: ReadonlySet<string>,
  containerNames: ReadonlySet<string>,
  suggester: Suggester,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!init && container.restartPolicy !== undefined) {
    out.push(error([...path, 'restartPolicy'], 'Forbidden: may not be set for non-init containers'));
  }
  if (container.failurePolicy !== undefined && (!init || container.restartPolicy === 'Always')) {
    out.push(
      error([...path, 'failurePolicy'], 'Forbidden: only init containers that run to completion have a failurePolicy'),
    );
  }
  const mountPaths = new Set<string>();
  (container.volumeMounts ?? []).forEach((mount, i) => {
    // validateVolumeMounts: one mount per path; subPath and subPathExpr exclude each other.
    const here = [...path, 'volumeMounts', i];
    if (mountPaths.has(mount.mountPath))
      out.push(error([...here, 'mountPath'], `Invalid value: ${quote(mount.mountPath)}: must be unique`));
    mountPaths.add(mount.mountPath);
    if (mount.subPath && mount.subPathExpr) {
      const message = `Invalid value: ${quote(mount.subPathExpr)}: subPathExpr and subPath are mutually exclusive`;
      out.push(error([...here, 'subPathExpr'], message));
    }
    if (!volumes.has(mount.name)) {
      const near = suggester.near(mount.name, volumes);
      out.push(
        error(
          [...path, 'volumeMounts', i, 'name'],
          `Not found: ${quote(mount.name)}${near ? `: did you mean "${near}"?` : ''}`,
        ),
      );
    }
  });
  (container.env ?? []).forEach((env, i) => {
    const here = [...path, 'env', i];
    if (env.value !== undefined && env.valueFrom !== undefined) {
      out.push(error([...here, 'valueFrom'], 'Invalid value: may not be specified when `value` is not empty'));
    }
    const fieldPath = env.valueFrom?.fieldRef?.fieldPath;
    if (fieldPath !== undefined && !FIELD_PATHS.includes(fieldPath) && !FIELD_PATH_MAPS.test(fieldPath)) {
      out.push(
        error(
          [...here, 'valueFrom', 'fieldRef', 'fieldPath'],
          `Unsupported value: ${quote(fieldPath)}: supported values: ${FIELD_PATHS.map((f) => quote(f)).join(', ')}` +
            `, "metadata.labels['<KEY>']", "metadata.annotations['<KEY>']"`,
        ),
      );
    }
    const resource = env.valueFrom?.resourceFieldRef;
    if (resource !== undefined) {
      if (!RESOURCE_FIELDS.includes(resource.resource)) {
        out.push(
          error(
            [...here, 'valueFrom', 'resourceFieldRef', 'resource'],
            `Unsupported value: ${quote(resource.resource)}: supported ` +
              `values: ${RESOURCE_FIELDS.map((f) => quote(f)).join(', ')}`,
          ),
        );
      }
      if (
        resource.containerName !== undefined &&
        resource.containerName !== '' &&
        !containerNames.has(resource.containerName)
      ) {
        out.push(
          error(
            [...here, 'valueFrom', 'resourceFieldRef', 'containerName'],
            `Not found: ${quote(resource.containerName)}`,
          ),
        );
      }
    }
    if (env.valueFrom?.fileKeyRef !== undefined) {
      out.push(error([...here, 'valueFrom', 'fileKeyRef'], 'Forbidden: fileKeyRef (alpha) is not supported'));
    }
  });
  (container.envFrom ?? []).forEach((source, i) => {
    if ((source.configMapRef === undefined) === (source.secretRef === undefined)) {
      out.push(error([...path, 'envFrom', i], 'Invalid value: must specify one of: `configMapRef` or `secretRef`'));
    }
  });
  return out;
}

export function checkJob(
  job: JobSpec,
  jobPath: readonly PathSegment[],
  spec: PodSpec,
  specPath: readonly PathSegment[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const restartPolicy = spec.restartPolicy;
  if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    out.push(
      error(
        [...specPath, 'restartPolicy'],
        restartPolicy === undefined
          ? 'Required value: a Job\'s pod must set restartPolicy "OnFailure" or "Never"'
          : `Unsupported value: ${quote(restartPolicy)}: supported values: "OnFailure", "Never"`,
      ),
    );
  }
  const rules = job.podFailurePolicy?.rules ?? [];
  if (rules.length > 0 && restartPolicy !== 'Never') {
    out.push(
      error([...jobPath, 'podFailurePolicy'], 'Invalid value: only allowed when the pod\'s restartPolicy is "Never"'),
    );
  }
  const names = new Set(containersOf(spec, specPath).map((c) => c.container.name));
  rules.forEach((rule, i) => {
    const here = [...jobPath, 'podFailurePolicy', 'rules', i];
    if ((rule.onExitCodes === undefined) === (rule.onPodConditions === undefined)) {
      out.push(error(here, 'Invalid value: specify one of: `onExitCodes` or `onPodConditions`'));
    }
    const containerName = rule.onExitCodes?.containerName;
    if (containerName !== undefined && !names.has(containerName)) {
      out.push(
        error(
          [...here, 'onExitCodes', 'containerName'],
          `Invalid value: ${quote(containerName)}: must be one of ` +
            `the container or initContainer names in the pod template`,
        ),
      );
    }
    if (rule.onExitCodes?.operator === 'In' && rule.onExitCodes.values.includes(0)) {
      out.push(error([...here, 'onExitCodes', 'values'], 'Invalid value: 0: must not be 0 for the In operator'));
    }
  });
  return out;
}
