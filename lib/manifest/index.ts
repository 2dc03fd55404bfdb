import { error, quote, hasErrors, warning, type Diagnostic, type PathSegment } from '../diagnostics.js';
import { readSettings, type Pod2sfnSettings } from './annotations.js';
import { checkJob, checkPodSpec, containersOf } from './checks.js';
import { issuesToDiagnostics } from './issues.js';
import { at, findKind, podTemplateOf, WORKLOAD_KINDS, type WorkloadKind } from './kinds.js';
import { nulBytes } from './nul.js';
import { parseDocuments } from './parse.js';
import type { JobSpec, PodSpec } from './schema.js';
import { ignoredFieldWarnings, podSpecWarnings } from './warnings.js';
import { IGNORED_CRONJOB_FIELDS, IGNORED_JOB_FIELDS, IGNORED_WORKLOAD_FIELDS } from './unsupported.js';

export type { Container, EnvVar, JobSpec, PodFailurePolicyRule, PodSpec, Volume, VolumeMount } from './schema.js';
export type { FailurePolicy, Pod2sfnSettings } from './annotations.js';

/** A validated pod: what the rest of the pipeline compiles. */
export interface LoadedPod {
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly spec: PodSpec;
  /** Where `spec` sits in the object, for messages: `['spec', 'template', 'spec']` in a Job. */
  readonly specPath: readonly PathSegment[];
  readonly job?: JobSpec;
  /** Where `job` sits in the object, for messages. */
  readonly jobPath?: readonly PathSegment[];
  /** A StatefulSet's volumeClaimTemplates names: volumes the pod mounts without declaring them. */
  readonly claimTemplates: readonly string[];
  readonly settings: Pod2sfnSettings;
  /** The object as written, for printing it back with a status. */
  readonly object: Readonly<Record<string, unknown>>;
}

export interface LoadResult {
  /** Present when there is no error. */
  readonly pod?: LoadedPod;
  readonly diagnostics: readonly Diagnostic[];
}

export interface LoadOptions {
  /** Picks one object by metadata.name when the input holds several. */
  readonly name?: string;
}

export function loadPod(text: string, options: LoadOptions = {}): LoadResult {
  const parsed = parseDocuments(text);
  if (hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics };

  const diagnostics: Diagnostic[] = [];
  const objects = parsed.documents.flatMap(({ value, index }) => flattenList(value, index));
  const candidates: Array<{ object: Record<string, unknown>; kind: WorkloadKind; where: string }> = [];
  for (const { object, where } of objects) {
    if (object === null || typeof object !== 'object' || Array.isArray(object)) {
      diagnostics.push(error([], `${where}: Invalid value: must be an object with apiVersion and kind`));
      continue;
    }
    const record = object as Record<string, unknown>;
    if (record.kind === undefined) {
      diagnostics.push(error(['kind'], `${where}: Required value`));
      continue;
    }
    const kind = findKind(record.kind);
    if (kind) candidates.push({ object: record, kind, where });
    else diagnostics.push(warning([], `${where} (${describe(record)}) does not run a pod - ignoring`));
  }
  if (hasErrors(diagnostics)) return { diagnostics };

  const chosen = choose(candidates, options.name, diagnostics);
  if (!chosen) return { diagnostics };
  const result = validateObject(chosen.object, chosen.kind, mayHoldNul(text));
  return { ...result, diagnostics: [...diagnostics, ...result.diagnostics] };
}

function flattenList(value: unknown, index: number): Array<{ object: unknown; where: string }> {
  const where = `document ${index + 1}`;
  const record = value as Record<string, unknown> | null;
  if (record && typeof record === 'object' && record.kind === 'List' && Array.isArray(record.items)) {
    return record.items.map((object, i) => ({ object, where: `${where} items[${i}]` }));
  }
  return [{ object: value, where }];
}

/** `Kind/name` as kubectl prints it; a kind that is not a string is quoted, never `[object Object]`. */
function describe(object: Record<string, unknown>): string {
  const name = (object.metadata as { name?: unknown } | null | undefined)?.name;
  const kind = typeof object.kind === 'string' ? object.kind : quote(object.kind);
  return `${kind}${typeof name === 'string' ? `/${name}` : ''}`;
}

function choose<T extends { object: Record<string, unknown> }>(
  candidates: readonly T[],
  name: string | undefined,
  diagnostics: Diagnostic[],
): T | undefined {
  const named = name === undefined ? candidates : candidates.filter((c) => describe(c.object).endsWith(`/${name}`));
  const list = candidates.map((c) => describe(c.object)).join(', ');
  if (named.length === 1) return named[0];
  if (candidates.length === 0) {
    diagnostics.push(
      error([], `no object that runs a pod: expected one of ${WORKLOAD_KINDS.map((k) => k.kind).join(', ')}`),
    );
  } else if (name !== undefined && named.length === 0) {
    diagnostics.push(error([], `no object named ${quote(name)}; found ${list}`));
  } else {
    diagnostics.push(error([], `found ${named.length} objects that run a pod (${list}): choose one with --name`));
  }
  return undefined;
}

/**
 * Whether a value parsed from this text can hold a NUL: only a NUL in the text or an escape (`\0`, `\x00`,
 * `\u0000` in a double-quoted scalar or JSON) makes one. Without either, the walk for them is skipped.
 */
function mayHoldNul(text: string): boolean {
  return text.includes('\0') || text.includes('\\');
}

