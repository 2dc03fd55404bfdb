import { Annotations, RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { placeholdersIn, SUBSTITUTIONS } from '../asl/substitutions.js';
import { emit } from '../asl/emit.js';
import { compile, definitionJson, type Compiled } from '../compile.js';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../diagnostics.js';
import { DEPLOYERS } from '../executors/aws.js';
import type { AwsResources } from '../executors/contract.js';
import type { EcsDeployProps } from '../executors/ecs/aws.js';
import type { FargateContainerTask } from '../executors/ecs/fargate-container-task.js';
import type { PodCluster } from '../executors/ecs/pod-cluster.js';
import type { LambdaDeployProps } from '../executors/lambda/aws.js';
import type { ContainerRunnerFunction } from '../executors/lambda/container-runner-function.js';
import { EXECUTORS } from '../model/executor.js';
import { handsOffVolumes } from '../model/handoff.js';
import { plan } from '../model/plan.js';
import { allSteps, type Executor } from '../model/workflow.js';
import type { LoadedPod } from '../manifest/index.js';
import { stateMachineNameOf } from './names.js';
import { VolumeBucket } from './volume-bucket.js';

export interface PodStateMachineProps extends LambdaDeployProps, EcsDeployProps {
  /** The spec text (YAML or JSON: Pod, Job, CronJob, workload). Give this, `pod` or `compiled`. */
  readonly spec?: string;
  /** A pod already parsed by lib/spec. */
  readonly pod?: LoadedPod;
  /** A pod already compiled by lib/compile (its definition is deployed as is). */
  readonly compiled?: Compiled;
  /** Which object of a multi-document `spec` (its metadata.name). @default the only pod-bearing object */
  readonly name?: string;
  /**
   * The executor of containers without a `pod2sfn.dev/executor` annotation.
   * @default lambda, or ecs when a container does not fit a Lambda
   */
  readonly executor?: Executor;
  /** X-Ray tracing of the state machine and the runner functions. @default false */
  readonly tracing?: boolean;
  /** Execution inputs and outputs in the state machine's logs. @default false */
  readonly includeExecutionData?: boolean;
  /** How long every log group keeps its logs. @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to the log groups when the stack is deleted. @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** What happens to the bucket of emptyDir saves when the stack is deleted. @default RemovalPolicy.DESTROY */
  readonly volumeRemovalPolicy?: RemovalPolicy;
  /** The state machine's name. @default pod2sfn-<namespace>-<name> */
  readonly stateMachineName?: string;
}

/**
 * A pod as a STANDARD Step Functions state machine. The definition is the one `lib/asl` emits, deployed
 * unchanged (`DefinitionBody.fromString`); the `${Placeholders}` in it are filled by
 * definitionSubstitutions with what each executor deploys (DEPLOYERS, lib/executors/<executor>/aws.ts):
 * a runner function (`lambda`), a Fargate task definition on a cluster (`ecs`), an Activity
 * (`activity`). The state machine's role gets what its Task states call, and nothing else.
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
  /** Present when a container saves an emptyDir for a later one (docs/design.md §9). */
  readonly volumeBucket?: s3.Bucket;
  /** What `pod2sfn agent` needs on that bucket, when an activity container hands a volume over. */
  readonly agentPolicy?: iam.ManagedPolicy;
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
    const { tracing } = props;
    if (handsOffVolumes(workflow)) {
      const removal = props.volumeRemovalPolicy ?? RemovalPolicy.DESTROY;
      this.volumeBucket = new VolumeBucket(this, 'Volumes', { removalPolicy: removal }).bucket;
    }
    const { volumeBucket } = this;
    const context = {
      workflow,
      logRetention: retention,
      logRemovalPolicy: removalPolicy,
      tracing,
      props,
      ...(volumeBucket && { volumeBucket }),
    };
    const on = (executor: Executor) => steps.filter((s) => s.executor === executor);
    const deployed = {
      ecs: DEPLOYERS.ecs.deploy(this, on('ecs'), context),
      lambda: DEPLOYERS.lambda.deploy(this, on('lambda'), context),
      activity: DEPLOYERS.activity.deploy(this, on('activity'), context),
    } satisfies Record<Executor, AwsResources>;
    this.functions = deployed.lambda.functions;
    this.tasks = deployed.ecs.tasks;
    if (deployed.ecs.cluster) this.cluster = deployed.ecs.cluster;
    this.activities = deployed.activity.activities;
    if (deployed.activity.agentPolicy) this.agentPolicy = deployed.activity.agentPolicy;
    const subs: Record<string, string> = Object.assign({}, ...EXECUTORS.map((e) => deployed[e].substitutions));
    if (volumeBucket) subs[SUBSTITUTIONS.volumeBucket] = volumeBucket.bucketName;

    this.definitionString = definitionJson(compiled);
    const wanted = placeholdersIn(this.definitionString);
    const missing = wanted.filter((key) => subs[key] === undefined);
    if (missing.length > 0)
      throw new Error(`pod2sfn: no value for the definition's placeholders ${missing.join(', ')}`);
    this.definitionSubstitutions = Object.fromEntries(wanted.map((key) => [key, subs[key]!]));

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention, removalPolicy });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName ?? stateMachineNameOf(workflow.namespace, workflow.name),
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(this.definitionString),
      definitionSubstitutions: { ...this.definitionSubstitutions },
      logs: {
        destination: this.logGroup,
        level: sfn.LogLevel.ALL,
        includeExecutionData: props.includeExecutionData ?? false,
      },
      tracingEnabled: props.tracing ?? false,
    });
    // What each executor's Task states call (docs/design.md §3), on its resources only.
    for (const statement of EXECUTORS.flatMap((e) => deployed[e].statements)) {
      this.stateMachine.addToRolePolicy(statement);
    }
  }
}

function compileProps(props: PodStateMachineProps): { compiled: Compiled; diagnostics: readonly Diagnostic[] } {
  const given = [props.spec, props.pod, props.compiled].filter((v) => v !== undefined).length;
  if (given !== 1) throw new Error('PodStateMachine: give exactly one of spec, pod or compiled');
  if (props.compiled) return { compiled: props.compiled, diagnostics: [] };
  const options = {
    ...(props.executor && { executor: props.executor }),
    ...(props.name !== undefined && { name: props.name }),
  };
  if (props.pod) {
    const planned = plan(props.pod, options);
    if (!planned.workflow || hasErrors(planned.diagnostics)) throw diagnosticsError(planned.diagnostics);
    return {
      compiled: { pod: props.pod, workflow: planned.workflow, ...emit(planned.workflow) },
      diagnostics: planned.diagnostics,
    };
  }
  const result = compile(props.spec!, options);
  if (!result.compiled) throw diagnosticsError(result.diagnostics);
  return { compiled: result.compiled, diagnostics: result.diagnostics };
}

function diagnosticsError(diagnostics: readonly Diagnostic[]): Error {
  return new Error(
    `pod2sfn: the spec does not compile:\n${diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => `  ${formatDiagnostic(d)}`)
      .join('\n')}`,
  );
}
