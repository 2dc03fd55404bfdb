import type { Step } from '../model/workflow.js';

/**
 * Placeholders that `cdk deploy` fills through definitionSubstitutions and that the local runtime
 * never needs to resolve (its handlers are bound by state name). Keys are [A-Za-z0-9_].
 */
export const SUBSTITUTIONS = {
  lambdaFunction: (step: Step) => `Lambda_${step.id}`,
  taskDefinition: (step: Step) => `TaskDefinition_${step.id}`,
  activity: (step: Step) => `Activity_${step.id}`,
  ecsCluster: 'EcsCluster',
  /** Comma-separated subnet ids. */
  ecsSubnets: 'EcsSubnets',
  ecsSecurityGroup: 'EcsSecurityGroup',
  /** ENABLED or DISABLED. */
  ecsAssignPublicIp: 'EcsAssignPublicIp',
  /** The stack's bucket of emptyDir saves (lib/model/handoff.ts). */
  volumeBucket: 'VolumeBucket',
} as const;

/**
 * Inside the definition object a placeholder is `${<NUL>Key}`: NUL cannot occur in user text (lib/manifest
 * refuses it, as no process could receive it), so a user's own `${NAME}` is never taken for one. The
 * object still reads as a placeholder to asl-validator (`${...}`); definitionText turns marks into `${Key}`.
 */
const MARK = '\u0000';

export function placeholder(key: string): string {
  return '${' + MARK + key + '}';
}

/** In JSON.stringify's output, a mark is the escape `\u0000`; a user's backslash would be `\\`. */
const MARKED_OR_USER = /\$\{(?:\\u0000([A-Za-z0-9_]+)\})?/g;

/**
 * The definition object → its JSON text: `compact`, what Step Functions receives (as a CDK state machine's
 * definition is: 56 % of the indented text's length, under Step Functions' 1 MiB), or `indented` by two
 * spaces, for reading (`pod2sfn synth`). Every `${` of user text is written `\u0024{`: JSON readers (Step
 * Functions, the local engine) read it back as `${`, while definitionSubstitutions, which works on the raw
 * text, cannot match it. Marks become `${Key}`. Without a user `${` the text is what JSON.stringify gives.
 */
export function definitionText(definition: unknown, layout: 'compact' | 'indented' = 'compact'): string {
  const json = layout === 'indented' ? JSON.stringify(definition, null, 2) : JSON.stringify(definition);
  return json.replace(MARKED_OR_USER, (_, key: string | undefined) =>
    key === undefined ? '\\u0024{' : '${' + key + '}',
  );
}

/** Every `${Key}` in a definition, sorted: what a deployment must supply. */
export function placeholdersIn(definitionJson: string): string[] {
  return [...new Set([...definitionJson.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!))].sort();
}

/**
 * What Step Functions does with definitionSubstitutions: each `${Key}` replaced by its value. Every
 * placeholder must have a value, so a definition never deploys half-filled.
 */
export function substitute(definitionJson: string, values: Readonly<Record<string, string>>): string {
  const missing = placeholdersIn(definitionJson).filter((key) => values[key] === undefined);
  if (missing.length > 0) throw new Error(`no value for ${missing.map((k) => '${' + k + '}').join(', ')}`);
  return definitionJson.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, key: string) => values[key]!);
}
