import { Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { SUBSTITUTIONS } from '../../asl/substitutions.js';
import { handoffOf } from '../../model/handoff.js';
import type { Step } from '../../model/workflow.js';
import type { AwsExecutor, AwsResources } from '../contract.js';
import { FargateContainerTask } from './fargate-container-task.js';
import { PodCluster } from './pod-cluster.js';

export interface EcsDeployProps {
  /** The VPC of ECS tasks. @default see PodCluster: a new VPC with public subnets and no NAT gateway */
  readonly vpc?: ec2.IVpc;
  /** The ECS cluster. @default a new cluster, created only when a container runs on ECS */
  readonly cluster?: ecs.ICluster;
  /** The subnets of ECS tasks. @default the VPC's default selection */
  readonly subnets?: ec2.SubnetSelection;
  /** Public IPs for ECS tasks. @default true when the subnets are public */
  readonly assignPublicIp?: boolean;
}

export interface EcsResources extends AwsResources {
  /** Present when a container runs on ECS. */
  readonly cluster?: PodCluster;
  /** Step id → the task definition of its container. */
  readonly tasks: ReadonlyMap<string, FargateContainerTask>;
}

/**
 * A Fargate task definition per container, on one cluster with one log group, created only when a
 * container runs on ECS. The state machine may run those task definitions on that cluster, watch
 * and stop its tasks, and pass their roles to ECS (as aws-cdk's EcsRunTask grants).
 */
export const ecsDeployer: AwsExecutor<EcsDeployProps, EcsResources> = {
  deploy(scope, steps, { workflow, logRetention, logRemovalPolicy, volumeBucket, props }) {
    const tasks = new Map<string, FargateContainerTask>();
    if (steps.length === 0) return { tasks, substitutions: {}, statements: [] };
    const cluster = new PodCluster(scope, 'Ecs', {
      ...(props.vpc && { vpc: props.vpc }),
      ...(props.cluster && { cluster: props.cluster }),
      ...(props.subnets && { subnets: props.subnets }),
      ...(props.assignPublicIp !== undefined && { assignPublicIp: props.assignPublicIp }),
    });
    const logGroup = new logs.LogGroup(scope, 'ContainerLogs', {
      retention: logRetention,
      removalPolicy: logRemovalPolicy,
    });
    const substitutions: Record<string, string> = {
      [SUBSTITUTIONS.ecsCluster]: cluster.cluster.clusterArn,
      [SUBSTITUTIONS.ecsSubnets]: cluster.subnetIds.join(','),
      [SUBSTITUTIONS.ecsSecurityGroup]: cluster.securityGroup.securityGroupId,
      [SUBSTITUTIONS.ecsAssignPublicIp]: cluster.assignPublicIp ? 'ENABLED' : 'DISABLED',
    };
    for (const step of steps) {
      const { namespace, volumes } = workflow;
      const task = new FargateContainerTask(scope, `Task_${step.id}`, {
        step,
        namespace,
        volumes,
        logGroup,
        handoff: handoffOf(workflow, step),
        ...(volumeBucket && { volumeBucket }),
      });
      tasks.set(step.id, task);
      substitutions[SUBSTITUTIONS.taskDefinition(step)] = task.taskDefinition.taskDefinitionArn;
    }
    return { cluster, tasks, substitutions, statements: taskStatements(scope, steps, cluster, [...tasks.values()]) };
  },
};

/** What the Task states call (docs/design.md §3), on these resources only. */
function taskStatements(
  scope: Construct,
  steps: readonly Step[],
  cluster: PodCluster,
  tasks: readonly FargateContainerTask[],
): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const clusterArn = cluster.cluster.clusterArn;
  const taskArns = stack.formatArn({
    service: 'ecs',
    resource: 'task',
    resourceName: `${cluster.cluster.clusterName}/*`,
  });
  const taskDefinitions = tasks.map((t) => t.taskDefinition);
  const family = (td: ecs.TaskDefinition) =>
    stack.formatArn({ service: 'ecs', resource: 'task-definition', resourceName: `${td.family}:*` });
  const roles = (td: ecs.TaskDefinition) =>
    [td.taskRole, td.executionRole].flatMap((role) => (role ? [role.roleArn] : []));
  const statements = [
    new iam.PolicyStatement({
      sid: 'RunContainerTasks',
      actions: ['ecs:RunTask'],
      resources: taskDefinitions.map(family),
      conditions: { ArnEquals: { 'ecs:cluster': clusterArn } },
    }),
    // PropagateTags: TASK_DEFINITION tags the task as it is created.
    new iam.PolicyStatement({
      sid: 'TagContainerTasksOnRun',
      actions: ['ecs:TagResource'],
      resources: [taskArns],
      conditions: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
    }),
    new iam.PolicyStatement({
      sid: 'WatchAndStopContainerTasks',
      actions: ['ecs:DescribeTasks', 'ecs:StopTask'],
      resources: [taskArns],
    }),
    new iam.PolicyStatement({
      sid: 'PassContainerTaskRoles',
      actions: ['iam:PassRole'],
      resources: taskDefinitions.flatMap(roles),
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    }),
  ];
  // runTask.sync learns that a task stopped through an EventBridge rule Step Functions manages; a
  // sidecar's runTask does not wait.
  if (steps.some((s) => s.role !== 'sidecar')) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'EcsSyncEventRule',
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [
          stack.formatArn({
            service: 'events',
            resource: 'rule',
            resourceName: 'StepFunctionsGetEventsForECSTaskRule',
          }),
        ],
      }),
    );
  }
  return statements;
}
