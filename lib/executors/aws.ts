import type { Executor } from '../model/workflow.js';
import { activityDeployer } from './activity/aws.js';
import type { AwsExecutor, AwsResources } from './contract.js';
import { ecsDeployer } from './ecs/aws.js';
import { lambdaDeployer } from './lambda/aws.js';

/**
 * What each executor deploys (lib/aws/pod-state-machine.ts asks them). Loads aws-cdk-lib: only the
 * CDK side imports it, never validate, synth or run.
 */
export const DEPLOYERS = {
  lambda: lambdaDeployer,
  ecs: ecsDeployer,
  activity: activityDeployer,
} satisfies Record<Executor, AwsExecutor<never, AwsResources>>;
