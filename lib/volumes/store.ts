import type { S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { endpointOf, type Env } from '../endpoints.js';

/** Where volume saves live: the stack's bucket on AWS (docs/design.md §9). */
export interface VolumeStore {
  /** The latest save under `key`; undefined when there is none yet. */
  get(key: string): Promise<Readable | undefined>;
  /** Replaces the save under `key` with `body`, streamed (its length is not known up front). */
  put(key: string, body: Readable): Promise<void>;
}

/** An S3 bucket as a VolumeStore. Uploads go in parts as they are packed: no copy on the local disk. */
export function s3Store(client: S3Client, bucket: string): VolumeStore {
  return s3StoreOn(async () => client, bucket);
}

/**
 * The AWS SDK is imported when a volume is first got or put, not with this module: a container runner
 * that hands no volume over never loads it (the bundled runner's cold start: ~170 ms of SDK clients here).
 * A dynamic import stays one in the runner's bundle; a static one is loaded with it.
 */
function s3StoreOn(connect: () => Promise<S3Client>, bucket: string): VolumeStore {
  return {
    async get(key) {
      const [client, { GetObjectCommand, NoSuchKey }] = await Promise.all([connect(), import('@aws-sdk/client-s3')]);
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return object.Body as Readable;
      } catch (e) {
        if (e instanceof NoSuchKey || (e as Error).name === 'NoSuchKey') return undefined;
        throw e;
      }
    },
    async put(key, body) {
      const [client, { Upload }] = await Promise.all([connect(), import('@aws-sdk/lib-storage')]);
      await new Upload({
        client,
        params: { Bucket: bucket, Key: key, Body: body, ContentType: 'application/gzip' },
      }).done();
    },
  };
}

/**
 * A VolumeStore per bucket, on one S3 client made when first needed. `AWS_ENDPOINT_URL_S3` or
 * `AWS_ENDPOINT_URL` (LocalStack) is used with path-style addresses, which any endpoint serves.
 */
export function s3Stores(env: Env): (bucket: string) => VolumeStore {
  const at = endpointOf(env, 'S3');
  let client: Promise<S3Client> | undefined;
  const connect = () =>
    (client ??= import('@aws-sdk/client-s3').then(
      ({ S3Client }) => new S3Client(at.endpoint ? { ...at, forcePathStyle: true } : {}),
    ));
  return (bucket) => s3StoreOn(connect, bucket);
}
