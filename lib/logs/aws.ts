import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { endpointOf, type Env } from '../endpoints.js';
import type { LogServices } from './read.js';

/** CloudWatch Logs, ECS and Lambda clients from the usual AWS environment, each loaded when first needed. */
export function awsLogServices(env: Env): LogServices {
  let logs: Promise<CloudWatchLogsClient> | undefined;
  return {
    logs: () =>
      (logs ??= import('@aws-sdk/client-cloudwatch-logs').then(
        ({ CloudWatchLogsClient }) => new CloudWatchLogsClient(endpointOf(env, 'CLOUDWATCH_LOGS')),
      )),
    async taskDefinitionLogs(taskDefinition) {
      const { ECSClient, DescribeTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
      const ecs = new ECSClient(endpointOf(env, 'ECS'));
      const found = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
      const options = found.taskDefinition?.containerDefinitions?.[0]?.logConfiguration?.options ?? {};
      const logGroup = options['awslogs-group'];
      if (logGroup === undefined) return undefined;
      const prefix = options['awslogs-stream-prefix'];
      return { logGroup, ...(prefix !== undefined && { prefix }) };
    },
    async functionLogGroup(functionName) {
      const { LambdaClient, GetFunctionConfigurationCommand } = await import('@aws-sdk/client-lambda');
      const lambda = new LambdaClient(endpointOf(env, 'LAMBDA'));
      const found = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
      return found.LoggingConfig?.LogGroup ?? `/aws/lambda/${found.FunctionName ?? functionName}`;
    },
  };
}
