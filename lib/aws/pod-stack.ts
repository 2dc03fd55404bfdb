import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { PodRunsApi, type RunsApiAuthorization } from './pod-runs-api.js';
import { PodStateMachine, type PodStateMachineProps } from './pod-state-machine.js';

export interface PodStackProps extends StackProps, PodStateMachineProps {
  /** How the runs API authenticates callers. @default 'iam' */
  readonly authorization?: RunsApiAuthorization;
  /** Create the runs API at all. @default true */
  readonly api?: boolean;
}

/**
 * One pod, deployed: its state machine and what its executors need, the runs API, and outputs
 * (the API's `/runs` URL, the state machine ARN, activity ARNs for `pod2sfn agent`).
 */
export class PodStack extends Stack {
  readonly pod: PodStateMachine;
  readonly api?: PodRunsApi;

  constructor(scope: Construct, id: string, props: PodStackProps) {
    super(scope, id, props);
    this.pod = new PodStateMachine(this, 'Pod', props);
    new CfnOutput(this, 'StateMachineArn', {
      value: this.pod.stateMachine.stateMachineArn,
      description: 'pod2sfn status/start: the state machine',
    });
    if (props.api ?? true) {
      this.api = new PodRunsApi(this, 'Runs', {
        stateMachine: this.pod.stateMachine,
        ...(props.authorization && { authorization: props.authorization }),
        ...(props.logRetention !== undefined && { logRetention: props.logRetention }),
        ...(props.logRemovalPolicy !== undefined && { logRemovalPolicy: props.logRemovalPolicy }),
      });
      new CfnOutput(this, 'ApiUrl', {
        value: this.api.runsUrl,
        description: 'POST {"name","input"} to start a run; GET /runs/{name} for its status',
      });
      if (this.api.apiKey)
        new CfnOutput(this, 'ApiKeyId', {
          value: this.api.apiKey.keyId,
          description: 'aws apigateway get-api-key --include-value --api-key <id>',
        });
    }
    for (const [stepId, activity] of this.pod.activities) {
      new CfnOutput(this, `Activity${stepId.replace(/[^A-Za-z0-9]/g, '')}`, {
        value: activity.activityArn,
        description: `pod2sfn agent: the activity of step ${stepId}`,
      });
    }
    if (this.pod.agentPolicy)
      new CfnOutput(this, 'AgentPolicyArn', {
        value: this.pod.agentPolicy.managedPolicyArn,
        description: "pod2sfn agent: attach to the agent's role or user (activities, log group, volume saves)",
      });
    suppressAcceptedFindings(this, props.tracing ?? false);
  }
}

/**
 * The cdk-nag AwsSolutions findings pod2sfn accepts, each with its reason. Applied to every stack,
 * so that a user who runs cdk-nag sees only what they add.
 */
export function suppressAcceptedFindings(stack: PodStack, tracing: boolean): void {
  const pod = stack.pod;
  const machine = pod.stateMachine;
  NagSuppressions.addResourceSuppressions(
    machine,
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'CloudWatch Logs delivery (logs:CreateLogDelivery and ' +
          'friends) and X-Ray writes take no resource-level permission; ' +
          'ecs:DescribeTasks/StopTask/TagResource are limited to the tasks ' +
          'of the one cluster (task/<cluster>/*, ids unknown before a run) ' +
          'and ecs:RunTask to every revision of the task definitions this stack creates (family:*)',
      },
      ...(tracing
        ? []
        : [
            {
              id: 'AwsSolutions-SF2',
              reason: 'X-Ray tracing is opt-in (-c tracing=true, PodStateMachineProps.tracing): it costs per trace',
            },
          ]),
    ],
    true,
  );
  for (const fn of pod.functions.values()) {
    NagSuppressions.addResourceSuppressions(
      fn,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "log streams of the function's own log group (created per invocation) " +
            'and, with tracing, X-Ray writes, which take no resource-level permission',
        },
      ],
      true,
    );
  }
  for (const task of pod.tasks.values()) {
    NagSuppressions.addResourceSuppressions(
      task,
      [
        {
          id: 'AwsSolutions-ECS2',
          reason:
            "the environment is the pod spec's plain `value`s; secretKeyRef/configMapKeyRef go through ECS `secrets`",
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'the execution role reads the referenced secrets by name (Secrets Manager ' +
            'appends a random suffix) and writes log streams of the one log group',
        },
      ],
      true,
    );
  }
  if (pod.cluster) {
    NagSuppressions.addResourceSuppressions(
      pod.cluster,
      [
        {
          id: 'AwsSolutions-VPC7',
          reason:
            'cost: VPC flow logs are billed per GB; the VPC only carries the ' +
            "tasks' outbound traffic, which the container logs already describe",
        },
        {
          id: 'AwsSolutions-ECS4',
          reason: 'cost: Container Insights is billed per metric; opt in with PodClusterProps.containerInsights',
        },
      ],
      true,
    );
  }
  if (stack.api) {
    NagSuppressions.addResourceSuppressions(
      stack.api,
      [
        {
          id: 'AwsSolutions-APIG3',
          reason:
            'WAF costs a web ACL plus per-request fees; the API is ' +
            'IAM-authorized (or keyed) and throttled on its stage',
        },
        {
          id: 'AwsSolutions-COG4',
          reason: 'callers are AWS principals (IAM authorization, SigV4) or hold an API key; there is no user pool',
        },
        {
          id: 'AwsSolutions-IAM4',
          reason:
            "API Gateway's account-wide CloudWatch role uses the AWS managed " +
            'AmazonAPIGatewayPushToCloudWatchLogs policy, made for it',
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'states:DescribeExecution on the executions of this one ' +
            'state machine (execution:<machine>:*), named at run time',
        },
        ...(stack.api.apiKey
          ? [
              {
                id: 'AwsSolutions-APIG4',
                reason: 'authorization by API key was chosen explicitly (authorization: apiKey)',
              },
            ]
          : []),
      ],
      true,
    );
  }
}
