import { error, warning, type Diagnostic, type PathSegment } from '../diagnostics.js';
import { handsOffVolumes } from './handoff.js';
import { referencesOf } from './references.js';
import { allSteps, type Executor, type Workflow } from './workflow.js';
import { occurrences } from '../text.js';

/**
 * What Step Functions and CloudFormation refuse at deploy time, checked when a pod validates (issue 14 §2):
 * a pod that validates deploys. Pure: the stack is estimated from the Workflow, not synthesized (aws-cdk-lib
 * stays out of validate); test/manifest/limits.test.ts synthesizes real stacks to keep the estimate an
 * upper bound, and close.
 */
export const LIMITS = {
  /** Step Functions: a state machine definition, as deployed (placeholders filled). */
  definitionCharacters: 1_048_576,
  /** CloudFormation, per stack. */
  resources: 500,
  outputs: 200,
  /** CloudFormation: a template body uploaded through S3, as `cdk deploy` does. */
  templateBytes: 1_048_576,
} as const;

export interface StackEstimate {
  readonly resources: number;
  readonly outputs: number;
  readonly templateBytes: number;
}

/**
 * lib/aws's PodStack, measured (cdk.json's flags): the state machine, its role and logs, the runs API; one
 * more resource and output and 9 KB for options (`-c auth=apiKey`, tracing).
 */
const STACK = { resources: 27, outputs: 4, bytes: 53_000 };
/** The VPC, subnets, routes and cluster created once when a container runs on ECS. */
const CLUSTER = { resources: 14, bytes: 13_500 };
/** The bucket of emptyDir saves, its policy and the custom resource that empties it on delete (its role, function). */
const VOLUMES = { resources: 5, bytes: 6_000 };
/** The agents' log group and policy and their outputs, created once when a container runs on `activity`. */
const AGENT = { resources: 2, outputs: 2, bytes: 2_750 };
/** Each container: a Function, its role, policy and log group; a task definition and its roles; an Activity. */
const PER_CONTAINER: Readonly<Record<Executor, { resources: number; outputs: number; bytes: number }>> = {
  lambda: { resources: 4, outputs: 0, bytes: 3_500 },
  ecs: { resources: 4, outputs: 0, bytes: 5_200 },
  activity: { resources: 1, outputs: 1, bytes: 500 },
};
/** A Secret or ConfigMap a Lambda or ECS container reads: an IAM statement naming it. */
const PER_REFERENCE_BYTES = 800;
/** A logical id repeats a container's step id in about this many places. */
const ID_REPEATS = 40;

/** The resources, outputs and template size of the pod's stack, at most. */
export function estimateStack(workflow: Workflow, definitionText: string): StackEstimate {
  const steps = allSteps(workflow);
  let resources = STACK.resources;
  let outputs = STACK.outputs;
  let bytes = STACK.bytes + jsonStringLength(definitionText);
  if (steps.some((s) => s.executor === 'ecs')) {
    resources += CLUSTER.resources;
    bytes += CLUSTER.bytes;
  }
  if (handsOffVolumes(workflow)) {
    resources += VOLUMES.resources;
    bytes += VOLUMES.bytes;
  }
  if (steps.some((s) => s.executor === 'activity')) {
    resources += AGENT.resources;
    outputs += AGENT.outputs;
    bytes += AGENT.bytes;
  }
  for (const step of steps) {
    const cost = PER_CONTAINER[step.executor];
    resources += cost.resources;
    outputs += cost.outputs;
    bytes += cost.bytes + ID_REPEATS * step.id.length;
    if (step.executor === 'activity') continue;
    const refs = referencesOf(step, workflow.volumes);
    bytes += PER_REFERENCE_BYTES * (refs.secrets.length + refs.configMaps.length + refs.configMapKeys.length);
    // A task definition holds the container's command, args and environment again.
    if (step.executor === 'ecs') bytes += 2 * JSON.stringify(step.container).length;
  }
  return { resources, outputs, templateBytes: bytes };
}

/**
 * The length of the definition as a string inside the template, JSON-escaped there: JSON.stringify's
 * length, counted instead of written (a 1,000-container definition is 1.3 MB with 175,000 quotes). A JSON
 * text holds no control character, so only its quotes and backslashes gain an escape.
 */
export function jsonStringLength(jsonText: string): number {
  return jsonText.length + 2 + occurrences(jsonText, ['"', '\\']);
}

/** The longest value a placeholder takes when deployed: an ARN, a subnet list. */
const PLACEHOLDER_VALUE: ReadonlyArray<[RegExp, number]> = [
  [/^Lambda_/, 140],
  [/^Activity_/, 140],
  [/^TaskDefinition_/, 330],
  [/^EcsCluster$/, 130],
  [/^EcsSubnets$/, 256],
  [/^EcsSecurityGroup$/, 32],
  [/^EcsAssignPublicIp$/, 8],
  /** A bucket name: at most 63 characters. */
  [/^VolumeBucket$/, 63],
];

/** The definition's length once definitionSubstitutions have filled its `${Key}`s, at most. */
export function deployedDefinitionLength(definitionText: string): number {
  let length = definitionText.length;
  for (const match of definitionText.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)) {
    const value = PLACEHOLDER_VALUE.find(([pattern]) => pattern.test(match[1]!))?.[1] ?? 2048;
    length += value - match[0].length;
  }
  return length;
}

/**
 * Errors for a pod that Step Functions or CloudFormation would refuse, each with the limit and the count.
 * `stack: 'warning'` (`pod2sfn run`): the state machine still runs locally when its stack could not deploy.
 */
export function limitDiagnostics(
  workflow: Workflow,
  definitionText: string,
  specPath: readonly PathSegment[],
  { stack: severity = 'error' }: { readonly stack?: 'error' | 'warning' } = {},
): Diagnostic[] {
  const stackIssue =
    severity === 'error'
      ? error
      : (path: readonly PathSegment[], message: string) =>
          warning(path, `${message}: it runs here, but cannot deploy as one stack`);
  const out: Diagnostic[] = [];
  const chars = deployedDefinitionLength(definitionText);
  if (chars > LIMITS.definitionCharacters) {
    out.push(
      error(
        specPath,
        `Too long: the state machine definition would be about ${chars} characters once deployed: ` +
          `may not be more than ${LIMITS.definitionCharacters} (Step Functions' limit); ` +
          'use fewer containers or shorter commands and env',
      ),
    );
  }
  const stack = estimateStack(workflow, definitionText);
  if (stack.resources > LIMITS.resources) {
    out.push(
      stackIssue(
        specPath,
        `Too many: the stack would have about ${stack.resources} CloudFormation resources ` +
          '(4 per lambda or ecs container, 1 per activity container): ' +
          `may not have more than ${LIMITS.resources} (CloudFormation's limit)`,
      ),
    );
  }
  if (stack.outputs > LIMITS.outputs) {
    out.push(
      stackIssue(
        specPath,
        `Too many: the stack would have about ${stack.outputs} outputs (one per activity container): ` +
          `may not have more than ${LIMITS.outputs} (CloudFormation's limit)`,
      ),
    );
  }
  if (stack.templateBytes > LIMITS.templateBytes) {
    out.push(
      stackIssue(
        specPath,
        `Too long: the CloudFormation template would be about ${stack.templateBytes} bytes: ` +
          `may not be more than ${LIMITS.templateBytes} (CloudFormation's limit)`,
      ),
    );
  }
  return out;
}
