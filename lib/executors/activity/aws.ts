import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { SUBSTITUTIONS } from '../../asl/substitutions.js';
import { volumeHandoffStatements } from '../../aws/volume-bucket.js';
import { handsOver } from '../../model/handoff.js';
import type { AwsExecutor, AwsResources } from '../contract.js';

export interface ActivityResources extends AwsResources {
  /** Step id → the Activity `pod2sfn agent` polls for its container. */
  readonly activities: ReadonlyMap<string, sfn.Activity>;
  /**
   * What `pod2sfn agent` needs on the bucket of emptyDir saves (docs/agent.md), when one of its
   * containers hands a volume over: attach it to the agent's role or user.
   */
  readonly agentPolicy?: iam.ManagedPolicy;
}

/**
 * An Activity per container. The state machine needs no grant to schedule an activity task; the
 * worker (`pod2sfn agent`) polls with its own credentials, to which the agent policy adds the volume
 * bucket's prefix of saves.
 */
export const activityDeployer: AwsExecutor<unknown, ActivityResources> = {
  deploy(scope, steps, { workflow, volumeBucket }) {
    const activities = new Map<string, sfn.Activity>();
    const substitutions: Record<string, string> = {};
    for (const step of steps) {
      const activity = new sfn.Activity(scope, `Activity_${step.id}`);
      activities.set(step.id, activity);
      substitutions[SUBSTITUTIONS.activity(step)] = activity.activityArn;
    }
    let agentPolicy: iam.ManagedPolicy | undefined;
    if (volumeBucket && steps.some((step) => handsOver(workflow, step))) {
      agentPolicy = new iam.ManagedPolicy(scope, 'AgentVolumePolicy', {
        description: 'pod2sfn agent: restore and save the emptyDir volumes of this pod',
        statements: volumeHandoffStatements(volumeBucket),
      });
    }
    return { activities, substitutions, statements: [], ...(agentPolicy && { agentPolicy }) };
  },
};
