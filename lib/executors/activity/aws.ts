import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { SUBSTITUTIONS } from '../../asl/substitutions.js';
import { handoffWays, volumeHandoffStatements } from '../../aws/volume-bucket.js';
import { AGENT_LOG_GROUP_OUTPUT } from '../../logs/locations.js';
import { handoffOf } from '../../model/handoff.js';
import type { AwsExecutor, AwsResources } from '../contract.js';

export interface ActivityResources extends AwsResources {
  /** Step id → the Activity `pod2sfn agent` polls for its container. */
  readonly activities: ReadonlyMap<string, sfn.Activity>;
  /** Where `pod2sfn agent` ships the containers' output (docs/agent.md); present when a container runs on it. */
  readonly logGroup?: logs.LogGroup;
  /**
   * What `pod2sfn agent --stack` needs to serve this pod (docs/agent.md): the stack's outputs and
   * resources, its activities, its log group and,
   * when one of its containers hands a volume over, the bucket's prefix of saves. Attach it to the
   * agent's role or user.
   */
  readonly agentPolicy?: iam.ManagedPolicy;
}

/**
 * An Activity per container, one log group the agents ship every container's output to (named by
 * a stack output), and the agents' policy. The state machine needs no grant to schedule an activity
 * task; the worker (`pod2sfn agent`) polls, writes logs and hands volumes over with its own credentials.
 */
export const activityDeployer: AwsExecutor<unknown, ActivityResources> = {
  deploy(scope, steps, { workflow, volumeBucket, logRetention, logRemovalPolicy }) {
    const activities = new Map<string, sfn.Activity>();
    const substitutions: Record<string, string> = {};
    for (const step of steps) {
      const activity = new sfn.Activity(scope, `Activity_${step.id}`);
      activities.set(step.id, activity);
      substitutions[SUBSTITUTIONS.activity(step)] = activity.activityArn;
    }
    if (steps.length === 0) return { activities, substitutions, statements: [] };
    const logGroup = new logs.LogGroup(scope, 'AgentLogs', {
      retention: logRetention,
      removalPolicy: logRemovalPolicy,
    });
    new CfnOutput(scope, 'AgentLogGroupOutput', {
      value: logGroup.logGroupName,
      description: 'pod2sfn agent and pod2sfn logs: the log group of the containers the agents run',
    }).overrideLogicalId(AGENT_LOG_GROUP_OUTPUT);
    const agentPolicy = new iam.ManagedPolicy(scope, 'AgentPolicy', {
      description: 'pod2sfn agent: serve the activities of this pod, ship their output, hand their volumes over',
      statements: [
        new iam.PolicyStatement({
          sid: 'ServeActivities',
          actions: [
            'states:GetActivityTask',
            'states:SendTaskSuccess',
            'states:SendTaskFailure',
            'states:SendTaskHeartbeat',
          ],
          resources: [...activities.values()].map((a) => a.activityArn),
        }),
        new iam.PolicyStatement({
          sid: 'FindActivitiesAndLogGroup',
          actions: ['cloudformation:DescribeStacks', 'cloudformation:ListStackResources'],
          resources: [Stack.of(scope).stackId],
        }),
        new iam.PolicyStatement({
          sid: 'ShipContainerOutput',
          actions: ['logs:DescribeLogStreams', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
        // One policy serves every agent of the pod: what any of its containers hands over.
        ...(volumeBucket
          ? volumeHandoffStatements(volumeBucket, handoffWays(steps.map((step) => handoffOf(workflow, step))))
          : []),
      ],
    });
    return { activities, substitutions, statements: [], logGroup, agentPolicy };
  },
};
