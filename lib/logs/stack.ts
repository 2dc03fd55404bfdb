import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { stackNameOf } from '../aws/names.js';
import { endpointOf, type Env } from '../endpoints.js';
import { AGENT_LOG_GROUP_OUTPUT } from './locations.js';

/** A stack's outputs by key; undefined when there is no such stack. */
async function stackOutputs(stack: string, client: CloudFormationClient): Promise<Map<string, string> | undefined> {
  const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const found = await client.send(new DescribeStacksCommand({ StackName: stack })).catch((e: Error) => {
    if (e.name === 'ValidationError') return undefined;
    throw e;
  });
  const outputs = found?.Stacks?.[0]?.Outputs;
  return outputs && new Map(outputs.map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
}

/** The log group a pod's agents ship to, from its stack's output; undefined without activity containers. */
export async function agentLogGroup(stack: string, client: CloudFormationClient): Promise<string | undefined> {
  return (await stackOutputs(stack, client))?.get(AGENT_LOG_GROUP_OUTPUT);
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
  const { DescribeStackResourcesCommand } = await import('@aws-sdk/client-cloudformation');
  const owner = await client
    .send(new DescribeStackResourcesCommand({ PhysicalResourceId: stateMachineArn }))
    .then((found) => found.StackResources?.[0]?.StackName)
    .catch(() => undefined);
  const stack = owner ?? stackNameOf(podName);
  const outputs = await stackOutputs(stack, client);
  if (!outputs || (owner === undefined && outputs.get('StateMachineArn') !== stateMachineArn)) return {};
  const logGroup = outputs.get(AGENT_LOG_GROUP_OUTPUT);
  return { stack, ...(logGroup !== undefined && { logGroup }) };
}

/** A CloudFormation client from the usual AWS environment (AWS_ENDPOINT_URL for LocalStack). */
export async function cloudFormationClient(env: Env): Promise<CloudFormationClient> {
  const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
  return new CloudFormationClient(endpointOf(env, 'CLOUDFORMATION'));
}
