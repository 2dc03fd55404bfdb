import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Volume } from '../../model/workflow.js';
import { configFilesOf } from './config-files.js';
import { CONFIG_HELPER, HELPER_IMAGES, VOLUMES_ROOT } from './handoff-helpers.js';
import type { ValueReferences } from './value-references.js';

export interface ConfigContainerProps {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The user's container, which mounts the volumes at its own mountPaths. */
  readonly container: ecs.ContainerDefinition;
  /** The ConfigMap and Secret volumes it mounts, each a task volume already. */
  readonly volumes: readonly Volume[];
  readonly references: ValueReferences;
  readonly logGroup: logs.ILogGroup;
  /** The log stream prefix of the task (the step id). */
  readonly streamPrefix: string;
}

/**
 * Adds the helper that writes the container's ConfigMap and Secret volumes as files (./config-files.ts)
 * before the container starts: the container waits for it to exit 0. A key ECS cannot read stops the
 * task before any container runs (docs/design.md §9.x ECS).
 */
export function addConfigContainer(props: ConfigContainerProps): void {
  const { values, script } = configFilesOf(props.volumes);
  const { references } = props;
  const helper = props.taskDefinition.addContainer(CONFIG_HELPER, {
    containerName: CONFIG_HELPER,
    image: ecs.ContainerImage.fromRegistry(HELPER_IMAGES.busybox),
    entryPoint: ['sh', '-c'],
    command: [script],
    secrets: Object.fromEntries(
      values.map((v) => [
        v.env,
        v.kind === 'secret' ? references.secretKey(v.source, v.key) : references.configMapKey(v.source, v.key),
      ]),
    ),
    essential: false,
    logging: ecs.LogDrivers.awsLogs({ logGroup: props.logGroup, streamPrefix: props.streamPrefix }),
  });
  helper.addMountPoints(
    ...props.volumes.map((v) => ({
      sourceVolume: v.name,
      containerPath: `${VOLUMES_ROOT}/${v.name}`,
      readOnly: false,
    })),
  );
  props.container.addContainerDependencies({ container: helper, condition: ecs.ContainerDependencyCondition.SUCCESS });
}
