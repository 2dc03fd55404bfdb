import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, ArnFormat, Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Step, Volume } from '../../model/workflow.js';
import { volumeHandoffStatements, type HandoffWays } from '../../aws/volume-bucket.js';
import { packageRoot } from '../../package-root.js';
import { configMapParameterName, referencesOf } from '../../model/references.js';

/**
 * The Lambda runner, bundled at build time (`npm run build`: scripts/bundle-runner.mjs) from
 * lambdas/container-runner, relative to the package root: `index.mjs`, export `handler`.
 */
export const RUNNER_BUNDLE_DIR = 'dist/runner';

export interface ContainerRunnerFunctionProps {
  /** The container this function runs. */
  readonly step: Step;
  /** The pod's namespace: where its ConfigMaps live in SSM (`/pod2sfn/<namespace>/configmaps/...`). */
  readonly namespace: string;
  /** The pod's volumes: the Secret and ConfigMap volumes the container mounts are read at run time. */
  readonly volumes?: readonly Volume[];
  /** The stack's bucket of emptyDir saves, when this container restores or saves one (docs/design.md §9). */
  readonly volumeBucket?: s3.IBucket;
  /** Whether it restores volumes, saves them, or both: what its role may do in the bucket. @default both */
  readonly handoff?: HandoffWays;
  /** The runner's code, with an `index.handler`. @default the runner bundle shipped in the pod2sfn package */
  readonly code?: lambda.Code;
  /** How long the function's logs are kept. @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to the log group when the stack is deleted. @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** X-Ray active tracing. @default false */
  readonly tracing?: boolean;
  /** The instruction set commands run on. @default x86_64, what most shell snippets and binaries expect */
  readonly architecture?: lambda.Architecture;
}

/**
 * One container on the `lambda` executor: `lambdas/container-runner` runs the container's command and
 * args in the Lambda's own runtime (not in the container image), with memory, /tmp and timeout from
 * the Workflow's LambdaSize. Its role may write its logs, read exactly the Secrets and ConfigMaps
 * the container references, at run time (no value is in the template), and restore and save the
 * emptyDirs it hands over. Volumes are directories under /tmp (docs/design.md §9).
 */
export class ContainerRunnerFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ContainerRunnerFunctionProps) {
    super(scope, id);
    const { step } = props;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `pod2sfn container runner for ${step.container.name}`,
    });
    this.logGroup.grantWrite(this.role);
    this.grantReferences(props);
    if (props.volumeBucket) {
      const ways = props.handoff ?? { restore: true, save: true };
      volumeHandoffStatements(props.volumeBucket, ways).forEach((st) => this.role.addToPolicy(st));
    }
    const kinds = new Map((props.volumes ?? []).map((v) => [v.name, v.kind]));
    step.container.mounts.forEach((mount, i) => {
      const kind = kinds.get(mount.volume);
      if (kind !== 'persistentVolumeClaim' && kind !== 'scratch') return;
      // The runner mounts it as an empty directory that lives as long as the invocation.
      Annotations.of(this).addWarningV2(
        `pod2sfn:lambda-volume-${i}`,
        `volume ${mount.volume} (${kind}) at ${mount.mountPath} is an empty directory on Lambda, kept for ` +
          `the invocation only`,
      );
    });

    this.function = new lambda.Function(this, 'Function', {
      code: props.code ?? runnerBundle(),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: props.architecture ?? lambda.Architecture.X86_64,
      description: `pod2sfn: runs container ${step.container.name}`,
      memorySize: step.lambda.memoryMiB,
      ephemeralStorageSize: Size.mebibytes(step.lambda.ephemeralStorageMiB),
      timeout: Duration.seconds(step.lambda.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
    });
  }

  private grantReferences(props: ContainerRunnerFunctionProps): void {
    const stack = Stack.of(this);
    const refs = referencesOf(props.step, props.volumes);
    if (refs.secrets.length > 0) {
      this.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ReadReferencedSecrets',
          actions: ['secretsmanager:GetSecretValue'],
          // Secrets Manager appends six random characters to a secret's name in its ARN.
          resources: refs.secrets.map((name) =>
            stack.formatArn({
              service: 'secretsmanager',
              resource: 'secret',
              resourceName: `${name}-??????`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ),
        }),
      );
    }
    const parameter = (name: string) =>
      stack.formatArn({
        service: 'ssm',
        resource: 'parameter',
        resourceName: name.slice(1),
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    const keys = refs.configMapKeys.map((k) => parameter(configMapParameterName(props.namespace, k.name, k.key)));
    // The runner reads a ConfigMap whole (GetParametersByPath), for a key reference too.
    const whole = [...new Set([...refs.configMaps, ...refs.configMapKeys.map((k) => k.name)])]
      .sort()
      .map((name) => configMapParameterName(props.namespace, name));
    if (keys.length > 0 || whole.length > 0) {
      this.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ReadReferencedConfigMaps',
          actions: ['ssm:GetParameter', 'ssm:GetParameters', ...(whole.length > 0 ? ['ssm:GetParametersByPath'] : [])],
          resources: [...keys, ...whole.flatMap((path) => [parameter(path), parameter(`${path}/*`)])],
        }),
      );
    }
  }
}

/** The prebuilt runner as an asset: no bundling at synth time, so no esbuild, Docker or lock file. */
function runnerBundle(): lambda.Code {
  const dir = join(packageRoot(), RUNNER_BUNDLE_DIR);
  if (!existsSync(join(dir, 'index.mjs')))
    throw new Error(`pod2sfn: the Lambda runner bundle ${dir}/index.mjs is missing: run npm run build`);
  return lambda.Code.fromAsset(dir);
}
