import * as z from 'zod/mini';
import { parseQuantity } from '../quantity.js';
import { imageProblem } from './image.js';
import { absolutePathProblem, descendingPathProblem, itemPathProblem } from './paths.js';
import {
  IGNORED_CONTAINER_FIELDS,
  IGNORED_CRONJOB_FIELDS,
  IGNORED_JOB_FIELDS,
  IGNORED_POD_FIELDS,
  IGNORED_VOLUME_SOURCES,
  IGNORED_WORKLOAD_FIELDS,
  type IgnoredFields,
} from './unsupported.js';

/*
 * The subset of the Kubernetes API that pod2sfn honours, as strict zod objects: a key that is neither
 * honoured nor listed in ./unsupported.ts is an error. Messages follow apimachinery's field errors so
 * that ./issues.ts can print them the way kubectl does. zod/mini: the checks of zod's classic API, whose
 * every schema carries all of its methods (building these schemas and loading that API cost every
 * compiling verb ~10 ms more).
 */

const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const RFC1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

const dnsLabel = z.string().check(
  z.maxLength(63, { message: 'must be no more than 63 characters', abort: true }),
  z.regex(RFC1123_LABEL, {
    message:
      'a lowercase RFC 1123 label must consist of lower case alphanumeric characters ' +
      "or '-', and must start and end with an alphanumeric character (e.g. 'my-name', " +
      " or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  }),
);

const dnsSubdomain = z.string().check(
  z.maxLength(253, { message: 'must be no more than 253 characters', abort: true }),
  z.regex(RFC1123_SUBDOMAIN, {
    message:
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or " +
      "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex " +
      "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  }),
);

const configKey = z
  .string()
  .check(
    z.regex(CONFIG_KEY, { message: "a valid config key must consist of alphanumeric characters, '-', '_' or '.'" }),
  );

const nonNegativeInt = z.int().check(z.gte(0));

/** A string that `problem` finds nothing wrong with; its finding is the message (`Invalid value: "x": why`). */
function checkedString(problem: (value: string) => string | undefined) {
  return z.string().check(
    z.superRefine((value, ctx) => {
      const why = problem(value);
      if (why !== undefined) ctx.addIssue({ code: 'custom', message: why, input: value });
    }),
  );
}

const absolutePath = checkedString(absolutePathProblem);

/** Node's timers hold 2^31-1 ms: a longer grace period would fire at once (SIGKILL after 1 ms). */
const MAX_GRACE_SECONDS = 2_147_483;

/** Step Functions' largest Retry MaxAttempts: backoffLimit becomes one. */
const MAX_ATTEMPTS = 99_999_999;

/** A STANDARD state machine runs at most a year, so a longer deadline cannot be kept. */
const deadline = z.int().check(z.gte(1), z.lte(31_536_000));

const quantity = z.union([z.string(), z.number()]).check(
  z.refine((v) => parseQuantity(v) !== undefined, {
    message: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  }),
  z.refine((v) => (parseQuantity(v) ?? 0) >= 0, { message: 'must be greater than or equal to 0' }),
);

/** A field that Kubernetes knows and pod2sfn ignores; ./warnings.ts reports it. */
const ignoredField = z.optional(z.unknown());

/** Accepts the fields; one schema serves them all (zod schemas are immutable; 105 of them cost ~1 ms a start). */
function ignored(fields: IgnoredFields): Record<string, typeof ignoredField> {
  return Object.fromEntries(Object.keys(fields).map((k) => [k, ignoredField]));
}

const keySelector = z.strictObject({
  name: dnsSubdomain,
  key: configKey,
  optional: z.optional(z.boolean()),
});

const envVarSource = z
  .strictObject({
    secretKeyRef: z.optional(keySelector),
    configMapKeyRef: z.optional(keySelector),
    fieldRef: z.optional(
      z.strictObject({ fieldPath: z.string().check(z.minLength(1)), apiVersion: z.optional(z.string()) }),
    ),
    resourceFieldRef: z.optional(
      z.strictObject({
        resource: z.string().check(z.minLength(1)),
        containerName: z.optional(z.string()),
        divisor: z.optional(
          quantity.check(z.refine((v) => (parseQuantity(v) ?? 0) > 0, { message: 'must be greater than 0' })),
        ),
      }),
    ),
    fileKeyRef: z.optional(z.unknown()),
  })
  .check(
    z.refine((s) => Object.values(s).filter((v) => v !== undefined).length === 1, {
      message: 'must specify exactly one of: secretKeyRef, configMapKeyRef, fieldRef, resourceFieldRef',
    }),
  );

const envVar = z.strictObject({
  name: z.string().check(
    z.regex(ENV_VAR_NAME, {
      message:
        'a valid environment variable name must consist of alphabetic ' +
        "characters, digits, '_', '-', or '.', and must not start with a digit",
    }),
  ),
  value: z.optional(z.string()),
  valueFrom: z.optional(envVarSource),
});

const envFromSource = z.strictObject({
  prefix: z.optional(z.string()),
  configMapRef: z.optional(z.strictObject({ name: dnsSubdomain, optional: z.optional(z.boolean()) })),
  secretRef: z.optional(z.strictObject({ name: dnsSubdomain, optional: z.optional(z.boolean()) })),
});

const resourceList = z.record(z.string(), quantity);

const volumeMount = z.strictObject({
  name: z.string().check(z.minLength(1)),
  mountPath: absolutePath,
  subPath: z.optional(checkedString(descendingPathProblem)),
  subPathExpr: z.optional(checkedString(descendingPathProblem)),
  readOnly: z.optional(z.boolean()),
  recursiveReadOnly: z.optional(z.enum(['Disabled', 'IfPossible', 'Enabled'])),
  mountPropagation: z.optional(z.enum(['None', 'HostToContainer', 'Bidirectional'])),
});

export const containerSchema = z.strictObject({
  name: dnsLabel,
  image: z.pipe(z.string().check(z.minLength(1)), checkedString(imageProblem)),
  command: z.optional(z.array(z.string())),
  args: z.optional(z.array(z.string())),
  env: z.optional(z.array(envVar)),
  envFrom: z.optional(z.array(envFromSource)),
  workingDir: z.optional(absolutePath),
  resources: z.optional(
    z.strictObject({
      requests: z.optional(resourceList),
      limits: z.optional(resourceList),
      claims: z.optional(z.unknown()),
    }),
  ),
  volumeMounts: z.optional(z.array(volumeMount)),
  restartPolicy: z.optional(z.enum(['Always'])),
  terminationMessagePath: z.optional(absolutePath),
  terminationMessagePolicy: z.optional(z.enum(['File', 'FallbackToLogsOnError'])),
  /** pod2sfn's extension (not upstream Kubernetes); the annotation form is portable. */
  failurePolicy: z.optional(z.enum(['Fail', 'Ignore'])),
  ...ignored(IGNORED_CONTAINER_FIELDS),
});

const keyToPath = z.strictObject({
  key: z.string(),
  path: checkedString(itemPathProblem),
  mode: z.optional(nonNegativeInt),
});

export const volumeSchema = z.strictObject({
  name: dnsLabel,
  emptyDir: z.optional(
    z.strictObject({ medium: z.optional(z.enum(['', 'Memory', 'HugePages'])), sizeLimit: z.optional(quantity) }),
  ),
  configMap: z.optional(
    z.strictObject({
      name: dnsSubdomain,
      items: z.optional(z.array(keyToPath)),
      optional: z.optional(z.boolean()),
      defaultMode: z.optional(nonNegativeInt),
    }),
  ),
  secret: z.optional(
    z.strictObject({
      secretName: dnsSubdomain,
      items: z.optional(z.array(keyToPath)),
      optional: z.optional(z.boolean()),
      defaultMode: z.optional(nonNegativeInt),
    }),
  ),
  persistentVolumeClaim: z.optional(
    z.strictObject({ claimName: z.string().check(z.minLength(1)), readOnly: z.optional(z.boolean()) }),
  ),
  hostPath: z.optional(z.strictObject({ path: z.string(), type: z.optional(z.string()) })),
  ...ignored(IGNORED_VOLUME_SOURCES),
});

const podFailurePolicyRule = z.strictObject({
  action: z.enum(['FailJob', 'FailIndex', 'Ignore', 'Count']),
  onExitCodes: z.optional(
    z.strictObject({
      containerName: z.optional(z.string()),
      operator: z.enum(['In', 'NotIn']),
      values: z.array(z.int()).check(z.minLength(1), z.maxLength(255)),
    }),
  ),
  onPodConditions: z.optional(z.array(z.strictObject({ type: z.string(), status: z.string() }))),
});

/**
 * Every container is at least one CloudFormation resource and a stack holds 500, so no longer list can
 * deploy; refusing it here keeps the work on a hostile file bounded (20,000 containers took 13 s).
 */
const MAX_CONTAINERS = 500;

export const podSpecSchema = z.strictObject({
  containers: z
    .array(containerSchema)
    .check(z.minLength(1, { message: 'Required value' }), z.maxLength(MAX_CONTAINERS)),
  initContainers: z.optional(z.array(containerSchema).check(z.maxLength(MAX_CONTAINERS))),
  restartPolicy: z.optional(z.enum(['Always', 'OnFailure', 'Never'])),
  activeDeadlineSeconds: z.optional(deadline),
  terminationGracePeriodSeconds: z.optional(nonNegativeInt.check(z.lte(MAX_GRACE_SECONDS))),
  volumes: z.optional(z.array(volumeSchema)),
  ...ignored(IGNORED_POD_FIELDS),
});

export const metadataSchema = z.looseObject({
  name: z.optional(dnsSubdomain),
  // A prefix: the API server appends random characters, so a trailing '-' is usual.
  generateName: z.optional(
    z
      .string()
      .check(z.regex(/^[a-z0-9]([-a-z0-9.]*)$/, { message: 'must be the start of a lowercase RFC 1123 subdomain' })),
  ),
  namespace: z.optional(dnsLabel),
  labels: z.optional(z.record(z.string(), z.string())),
  annotations: z.optional(z.record(z.string(), z.string())),
});

export const podTemplateSpecSchema = z.strictObject({
  metadata: z.optional(metadataSchema),
  spec: podSpecSchema,
});

export const jobSpecSchema = z.strictObject({
  template: podTemplateSpecSchema,
  backoffLimit: z.optional(nonNegativeInt.check(z.lte(MAX_ATTEMPTS))),
  activeDeadlineSeconds: z.optional(deadline),
  podFailurePolicy: z.optional(z.strictObject({ rules: z.array(podFailurePolicyRule).check(z.maxLength(20)) })),
  ...ignored(IGNORED_JOB_FIELDS),
});

/** Deployment, StatefulSet, DaemonSet and ReplicaSet: only their pod template runs. */
export const workloadSpecSchema = z.strictObject({
  template: podTemplateSpecSchema,
  ...ignored(IGNORED_WORKLOAD_FIELDS),
});

export const cronJobSpecSchema = z.strictObject({
  jobTemplate: z.strictObject({ metadata: z.optional(metadataSchema), spec: jobSpecSchema }),
  ...ignored(IGNORED_CRONJOB_FIELDS),
});

function topLevel<T extends z.ZodMiniType>(kind: string, spec: T) {
  return z.strictObject({
    apiVersion: z.string(),
    kind: z.literal(kind),
    metadata: z.optional(metadataSchema),
    spec,
    /** Output-only; a manifest exported from a cluster carries it. */
    status: z.optional(z.unknown()),
  });
}

export const podSchema = topLevel('Pod', podSpecSchema);
export const podTemplateSchema = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('PodTemplate'),
  metadata: z.optional(metadataSchema),
  template: podTemplateSpecSchema,
});
export const jobSchema = topLevel('Job', jobSpecSchema);
export const cronJobSchema = topLevel('CronJob', cronJobSpecSchema);
export const workloadSchema = (kind: string) => topLevel(kind, workloadSpecSchema);

export type Container = z.infer<typeof containerSchema>;
export type Volume = z.infer<typeof volumeSchema>;
export type PodSpec = z.infer<typeof podSpecSchema>;
export type Metadata = z.infer<typeof metadataSchema>;
export type JobSpec = z.infer<typeof jobSpecSchema>;
export type PodFailurePolicyRule = z.infer<typeof podFailurePolicyRule>;
export type EnvVar = z.infer<typeof envVar>;
export type EnvFromSource = z.infer<typeof envFromSource>;
export type VolumeMount = z.infer<typeof volumeMount>;
