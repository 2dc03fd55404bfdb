import { CfnOutput } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { SUBSTITUTIONS } from '../../asl/substitutions.js';
import { AGENT_LOG_GROUP_OUTPUT } from '../../logs/locations.js';
import type { AwsExecutor, AwsResources } from '../contract.js';

export interface ActivityResources extends AwsResources {
  /** Step id → the Activity `pod2sfn agent` polls for its container. */
  readonly activities: ReadonlyMap<string, sfn.Activity>;
  /** Where `pod2sfn agent` ships the containers' output (docs/agent.md); present when a container runs on it. */
  readonly logGroup?: logs.LogGroup;
}

/**
 * An Activity per container, and one log group the agents ship every container's output to, named
 * by a stack output. The state machine needs no grant to schedule an activity task; the worker
 * (`pod2sfn agent`) polls and writes logs with its own credentials.
 */
export const activityDeployer: AwsExecutor<unknown, ActivityResources> = {
  deploy(scope, steps, { logRetention, logRemovalPolicy }) {
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
    return { activities, substitutions, statements: [], logGroup };
  },
};
