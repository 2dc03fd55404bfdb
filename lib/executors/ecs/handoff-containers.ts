import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { handoffWays, volumeHandoffStatements } from '../../aws/volume-bucket.js';
import type { VolumeHandoff } from '../../model/handoff.js';
import type { Volume } from '../../model/workflow.js';
import {
  ARCHIVES,
  ARCHIVES_VOLUME,
  BUCKET_ENV,
  HELPERS,
  HELPER_IMAGES,
  type HelperName,
  VOLUMES_ROOT,
  helperScripts,
  helpersOf,
  usesS3,
} from './handoff-helpers.js';

export interface HandoffContainersProps {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The user's container, which mounts the volumes at its own mountPaths. */
  readonly container: ecs.ContainerDefinition;
  readonly handoff: VolumeHandoff;
  readonly volumes: readonly Volume[];
  readonly bucket: s3.IBucket;
  readonly logGroup: logs.ILogGroup;
  /** The log stream prefix of the task (the step id). */
  readonly streamPrefix: string;
}

/**
 * Adds the restore and save helpers around the user's container (docs/design.md §9.x ECS): fetch →
 * unpack → container → pack → upload, ordered with dependsOn. The user's container waits for unpack
 * to exit 0; pack starts once it has exited, whatever its code. With a save, upload is the task's one
 * essential container (it ends the task); without, the user's container is. The task volumes live on
 * the task's ephemeral storage, shared by every container that mounts them.
 */
export function addHandoffContainers(props: HandoffContainersProps): void {
  const { taskDefinition, container, handoff, bucket } = props;
  const helpers = helpersOf(handoff);
  const scripts = helperScripts(handoff, props.volumes);
  taskDefinition.addVolume({ name: ARCHIVES_VOLUME });
  const add = (name: HelperName, volumes: readonly string[], essential: boolean) => {
    const image = usesS3(name) ? HELPER_IMAGES.awsCli : HELPER_IMAGES.busybox;
    const helper = taskDefinition.addContainer(name, {
      containerName: name,
      image: ecs.ContainerImage.fromRegistry(image),
      entryPoint: ['sh', '-c'],
      command: [scripts[name]],
      environment: { [BUCKET_ENV]: bucket.bucketName },
      essential,
      logging: ecs.LogDrivers.awsLogs({ logGroup: props.logGroup, streamPrefix: props.streamPrefix }),
    });
    helper.addMountPoints(
      { sourceVolume: ARCHIVES_VOLUME, containerPath: ARCHIVES, readOnly: false },
      ...volumes.map((v) => ({ sourceVolume: v, containerPath: `${VOLUMES_ROOT}/${v}`, readOnly: false })),
    );
    return helper;
  };
  if (helpers.restore.length > 0) {
    const fetch = add(HELPERS.fetch, [], false);
    const unpack = add(HELPERS.unpack, handoff.restore, false);
    unpack.addContainerDependencies({ container: fetch, condition: ecs.ContainerDependencyCondition.SUCCESS });
    container.addContainerDependencies({ container: unpack, condition: ecs.ContainerDependencyCondition.SUCCESS });
  }
  if (helpers.save.length > 0) {
    const pack = add(HELPERS.pack, handoff.save, false);
    const upload = add(HELPERS.upload, [], true);
    pack.addContainerDependencies({ container, condition: ecs.ContainerDependencyCondition.COMPLETE });
    upload.addContainerDependencies({ container: pack, condition: ecs.ContainerDependencyCondition.SUCCESS });
  }
  const grants = volumeHandoffStatements(bucket, handoffWays([handoff]));
  grants.forEach((st) => taskDefinition.taskRole.addToPrincipalPolicy(st));
}
