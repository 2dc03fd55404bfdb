import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SUBSTITUTIONS } from '../../asl/substitutions.js';
import { handoffOf, movesVolumes } from '../../model/handoff.js';
import { handoffWays } from '../../aws/volume-bucket.js';
import type { AwsExecutor, AwsResources } from '../contract.js';
import { ContainerRunnerFunction } from './container-runner-function.js';

export interface LambdaDeployProps {
  /** The Lambda runner's code (an `index.handler`). @default the runner bundle shipped in the pod2sfn package */
  readonly runnerCode?: lambda.Code;
}

export interface LambdaResources extends AwsResources {
  /** Step id → the function that runs its container. */
  readonly functions: ReadonlyMap<string, ContainerRunnerFunction>;
}

/** A runner function per container; the state machine may invoke those functions and no other. */
export const lambdaDeployer: AwsExecutor<LambdaDeployProps, LambdaResources> = {
  deploy(scope, steps, { workflow, logRetention, logRemovalPolicy, tracing, volumeBucket, props }) {
    const functions = new Map<string, ContainerRunnerFunction>();
    const substitutions: Record<string, string> = {};
    for (const step of steps) {
      const handoff = handoffOf(workflow, step);
      const fn = new ContainerRunnerFunction(scope, `Runner_${step.id}`, {
        step,
        namespace: workflow.namespace,
        volumes: workflow.volumes,
        ...(volumeBucket && movesVolumes(handoff) && { volumeBucket, handoff: handoffWays([handoff]) }),
        logRetention,
        logRemovalPolicy,
        ...(tracing !== undefined && { tracing }),
        ...(props.runnerCode !== undefined && { code: props.runnerCode }),
      });
      functions.set(step.id, fn);
      substitutions[SUBSTITUTIONS.lambdaFunction(step)] = fn.function.functionArn;
    }
    const statements =
      functions.size === 0
        ? []
        : [
            new iam.PolicyStatement({
              sid: 'InvokeContainerRunners',
              actions: ['lambda:InvokeFunction'],
              resources: [...functions.values()].map((f) => f.function.functionArn),
            }),
          ];
    return { functions, substitutions, statements };
  },
};
