import type * as z from 'zod/mini';
import type { PathSegment } from '../diagnostics.js';
import {
  cronJobSchema,
  jobSchema,
  podSchema,
  podTemplateSchema,
  workloadSchema,
  type JobSpec,
  type Metadata,
  type PodSpec,
} from './schema.js';

/** The objects whose pod template pod2sfn runs, and where each keeps it. */
export interface WorkloadKind {
  readonly kind: string;
  readonly apiVersions: readonly string[];
  readonly schema: z.ZodMiniType;
  /** Where the pod's metadata and spec live inside the object. */
  readonly templatePath: readonly PathSegment[];
  /** Where the Job spec lives (Job, CronJob), if any. */
  readonly jobPath?: readonly PathSegment[];
  /** Said once, as a warning, when a file of this kind is compiled. */
  readonly note?: string;
}

const ONE_POD = 'runs its pod template once per execution; replicas, rollout and selectors are ignored';

export const WORKLOAD_KINDS: readonly WorkloadKind[] = [
  { kind: 'Pod', apiVersions: ['v1'], schema: podSchema, templatePath: [] },
  { kind: 'PodTemplate', apiVersions: ['v1'], schema: podTemplateSchema, templatePath: ['template'] },
  { kind: 'Job', apiVersions: ['batch/v1'], schema: jobSchema, templatePath: ['spec', 'template'], jobPath: ['spec'] },
  {
    kind: 'CronJob',
    apiVersions: ['batch/v1'],
    schema: cronJobSchema,
    templatePath: ['spec', 'jobTemplate', 'spec', 'template'],
    jobPath: ['spec', 'jobTemplate', 'spec'],
    note: 'runs one Job per execution; the schedule is ignored',
  },
  ...['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].map((kind): WorkloadKind => ({
    kind,
    apiVersions: ['apps/v1'],
    schema: workloadSchema(kind),
    templatePath: ['spec', 'template'],
    note: ONE_POD,
  })),
];

export function findKind(kind: unknown): WorkloadKind | undefined {
  return WORKLOAD_KINDS.find((k) => k.kind === kind);
}

export interface PodTemplate {
  readonly metadata: Metadata;
  readonly spec: PodSpec;
  readonly job: JobSpec | undefined;
}

/** Reads the pod template out of a validated object. */
export function podTemplateOf(kind: WorkloadKind, object: Record<string, unknown>): PodTemplate {
  const template = at(object, kind.templatePath) as { metadata?: Metadata; spec: PodSpec };
  return {
    metadata: template.metadata ?? {},
    spec: template.spec,
    job: kind.jobPath ? (at(object, kind.jobPath) as JobSpec) : undefined,
  };
}

/** The value at `path` in `object`; undefined where the path leaves the objects. */
export function at(object: unknown, path: readonly PathSegment[]): unknown {
  return path.reduce<unknown>(
    (o, key) => (o !== null && typeof o === 'object' ? (o as Record<PathSegment, unknown>)[key] : undefined),
    object,
  );
}
