import { CloudFormationClient, paginateListStackResources } from '@aws-sdk/client-cloudformation';

/** The ARNs of the Step Functions activities a deployed pod stack holds (one per activity container). */
export async function stackActivities(stackName: string, client = new CloudFormationClient({})): Promise<string[]> {
  const arns: string[] = [];
  for await (const page of paginateListStackResources({ client }, { StackName: stackName })) {
    for (const resource of page.StackResourceSummaries ?? []) {
      if (resource.ResourceType === 'AWS::StepFunctions::Activity' && resource.PhysicalResourceId)
        arns.push(resource.PhysicalResourceId);
    }
  }
  return arns.sort();
}
