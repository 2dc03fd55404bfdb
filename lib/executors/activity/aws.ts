import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { SUBSTITUTIONS } from '../../asl/substitutions.js';
import type { AwsExecutor, AwsResources } from '../contract.js';

export interface ActivityResources extends AwsResources {
  /** Step id → the Activity `pod2sfn agent` polls for its container. */
  readonly activities: ReadonlyMap<string, sfn.Activity>;
}

/**
 * An Activity per container. The state machine needs no grant to schedule an activity task; the
 * worker (`pod2sfn agent`) polls with its own credentials.
 */
export const activityDeployer: AwsExecutor<unknown, ActivityResources> = {
  deploy(scope, steps) {
    const activities = new Map<string, sfn.Activity>();
    const substitutions: Record<string, string> = {};
    for (const step of steps) {
      const activity = new sfn.Activity(scope, `Activity_${step.id}`);
      activities.set(step.id, activity);
      substitutions[SUBSTITUTIONS.activity(step)] = activity.activityArn;
    }
    return { activities, substitutions, statements: [] };
  },
};
