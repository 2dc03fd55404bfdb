import { warning, type Diagnostic, type PathSegment } from '../diagnostics.js';
import { containersOf } from './checks.js';
import type { PodSpec } from './schema.js';
import {
  IGNORED_CONTAINER_FIELDS,
  IGNORED_POD_FIELDS,
  IGNORED_VOLUME_SOURCES,
  type IgnoredFields,
} from './unsupported.js';

const HONOURED_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** Variable names that usually hold a credential (AWS_SECRET_ACCESS_KEY, DB_PASSWORD, GITHUB_TOKEN, ...). */
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY/i;

/** One warning per valid field pod2sfn does not honour: never a silent drop. */
export function ignoredFieldWarnings(
  object: object,
  fields: IgnoredFields,
  path: readonly PathSegment[],
): Diagnostic[] {
  return Object.keys(object)
    .filter((key) => key in fields && (object as Record<string, unknown>)[key] !== undefined)
    .map((key) => doesNotSupport([...path, key], key, fields[key]!));
}

export function doesNotSupport(path: readonly PathSegment[], key: string, why: string): Diagnostic {
  return warning(path, `pod2sfn doesn't support ${key} - ignoring (${why})`);
}

export function podSpecWarnings(spec: PodSpec, specPath: readonly PathSegment[]): Diagnostic[] {
  const out = ignoredFieldWarnings(spec, IGNORED_POD_FIELDS, specPath);
  for (const { container, path, init } of containersOf(spec, specPath)) {
    out.push(...ignoredFieldWarnings(container, IGNORED_CONTAINER_FIELDS, path));
    if (container.failurePolicy !== undefined && init) {
      out.push(
        warning(
          [...path, 'failurePolicy'],
          `failurePolicy is a pod2sfn extension that a Kubernetes API server rejects under strict validation; the ` +
            `portable form is the annotation pod2sfn.dev/failure-policy.${container.name}: ${container.failurePolicy}`,
        ),
      );
    }
    for (const kind of ['requests', 'limits'] as const) {
      for (const resource of Object.keys(container.resources?.[kind] ?? {})) {
        if (!HONOURED_RESOURCES.has(resource)) {
          out.push(
            doesNotSupport(
              [...path, 'resources', kind, resource],
              resource,
              'Lambda and Fargate offer cpu, memory and ephemeral-storage only',
            ),
          );
        }
      }
    }
    (container.env ?? []).forEach((env, i) => {
      // The value itself is never repeated: it is the thing to keep out of logs.
      if (env.value !== undefined && env.value !== '' && SECRET_NAME.test(env.name)) {
        out.push(
          warning(
            [...path, 'env', i, 'value'],
            `${env.name} looks like a secret, and a literal value is written into the state ` +
              `machine definition and the CloudFormation template: use valueFrom.secretKeyRef`,
          ),
        );
      }
    });
    (container.volumeMounts ?? []).forEach((mount, i) => {
      if (mount.subPathExpr !== undefined)
        out.push(
          doesNotSupport(
            [...path, 'volumeMounts', i, 'subPathExpr'],
            'subPathExpr',
            'it is mounted without a sub-path',
          ),
        );
      if (mount.mountPropagation !== undefined)
        out.push(
          doesNotSupport(
            [...path, 'volumeMounts', i, 'mountPropagation'],
            'mountPropagation',
            'there is no host to propagate to',
          ),
        );
    });
  }
  (spec.volumes ?? []).forEach((volume, i) => {
    for (const w of ignoredFieldWarnings(volume, IGNORED_VOLUME_SOURCES, [...specPath, 'volumes', i])) {
      out.push({ ...w, message: `${w.message}; mounted as an empty scratch directory instead` });
    }
    if (volume.persistentVolumeClaim !== undefined) {
      out.push(
        warning(
          [...specPath, 'volumes', i, 'persistentVolumeClaim'],
          'a claim is mounted as a scratch directory that lives as long as the run',
        ),
      );
    }
  });
  return out;
}