function validateObject(object: Record<string, unknown>, kind: WorkloadKind, nulPossible: boolean): LoadResult {
  const apiVersion = object.apiVersion;
  if (typeof apiVersion !== 'string' || !kind.apiVersions.includes(apiVersion)) {
    const message =
      apiVersion === undefined
        ? 'Required value'
        : `Unsupported value: ${quote(apiVersion)}: ` +
          `supported values: ${kind.apiVersions.map((v) => quote(v)).join(', ')}`;
    return { diagnostics: [error(['apiVersion'], message)] };
  }
  const nul = nulPossible ? nulBytes(object) : [];
  if (nul.length > 0) return { diagnostics: nul };
  // jitless: a CLI parses one document per process, and zod's fast path compiles code (new Function) per
  // object schema on its first parse, which costs more than that one parse saves, but for the container's
  // schema in a pod of many: from about 100 containers on, the compiled parser repays it.
  const jitless = containerCount(object, kind) < JIT_FROM_CONTAINERS;
  const parsed = kind.schema.safeParse(object, { reportInput: true, jitless });
  if (!parsed.success) return { diagnostics: issuesToDiagnostics(parsed.error.issues, kind.schema, object) };

  const validated = parsed.data as Record<string, unknown>;
  const template = podTemplateOf(kind, validated);
  const specPath = [...kind.templatePath, 'spec'];
  const metadataPath: PathSegment[] =
    kind.templatePath.length === 0 ? ['metadata'] : [...kind.templatePath, 'metadata'];
  const objectMetadata = (validated.metadata ?? {}) as { name?: string; generateName?: string; namespace?: string };
  const diagnostics: Diagnostic[] = [];

  const name = objectMetadata.name ?? objectMetadata.generateName?.replace(/-$/, '');
  if (name === undefined || name === '') {
    diagnostics.push(error(['metadata', 'name'], 'Required value: name or generateName is required'));
  }
  const volumeClaimNames = claimTemplateNames(validated);
  diagnostics.push(...checkPodSpec(template.spec, specPath, volumeClaimNames));
  if (template.job && kind.jobPath) diagnostics.push(...checkJob(template.job, kind.jobPath, template.spec, specPath));

  const annotations = {
    ...(objectMetadata as { annotations?: Record<string, string> }).annotations,
    ...template.metadata.annotations,
  };
  const containers = containersOf(template.spec, specPath);
  const { settings, diagnostics: settingDiagnostics } = readSettings(
    annotations,
    [...metadataPath, 'annotations'],
    new Set(containers.map((c) => c.container.name)),
    new Set(containers.filter((c) => c.init && c.container.restartPolicy !== 'Always').map((c) => c.container.name)),
  );
  diagnostics.push(...settingDiagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };

  if (kind.note) diagnostics.push(warning(['kind'], `${kind.kind} ${kind.note}`));
  diagnostics.push(...workloadWarnings(validated, kind));
  diagnostics.push(...podSpecWarnings(template.spec, specPath));

  return {
    pod: {
      kind: kind.kind,
      apiVersion,
      name: name!,
      namespace: objectMetadata.namespace ?? template.metadata.namespace ?? 'default',
      labels: { ...template.metadata.labels },
      annotations,
      spec: template.spec,
      specPath,
      ...(template.job && kind.jobPath && { job: template.job, jobPath: kind.jobPath }),
      claimTemplates: volumeClaimNames,
      settings,
      object,
    },
    diagnostics,
  };
}

/** Where zod's compiled parsers cost less than they save (a 1,000-container validate: about 10 ms). */
const JIT_FROM_CONTAINERS = 100;

/** The containers and init containers the object lists, before it is validated (0 where it lists none). */
function containerCount(object: Record<string, unknown>, kind: WorkloadKind): number {
  const spec = at(object, [...kind.templatePath, 'spec']) ?? {};
  const { containers, initContainers } = spec as { containers?: unknown; initContainers?: unknown };
  return (
    (Array.isArray(containers) ? containers.length : 0) + (Array.isArray(initContainers) ? initContainers.length : 0)
  );
}

function claimTemplateNames(object: Record<string, unknown>): string[] {
  const templates = (object.spec as { volumeClaimTemplates?: unknown } | undefined)?.volumeClaimTemplates;
  if (!Array.isArray(templates)) return [];
  return templates
    .map((t) => (t as { metadata?: { name?: unknown } })?.metadata?.name)
    .filter((n): n is string => typeof n === 'string');
}

function workloadWarnings(object: Record<string, unknown>, kind: WorkloadKind): Diagnostic[] {
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec) return [];
  if (kind.kind === 'Job') return ignoredFieldWarnings(spec, IGNORED_JOB_FIELDS, ['spec']);
  if (kind.kind === 'CronJob') {
    const jobSpec = (spec.jobTemplate as { spec: Record<string, unknown> }).spec;
    return [
      ...ignoredFieldWarnings(spec, IGNORED_CRONJOB_FIELDS, ['spec']),
      ...ignoredFieldWarnings(jobSpec, IGNORED_JOB_FIELDS, ['spec', 'jobTemplate', 'spec']),
    ];
  }
  if (kind.kind === 'Pod' || kind.kind === 'PodTemplate') return [];
  return ignoredFieldWarnings(spec, IGNORED_WORKLOAD_FIELDS, ['spec']);
}
