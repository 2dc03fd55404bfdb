import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { AGENT_LOG_GROUP_OUTPUT } from './locations.js';

/** The log group a pod's agents ship to: its stack's output; undefined when the stack has none (no activity container). */
export async function agentLogGroup(stackName: string, client: CloudFormationClient): Promise<string | undefined> {
  const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
  return Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === AGENT_LOG_GROUP_OUTPUT)?.OutputValue;
}

/** The stack that created a resource (a state machine), found by its physical id; undefined if none did. */
export async function stackOf(physicalId: string, client: CloudFormationClient): Promise<string | undefined> {
  const { DescribeStackResourcesCommand } = await import('@aws-sdk/client-cloudformation');
  try {
    const found = await client.send(new DescribeStackResourcesCommand({ PhysicalResourceId: physicalId }));
    return found.StackResources?.[0]?.StackName;
  } catch (e) {
    if ((e as Error).name === 'ValidationError') return undefined;
    throw e;
  }
}

/** A CloudFormation client from the usual AWS environment (AWS_ENDPOINT_URL for LocalStack). */
export async function cloudFormationClient(
  env: Readonly<Record<string, string | undefined>>,
): Promise<CloudFormationClient> {
  const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
  const endpoint = env.AWS_ENDPOINT_URL_CLOUDFORMATION ?? env.AWS_ENDPOINT_URL;
  return new CloudFormationClient({ ...(endpoint && { endpoint }) });
}
