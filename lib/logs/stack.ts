import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { stackNameOf } from '../aws/names.js';
import { AGENT_LOG_GROUP_OUTPUT } from './locations.js';

/** The log group a pod's agents ship to: its stack's output; undefined when the stack has none (no activity container). */
export async function agentLogGroup(stackName: string, client: CloudFormationClient): Promise<string | undefined> {
  const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
  return Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === AGENT_LOG_GROUP_OUTPUT)?.OutputValue;
}

/**
 * The log group the agents of a deployed state machine ship to, from the outputs of the stack that
 * holds it: the stack CloudFormation says created it (AWS), else the stack `pod2sfn deploy` names
 * after the pod (LocalStack cannot find a stack by resource), if its StateMachineArn output is this one.
 */
export async function stateMachineLogGroup(
  stateMachineArn: string,
  podName: string,
  client: CloudFormationClient,
): Promise<{ stack?: string; logGroup?: string }> {
  const { DescribeStackResourcesCommand, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const owner = await client
    .send(new DescribeStackResourcesCommand({ PhysicalResourceId: stateMachineArn }))
    .then((found) => found.StackResources?.[0]?.StackName)
    .catch(() => undefined);
  const stack = owner ?? stackNameOf(podName);
  const found = await client.send(new DescribeStacksCommand({ StackName: stack })).catch(() => undefined);
  const outputs = found?.Stacks?.[0]?.Outputs ?? [];
  const output = (key: string) => outputs.find((o) => o.OutputKey === key)?.OutputValue;
  if (owner === undefined && output('StateMachineArn') !== stateMachineArn) return {};
  const logGroup = output(AGENT_LOG_GROUP_OUTPUT);
  return { stack, ...(logGroup !== undefined && { logGroup }) };
}

/** A CloudFormation client from the usual AWS environment (AWS_ENDPOINT_URL for LocalStack). */
export async function cloudFormationClient(
  env: Readonly<Record<string, string | undefined>>,
): Promise<CloudFormationClient> {
  const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
  const endpoint = env.AWS_ENDPOINT_URL_CLOUDFORMATION ?? env.AWS_ENDPOINT_URL;
  return new CloudFormationClient({ ...(endpoint && { endpoint }) });
}
