import { Annotations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Step, Volume } from '../../model/workflow.js';
import { expand, expandCommand } from '../../runner/index.js';
import { movesVolumes, type VolumeHandoff } from '../../model/handoff.js';
import { addConfigContainer } from './config-volumes.js';
import { addHandoffContainers } from './handoff-containers.js';
import { ValueReferences } from './value-references.js';

/** What a Fargate task of pod2sfn mounts: task volumes on its ephemeral storage (docs/design.md §9.x ECS). */
const MOUNTED_KINDS: ReadonlySet<Volume['kind']> = new Set(['emptyDir', 'scratch', 'configMap', 'secret']);

export interface FargateContainerTaskProps {
  /** The container this task definition runs. */
  readonly step: Step;
  /** The pod's namespace: where its ConfigMaps live in SSM. */
  readonly namespace: string;
  /** The pod's volumes. */
  readonly volumes: readonly Volume[];
  /** Where the container's stdout and stderr go (stream prefix: the step id). */
  readonly logGroup: logs.ILogGroup;
  /** The emptyDirs restored before the container and saved after it (lib/model/handoff.ts). @default none */
  readonly handoff?: VolumeHandoff;
  /** The bucket of those saves: required when `handoff` restores or saves a volume. */
  readonly volumeBucket?: s3.IBucket;
  /** The CPU architecture of the image. @default X86_64 */
  readonly cpuArchitecture?: ecs.CpuArchitecture;
}

/**
 * One container on the `ecs` executor: a Fargate task definition holding that container alone, the
 * real image with Kubernetes' command → ECS entryPoint and args → ECS command (both replace the
 * image's ENTRYPOINT and CMD the same way), cpu and memory from the Workflow's FargateSize, logs to
 * CloudWatch. `secretKeyRef` and `configMapKeyRef` become ECS `secrets` that the ECS agent resolves
 * when the task starts: the template holds their ARNs, never their values. So do the keys of the
 * ConfigMap and Secret volumes it mounts, which a helper writes as files before it starts.
 */
export class FargateContainerTask extends Construct {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;

  constructor(scope: Construct, id: string, props: FargateContainerTaskProps) {
    super(scope, id);
    const { step } = props;
    const c = step.container;
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: step.fargate.cpu,
      memoryLimitMiB: step.fargate.memoryMiB,
      // Fargate gives 20 GiB unless asked for 21–200.
      ...(step.fargate.ephemeralStorageGiB > 20 && { ephemeralStorageGiB: step.fargate.ephemeralStorageGiB }),
      runtimePlatform: {
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
        cpuArchitecture: props.cpuArchitecture ?? ecs.CpuArchitecture.X86_64,
      },
    });

    const environment: Record<string, string> = {};
    const secrets: Record<string, ecs.Secret> = {};
    const references = new ValueReferences(this, props.namespace);
    for (const env of c.env) {
      // Kubernetes expands $(VAR) from earlier variables; ECS does not, so the known values are expanded here.
      if ('value' in env)
        environment[env.name] = expand(env.value, (name) =>
          Object.hasOwn(environment, name) ? environment[name] : undefined,
        );
      else if ('secretKeyRef' in env)
        secrets[env.name] = references.secretKey(env.secretKeyRef.name, env.secretKeyRef.key);
      else if ('configMapKeyRef' in env)
        secrets[env.name] = references.configMapKey(env.configMapKeyRef.name, env.configMapKeyRef.key);
      else
        this.warn(
          'runtimeField',
          `env ${env.name}: ${env.runtimeField} is not known to a Fargate task definition; the variable is left unset`,
        );
    }
    for (const from of c.envFrom) {
      this.warn(
        'envFrom',
        `envFrom ${from.kind} ${from.name}: ECS needs one entry per key; name each ` +
          `variable with valueFrom instead (the lambda executor reads every key)`,
      );
    }
    // $(VAR) of a secret stays as written: its value is known only when the task starts.
    const { command, args } = expandCommand(c, environment);
    this.container = this.taskDefinition.addContainer('Container', {
      containerName: c.name,
      image: ecs.ContainerImage.fromRegistry(c.image),
      ...(command.length > 0 && { entryPoint: [...command] }),
      ...(args.length > 0 && { command: [...args] }),
      ...(c.workingDir !== undefined && { workingDirectory: c.workingDir }),
      environment,
      secrets,
      // With a save, the save helpers run after this container exits, and the last of them ends the task.
      essential: !(props.handoff && props.handoff.save.length > 0),
      logging: ecs.LogDrivers.awsLogs({ logGroup: props.logGroup, streamPrefix: step.id }),
    });
    const mounted = new Map(props.volumes.map((v) => [v.name, v]));
    const added = new Map<string, Volume>();
    for (const mount of c.mounts) {
      const volume = mounted.get(mount.volume);
      if (!volume || !MOUNTED_KINDS.has(volume.kind)) {
        this.warn(
          'volume',
          `volume ${mount.volume} (${volume?.kind ?? 'unknown'}) is not mounted: a Fargate task of pod2sfn ` +
            `mounts emptyDir, ConfigMap and Secret volumes only`,
        );
        continue;
      }
      // Without items the keys are known only at run time: validate warned that it is not mounted.
      if ((volume.kind === 'configMap' || volume.kind === 'secret') && !volume.items) continue;
      if (mount.subPath !== undefined)
        this.warn(
          'subPath',
          `volume ${mount.volume}: ECS mounts a whole volume, so subPath ${mount.subPath} is not honoured`,
        );
      if (!added.has(mount.volume)) this.taskDefinition.addVolume({ name: mount.volume });
      added.set(mount.volume, volume);
      this.container.addMountPoints({
        sourceVolume: mount.volume,
        containerPath: mount.mountPath,
        readOnly: mount.readOnly,
      });
    }
    const configVolumes = [...added.values()].filter((v) => v.kind === 'configMap' || v.kind === 'secret');
    if (configVolumes.length > 0) {
      addConfigContainer({
        taskDefinition: this.taskDefinition,
        container: this.container,
        volumes: configVolumes,
        references,
        logGroup: props.logGroup,
        streamPrefix: step.id,
      });
    }
    const { handoff, volumeBucket } = props;
    if (handoff && movesVolumes(handoff)) {
      if (!volumeBucket) throw new Error(`container ${c.name}: its emptyDir handoff needs the stack's volume bucket`);
      addHandoffContainers({
        taskDefinition: this.taskDefinition,
        container: this.container,
        handoff,
        volumes: props.volumes,
        bucket: volumeBucket,
        logGroup: props.logGroup,
        streamPrefix: step.id,
      });
    }
  }

  private warnings = 0;

  private warn(what: string, message: string): void {
    Annotations.of(this).addWarningV2(`pod2sfn:ecs-${what}-${this.warnings++}`, message);
  }
}
