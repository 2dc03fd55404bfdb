import { handoffKey, type VolumeHandoff } from '../../model/handoff.js';
import type { Volume } from '../../model/workflow.js';

/**
 * The helper containers that restore and save a Fargate task's emptyDirs around the user's container
 * (docs/design.md §9.x ECS), so that its image runs unchanged. Pure: the ASL reads their names, the
 * task definition (./handoff-containers.ts) their images and scripts.
 *
 * Two public images, pinned by digest, because no single official image has both an S3 client and
 * tar: amazon/aws-cli is Amazon Linux with the CLI and no tar (aws/aws-cli#5106), busybox has tar,
 * gzip and du and no S3 client. Both are served by ECR Public, which a Fargate task pulls without
 * Docker Hub's anonymous rate limit.
 */
export const HELPER_IMAGES = {
  /** aws-cli v2 (`aws s3 cp`), linux/amd64 and arm64. */
  awsCli: 'public.ecr.aws/aws-cli/aws-cli@sha256:eb85b2c72442c9eab0bdbe608095b9b909bc2a7136924124d63fe0c03b2ec334',
  /** busybox 1.36.1 (tar, gzip, du, sh). */
  busybox:
    'public.ecr.aws/docker/library/busybox:1.36.1' +
    '@sha256:73aaf090f3d85aa34ee199857f03fa3a95c8ede2ffd4cc2cdb5b94e566b11662',
} as const;

/**
 * Container names hold `_`, which a Kubernetes container name never does, so a helper never takes
 * the name of the user's container. Order in the task: fetch → unpack → the user's container → pack → upload.
 */
export const HELPERS = {
  /** Downloads each restored volume's latest save (aws-cli). */
  fetch: 'pod2sfn_fetch',
  /** Extracts them into the volumes (busybox). */
  unpack: 'pod2sfn_unpack',
  /** Checks each saved volume against its sizeLimit and archives it (busybox). */
  pack: 'pod2sfn_pack',
  /** Uploads the archives (aws-cli). */
  upload: 'pod2sfn_upload',
} as const;

export type HelperName = (typeof HELPERS)[keyof typeof HELPERS];

/** Writes the ConfigMap and Secret volumes as files before the user's container (busybox; ./config-files.ts). */
export const CONFIG_HELPER = 'pod2sfn_config';

/** Whether a stopped task's container is one of the helpers, not the user's. */
export function isHelper(containerName: unknown): boolean {
  return containerName === CONFIG_HELPER || (Object.values(HELPERS) as unknown[]).includes(containerName);
}

/** The environment variable RunTask's overrides give the S3 helpers: the key's execution part. */
export const EXECUTION_ENV = 'POD2SFN_EXECUTION';
/** The environment variable of the bucket's name, in the task definition. */
export const BUCKET_ENV = 'POD2SFN_VOLUME_BUCKET';
/** Where the helpers see each volume (`<root>/<volume>`) and the archives. */
export const VOLUMES_ROOT = '/pod2sfn/volumes';
export const ARCHIVES = '/pod2sfn/archives';
/** The task volume of the archives, shared by the four helpers only. */
export const ARCHIVES_VOLUME = 'pod2sfn_archives';
/** The first exit code of `pack` for a volume over its sizeLimit: 10 + the volume's index in `save`. */
export const OVER_SIZE_LIMIT_EXIT = 10;

/** The helpers that talk to S3 (the AWS CLI image); the others run tar (busybox). */
export const usesS3 = (name: HelperName) => name === HELPERS.fetch || name === HELPERS.upload;

/** The helpers a container's task carries for its handoff, in task order. */
export interface Helpers {
  readonly restore: HelperName[];
  readonly save: HelperName[];
}

export function helpersOf(handoff: VolumeHandoff): Helpers {
  return {
    restore: handoff.restore.length > 0 ? [HELPERS.fetch, HELPERS.unpack] : [],
    save: handoff.save.length > 0 ? [HELPERS.pack, HELPERS.upload] : [],
  };
}

const RESTORED_MARK = `${ARCHIVES}/.restored`;
const archive = (volume: string) => `${ARCHIVES}/${volume}.tar.gz`;
const object = (volume: string) => `"s3://$${BUCKET_ENV}/${handoffKey(`$${EXECUTION_ENV}`, volume)}"`;

/**
 * What each helper runs with `sh -c`. Volume names are DNS labels (lib/manifest), so they need no
 * quoting. A volume with no save yet (the first attempt of a restarting init container) restores
 * empty: with s3:ListBucket on the prefix, S3 answers such a key 404, not 403.
 */
export function helperScripts(handoff: VolumeHandoff, volumes: readonly Volume[]): Record<HelperName, string> {
  const limitOf = new Map(volumes.map((v) => [v.name, v.sizeLimitBytes]));
  const fetch = handoff.restore.map(
    (v) =>
      `if ! out=$(aws s3 cp --only-show-errors ${object(v)} ${archive(v)} 2>&1); then ` +
      `case "$out" in *"(404)"*|*NoSuchKey*) echo "${v}: no save yet, restored empty";; ` +
      `*) echo "${v}: $out" >&2; exit 1;; esac; fi`,
  );
  const unpack = handoff.restore.map(
    (v) => `if [ -f ${archive(v)} ]; then tar xzf ${archive(v)} -C ${VOLUMES_ROOT}/${v} || exit 1; fi`,
  );
  // A save after a failed restore would replace the latest save with a partial volume: skip it.
  const pack = [...(handoff.restore.length > 0 ? [`[ -e ${RESTORED_MARK} ] || exit 0`] : [])];
  handoff.save.forEach((v, i) => {
    const limit = limitOf.get(v);
    if (limit !== undefined)
      pack.push(
        `used=$(( $(du -sk ${VOLUMES_ROOT}/${v} | cut -f1) * 1024 )); if [ "$used" -gt ${limit} ]; then ` +
          `echo "emptyDir ${v}: $used bytes used, over its sizeLimit of ${limit} bytes" >&2; ` +
          `exit ${OVER_SIZE_LIMIT_EXIT + i}; fi`,
      );
    pack.push(`tar czf ${archive(v)} -C ${VOLUMES_ROOT}/${v} . || exit 1`);
  });
  const upload = handoff.save.map(
    (v) => `if [ -f ${archive(v)} ]; then aws s3 cp --only-show-errors ${archive(v)} ${object(v)} || exit 1; fi`,
  );
  return {
    [HELPERS.fetch]: ['set -u', ...fetch].join('\n'),
    [HELPERS.unpack]: ['set -u', ...unpack, `touch ${RESTORED_MARK}`].join('\n'),
    [HELPERS.pack]: ['set -u', ...pack].join('\n'),
    [HELPERS.upload]: ['set -u', ...upload].join('\n'),
  };
}
