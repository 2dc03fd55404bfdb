import { Annotations, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { SUBSTITUTIONS, placeholdersIn } from '../asl/substitutions.js';
import { emit } from '../asl/emit.js';
import { compile, definitionJson, type Compiled } from '../compile.js';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../diagnostics.js';
import { plan } from '../model/plan.js';
import { allSteps, type Executor, type Step } from '../model/workflow.js';
import type { LoadedPod } from '../manifest/index.js';
import { ContainerRunnerFunction } from './container-runner-function.js';
import { FargateContainerTask } from './fargate-container-task.js';
import { stateMachineNameOf } from './names.js';
import { PodCluster } from './pod-cluster.js';

export interface PodStateMachineProps {
  /** The spec text (YAML or JSON: Pod, Job, CronJob, workload). Give this, `pod` or `compiled`. */
  readonly spec?: string;
  /** A pod already parsed by lib/spec. */
  readonly pod?: LoadedPod;
  /** A pod already compiled by lib/compile (its definition is deployed as is). */
  readonly compiled?: Compiled;
  /** Which object of a multi-document `spec` (its metadata.name). @default the only pod-bearing object */
  readonly name?: string;
  /** The executor of containers without a `pod2sfn.dev/executor` annotation. @default lambda, or ecs when a container does not fit a Lambda */
  readonly executor?: Executor;
  /** The VPC of ECS tasks. @default see PodCluster: a new VPC with public subnets and no NAT gateway */
  readonly vpc?: ec2.IVpc;
  /** The ECS cluster. @default a new cluster, created only when a container runs on ECS */
  readonly cluster?: ecs.ICluster;
  /** The subnets of ECS tasks. @default the VPC's default selection */
  readonly subnets?: ec2.SubnetSelection;
  /** Public IPs for ECS tasks. @default true when the subnets are public */
  readonly assignPublicIp?: boolean;
  /** X-Ray tracing of the state machine and the runner functions. @default false */
  readonly tracing?: boolean;
  /** Execution inputs and outputs in the state machine's logs. @default false */
  readonly includeExecutionData?: boolean;
  /** How long every log group keeps its logs. @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to the log groups when the stack is deleted. @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** The state machine's name. @default pod2sfn-<namespace>-<name> */
  readonly stateMachineName?: string;
  /** The Lambda runner's code (an `index.handler`). @default the runner bundle shipped in the pod2sfn package */
  readonly runnerCode?: lambda.Code;
}

/**
 * A pod as a STANDARD Step Functions state machine. The definition is the one `lib/asl` emits, deployed
 * unchanged (`DefinitionBody.fromString`); the `${Placeholders}` in it are filled by
 * definitionSubstitutions with what this construct creates per executor: a runner function
 * (`lambda`), a Fargate task definition on a cluster (`ecs`), an Activity (`activity`). The state
 * machine's role gets what its Task states call, and nothing else.
 */
export class PodStateMachine extends Construct {
  readonly compiled: Compiled;
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  /** The definition as deployed, before substitution. */
  readonly definitionString: string;
  /** Placeholder → value (a token), exactly the placeholders of the definition. */
  readonly definitionSubstitutions: Readonly<Record<string, string>>;
  readonly functions: ReadonlyMap<string, ContainerRunnerFunction>;
  readonly tasks: ReadonlyMap<string, FargateContainerTask>;
  readonly activities: ReadonlyMap<string, sfn.Activity>;
  /** Present when a container runs on ECS. */
  readonly cluster?: PodCluster;
  readonly warnings: readonly Diagnostic[];

  constructor(scope: Construct, id: string, props: PodStateMachineProps) {
    super(scope, id);
    const { compiled, diagnostics } = compileProps(props);
    this.compiled = compiled;
    this.warnings = diagnostics.filter((d) => d.severity !== 'error');
    this.warnings.forEach((w, i) => Annotations.of(this).addWarningV2(`pod2sfn:spec-${i}`, formatDiagnostic(w)));

    const { workflow } = compiled;
    const steps = allSteps(workflow);
    const retention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const removalPolicy = props.logRemovalPolicy ?? RemovalPolicy.DESTROY;
    const subs: Record<string, string> = {};

    const functions = new Map<string, ContainerRunnerFunction>();
    const tasks = new Map<string, FargateContainerTask>();
    const activities = new Map<string, sfn.Activity>();
    const ecsSteps = steps.filter((s) => s.executor === 'ecs');
    if (ecsSteps.length > 0) {
      this.cluster = new PodCluster(this, 'Ecs', {
        ...(props.vpc && { vpc: props.vpc }),
        ...(props.cluster && { cluster: props.cluster }),
        ...(props.subnets && { subnets: props.subnets }),
        ...(props.assignPublicIp !== undefined && { assignPublicIp: props.assignPublicIp }),
      });
      const containerLogs = new logs.LogGroup(this, 'ContainerLogs', { retention, removalPolicy });
      subs[SUBSTITUTIONS.ecsCluster] = this.cluster.cluster.clusterArn;
      subs[SUBSTITUTIONS.ecsSubnets] = this.cluster.subnetIds.join(',');
      subs[SUBSTITUTIONS.ecsSecurityGroup] = this.cluster.securityGroup.securityGroupId;
      subs[SUBSTITUTIONS.ecsAssignPublicIp] = this.cluster.assignPublicIp ? 'ENABLED' : 'DISABLED';
      for (const step of ecsSteps) {
        const task = new FargateContainerTask(this, `Task_${step.id}`, { step, namespace: workflow.namespace, volumes: workflow.volumes, logGroup: containerLogs });
        tasks.set(step.id, task);
        subs[SUBSTITUTIONS.taskDefinition(step)] = task.taskDefinition.taskDefinitionArn;
      }
    }
    for (const step of steps) {
      if (step.executor === 'lambda') {
        const fn = new ContainerRunnerFunction(this, `Runner_${step.id}`, {
          step,
          namespace: workflow.namespace,
          logRetention: retention,
          logRemovalPolicy: removalPolicy,
          ...(props.tracing !== undefined && { tracing: props.tracing }),
          ...(props.runnerCode !== undefined && { code: props.runnerCode }),
        });
        functions.set(step.id, fn);
        subs[SUBSTITUTIONS.lambdaFunction(step)] = fn.function.functionArn;
      } else if (step.executor === 'activity') {
        const activity = new sfn.Activity(this, `Activity_${step.id}`);
        activities.set(step.id, activity);
        subs[SUBSTITUTIONS.activity(step)] = activity.activityArn;
      }
    }
    this.functions = functions;
    this.tasks = tasks;
    this.activities = activities;

    this.definitionString = definitionJson(compiled);
    const wanted = placeholdersIn(this.definitionString);
    const missing = wanted.filter((key) => subs[key] === undefined);
    if (missing.length > 0) throw new Error(`pod2sfn: no value for the definition's placeholders ${missing.join(', ')}`);
    this.definitionSubstitutions = Object.fromEntries(wanted.map((key) => [key, subs[key]!]));

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention, removalPolicy });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName ?? stateMachineNameOf(workflow.namespace, workflow.name),
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(this.definitionString),
      definitionSubstitutions: { ...this.definitionSubstitutions },
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: props.includeExecutionData ?? false },
      tracingEnabled: props.tracing ?? false,
    });
    for (const statement of this.taskStatements(steps)) this.stateMachine.addToRolePolicy(statement);
  }

  /** What the Task states call (docs/design.md §3), on these resources only. Activities need nothing. */
  private taskStatements(steps: readonly Step[]): iam.PolicyStatement[] {
    const stack = Stack.of(this);
    const statements: iam.PolicyStatement[] = [];
    if (this.functions.size > 0) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'InvokeContainerRunners',
          actions: ['lambda:InvokeFunction'],
          resources: [...this.functions.values()].map((f) => f.function.functionArn),
        }),
      );
    }
    if (this.cluster && this.tasks.size > 0) {
      const clusterArn = this.cluster.cluster.clusterArn;
      const taskArns = stack.formatArn({ service: 'ecs', resource: 'task', resourceName: `${this.cluster.cluster.clusterName}/*` });
      const taskDefinitions = [...this.tasks.values()].map((t) => t.taskDefinition);
      statements.push(
        new iam.PolicyStatement({
          sid: 'RunContainerTasks',
          actions: ['ecs:RunTask'],
          resources: taskDefinitions.map((td) => stack.formatArn({ service: 'ecs', resource: 'task-definition', resourceName: `${td.family}:*` })),
          conditions: { ArnEquals: { 'ecs:cluster': clusterArn } },
        }),
        // PropagateTags: TASK_DEFINITION tags the task as it is created.
        new iam.PolicyStatement({
          sid: 'TagContainerTasksOnRun',
          actions: ['ecs:TagResource'],
          resources: [taskArns],
          conditions: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
        }),
        new iam.PolicyStatement({ sid: 'WatchAndStopContainerTasks', actions: ['ecs:DescribeTasks', 'ecs:StopTask'], resources: [taskArns] }),
        new iam.PolicyStatement({
          sid: 'PassContainerTaskRoles',
          actions: ['iam:PassRole'],
          resources: taskDefinitions.flatMap((td) => [td.taskRole.roleArn, ...(td.executionRole ? [td.executionRole.roleArn] : [])]),
          conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        }),
      );
      if (steps.some((s) => s.executor === 'ecs' && s.role !== 'sidecar')) {
        statements.push(
          new iam.PolicyStatement({
            sid: 'EcsSyncEventRule',
            actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
            resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: 'StepFunctionsGetEventsForECSTaskRule' })],
          }),
        );
      }
    }
    return statements;
  }
}

function compileProps(props: PodStateMachineProps): { compiled: Compiled; diagnostics: readonly Diagnostic[] } {
  const given = [props.spec, props.pod, props.compiled].filter((v) => v !== undefined).length;
  if (given !== 1) throw new Error('PodStateMachine: give exactly one of spec, pod or compiled');
  if (props.compiled) return { compiled: props.compiled, diagnostics: [] };
  const options = { ...(props.executor && { executor: props.executor }), ...(props.name !== undefined && { name: props.name }) };
  if (props.pod) {
    const planned = plan(props.pod, options);
    if (!planned.workflow || hasErrors(planned.diagnostics)) throw diagnosticsError(planned.diagnostics);
    return { compiled: { pod: props.pod, workflow: planned.workflow, ...emit(planned.workflow) }, diagnostics: planned.diagnostics };
  }
  const result = compile(props.spec!, options);
  if (!result.compiled) throw diagnosticsError(result.diagnostics);
  return { compiled: result.compiled, diagnostics: result.diagnostics };
}

function diagnosticsError(diagnostics: readonly Diagnostic[]): Error {
  return new Error(`pod2sfn: the spec does not compile:\n${diagnostics.filter((d) => d.severity === 'error').map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`);
}
