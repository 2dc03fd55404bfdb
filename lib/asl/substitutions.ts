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
} as const;

export function placeholder(key: string): string {
  return '${' + key + '}';
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
  if (missing.length > 0) throw new Error(`no value for ${missing.map((k) => placeholder(k)).join(', ')}`);
  return definitionJson.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, key: string) => values[key]!);
}
