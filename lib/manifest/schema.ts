import * as z from 'zod';
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
 * that ./issues.ts can print them the way kubectl does.
 */

const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const RFC1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

const dnsLabel = z
  .string()
  .max(63, { message: 'must be no more than 63 characters', abort: true })
  .regex(RFC1123_LABEL, {
    message:
      'a lowercase RFC 1123 label must consist of lower case alphanumeric characters ' +
      "or '-', and must start and end with an alphanumeric character (e.g. 'my-name', " +
      " or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  });

const dnsSubdomain = z
  .string()
  .max(253, { message: 'must be no more than 253 characters', abort: true })
  .regex(RFC1123_SUBDOMAIN, {
    message:
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or " +
      "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex " +
      "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  });

const configKey = z.string().regex(CONFIG_KEY, {
  message: "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
});

const nonNegativeInt = z.number().int().min(0);

/** A string that `problem` finds nothing wrong with; its finding is the message (`Invalid value: "x": why`). */
function checkedString(problem: (value: string) => string | undefined) {
  return z.string().superRefine((value, ctx) => {
    const why = problem(value);
    if (why !== undefined) ctx.addIssue({ code: 'custom', message: why, input: value });
  });
}

const absolutePath = checkedString(absolutePathProblem);

/** Node's timers hold 2^31-1 ms: a longer grace period would fire at once (SIGKILL after 1 ms). */
const MAX_GRACE_SECONDS = 2_147_483;

/** Step Functions' largest Retry MaxAttempts: backoffLimit becomes one. */
const MAX_ATTEMPTS = 99_999_999;

/** A STANDARD state machine runs at most a year, so a longer deadline cannot be kept. */
const deadline = z.number().int().min(1).max(31_536_000);

const quantity = z
  .union([z.string(), z.number()])
  .refine((v) => parseQuantity(v) !== undefined, {
    message: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  })
  .refine((v) => (parseQuantity(v) ?? 0) >= 0, { message: 'must be greater than or equal to 0' });

/** A field that Kubernetes knows and pod2sfn ignores; ./warnings.ts reports it. */
const ignoredField = z.unknown().optional();

/** Accepts the fields; one schema serves them all (zod schemas are immutable; 105 of them cost ~1 ms a start). */
function ignored(fields: IgnoredFields): Record<string, typeof ignoredField> {
  return Object.fromEntries(Object.keys(fields).map((k) => [k, ignoredField]));
}

const keySelector = z.strictObject({
  name: dnsSubdomain,
  key: configKey,
  optional: z.boolean().optional(),
});

const envVarSource = z
  .strictObject({
    secretKeyRef: keySelector.optional(),
    configMapKeyRef: keySelector.optional(),
    fieldRef: z.strictObject({ fieldPath: z.string().min(1), apiVersion: z.string().optional() }).optional(),
    resourceFieldRef: z
      .strictObject({
        resource: z.string().min(1),
        containerName: z.string().optional(),
        divisor: quantity.refine((v) => (parseQuantity(v) ?? 0) > 0, { message: 'must be greater than 0' }).optional(),
      })
      .optional(),
    fileKeyRef: z.unknown().optional(),
  })
  .refine((s) => Object.values(s).filter((v) => v !== undefined).length === 1, {
    message: 'must specify exactly one of: secretKeyRef, configMapKeyRef, fieldRef, resourceFieldRef',
  });

const envVar = z.strictObject({
  name: z.string().regex(ENV_VAR_NAME, {
    message:
      'a valid environment variable name must consist of alphabetic ' +
      "characters, digits, '_', '-', or '.', and must not start with a digit",
  }),
  value: z.string().optional(),
  valueFrom: envVarSource.optional(),
});

const envFromSource = z.strictObject({
  prefix: z.string().optional(),
  configMapRef: z.strictObject({ name: dnsSubdomain, optional: z.boolean().optional() }).optional(),
  secretRef: z.strictObject({ name: dnsSubdomain, optional: z.boolean().optional() }).optional(),
});

const resourceList = z.record(z.string(), quantity);

const volumeMount = z.strictObject({
  name: z.string().min(1),
  mountPath: absolutePath,
  subPath: checkedString(descendingPathProblem).optional(),
  subPathExpr: checkedString(descendingPathProblem).optional(),
  readOnly: z.boolean().optional(),
  recursiveReadOnly: z.enum(['Disabled', 'IfPossible', 'Enabled']).optional(),
  mountPropagation: z.enum(['None', 'HostToContainer', 'Bidirectional']).optional(),
});

export const containerSchema = z.strictObject({
  name: dnsLabel,
  image: z.string().min(1).pipe(checkedString(imageProblem)),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(envVar).optional(),
  envFrom: z.array(envFromSource).optional(),
  workingDir: absolutePath.optional(),
  resources: z
    .strictObject({
      requests: resourceList.optional(),
      limits: resourceList.optional(),
      claims: z.unknown().optional(),
    })
    .optional(),
  volumeMounts: z.array(volumeMount).optional(),
  restartPolicy: z.enum(['Always']).optional(),
  terminationMessagePath: absolutePath.optional(),
  terminationMessagePolicy: z.enum(['File', 'FallbackToLogsOnError']).optional(),
  /** pod2sfn's extension (not upstream Kubernetes); the annotation form is portable. */
  failurePolicy: z.enum(['Fail', 'Ignore']).optional(),
  ...ignored(IGNORED_CONTAINER_FIELDS),
});

const keyToPath = z.strictObject({
  key: z.string(),
  path: checkedString(itemPathProblem),
  mode: nonNegativeInt.optional(),
});

export const volumeSchema = z.strictObject({
  name: dnsLabel,
  emptyDir: z
    .strictObject({ medium: z.enum(['', 'Memory', 'HugePages']).optional(), sizeLimit: quantity.optional() })
    .optional(),
  configMap: z
    .strictObject({
      name: dnsSubdomain,
      items: z.array(keyToPath).optional(),
      optional: z.boolean().optional(),
      defaultMode: nonNegativeInt.optional(),
    })
    .optional(),
  secret: z
    .strictObject({
      secretName: dnsSubdomain,
      items: z.array(keyToPath).optional(),
      optional: z.boolean().optional(),
      defaultMode: nonNegativeInt.optional(),
    })
    .optional(),
  persistentVolumeClaim: z.strictObject({ claimName: z.string().min(1), readOnly: z.boolean().optional() }).optional(),
  hostPath: z.strictObject({ path: z.string(), type: z.string().optional() }).optional(),
  ...ignored(IGNORED_VOLUME_SOURCES),
});

const podFailurePolicyRule = z.strictObject({
  action: z.enum(['FailJob', 'FailIndex', 'Ignore', 'Count']),
  onExitCodes: z
    .strictObject({
      containerName: z.string().optional(),
      operator: z.enum(['In', 'NotIn']),
      values: z.array(z.number().int()).min(1).max(255),
    })
    .optional(),
  onPodConditions: z.array(z.strictObject({ type: z.string(), status: z.string() })).optional(),
});

/**
 * Every container is at least one CloudFormation resource and a stack holds 500, so no longer list can
 * deploy; refusing it here keeps the work on a hostile file bounded (20,000 containers took 13 s).
 */
const MAX_CONTAINERS = 500;

export const podSpecSchema = z.strictObject({
  containers: z.array(containerSchema).min(1, { message: 'Required value' }).max(MAX_CONTAINERS),
  initContainers: z.array(containerSchema).max(MAX_CONTAINERS).optional(),
  restartPolicy: z.enum(['Always', 'OnFailure', 'Never']).optional(),
  activeDeadlineSeconds: deadline.optional(),
  terminationGracePeriodSeconds: nonNegativeInt.max(MAX_GRACE_SECONDS).optional(),
  volumes: z.array(volumeSchema).optional(),
  ...ignored(IGNORED_POD_FIELDS),
});

export const metadataSchema = z.looseObject({
  name: dnsSubdomain.optional(),
  // A prefix: the API server appends random characters, so a trailing '-' is usual.
  generateName: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*)$/, { message: 'must be the start of a lowercase RFC 1123 subdomain' })
    .optional(),
  namespace: dnsLabel.optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

export const podTemplateSpecSchema = z.strictObject({
  metadata: metadataSchema.optional(),
  spec: podSpecSchema,
});

export const jobSpecSchema = z.strictObject({
  template: podTemplateSpecSchema,
  backoffLimit: nonNegativeInt.max(MAX_ATTEMPTS).optional(),
  activeDeadlineSeconds: deadline.optional(),
  podFailurePolicy: z.strictObject({ rules: z.array(podFailurePolicyRule).max(20) }).optional(),
  ...ignored(IGNORED_JOB_FIELDS),
});

/** Deployment, StatefulSet, DaemonSet and ReplicaSet: only their pod template runs. */
export const workloadSpecSchema = z.strictObject({
  template: podTemplateSpecSchema,
  ...ignored(IGNORED_WORKLOAD_FIELDS),
});

export const cronJobSpecSchema = z.strictObject({
  jobTemplate: z.strictObject({ metadata: metadataSchema.optional(), spec: jobSpecSchema }),
  ...ignored(IGNORED_CRONJOB_FIELDS),
});

function topLevel<T extends z.ZodType>(kind: string, spec: T) {
  return z.strictObject({
    apiVersion: z.string(),
    kind: z.literal(kind),
    metadata: metadataSchema.optional(),
    spec,
    /** Output-only; a manifest exported from a cluster carries it. */
    status: z.unknown().optional(),
  });
}

export const podSchema = topLevel('Pod', podSpecSchema);
export const podTemplateSchema = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('PodTemplate'),
  metadata: metadataSchema.optional(),
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
