/**
 * Names shared by the CDK stack and the CLI (`pod2sfn start` finds a deployed pod by them). This
 * module imports nothing from aws-cdk-lib, so the CLI may load it.
 */

/** Step Functions names: 1–80 characters of [A-Za-z0-9_-]. */
export function stateMachineNameOf(namespace: string, name: string): string {
  return `pod2sfn-${namespace}-${name}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80);
}

/** CloudFormation stack names: a letter, then letters, digits and hyphens, at most 128. */
export function stackNameOf(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9-]/g, '-');
  return (/^[A-Za-z]/.test(cleaned) ? cleaned : `pod-${cleaned}`).slice(0, 128);
}

/** Execution names: the idempotency key of a run (docs/design.md §3); what Step Functions accepts, ASCII only. */
export const EXECUTION_NAME_PATTERN = '^[A-Za-z0-9_-]{1,80}$';
