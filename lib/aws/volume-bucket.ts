import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { VOLUME_PREFIX, type VolumeHandoff } from '../model/handoff.js';

/** A save outlives its execution this long; an execution runs at most a year, a handoff minutes. */
const VOLUME_EXPIRY_DAYS = 7;

export interface VolumeBucketProps {
  /** What happens to the bucket and its saves when the stack is deleted. @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The stack's bucket of emptyDir saves: encrypted (SSE-S3), no public access, TLS only, each save
 * expiring after VOLUME_EXPIRY_DAYS (and unfinished uploads after a day). Deleted with the stack,
 * its objects first, like the log groups (a save is scratch data of runs that are over).
 */
export class VolumeBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: VolumeBucketProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'ExpireVolumeSaves',
          prefix: VOLUME_PREFIX,
          expiration: Duration.days(VOLUME_EXPIRY_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy,
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
    });
  }
}

/** Which ways a worker hands volumes over: what its role may do in the bucket. */
export interface HandoffWays {
  readonly restore: boolean;
  readonly save: boolean;
}

/** The ways of these handoffs together: one role or policy may serve several containers. */
export function handoffWays(handoffs: readonly VolumeHandoff[]): HandoffWays {
  return { restore: handoffs.some((h) => h.restore.length > 0), save: handoffs.some((h) => h.save.length > 0) };
}

/**
 * What a worker that hands volumes over may do, on every executor, under the prefix of saves only (the
 * execution's name is known at run time only), and only the way it hands them: to restore, Get of its
 * objects and List of that prefix alone (without it S3 answers a save not made yet with 403 instead of
 * NoSuchKey); to save, Put (a multipart upload's parts too) and the abort of an upload that failed.
 */
export function volumeHandoffStatements(bucket: s3.IBucket, ways: HandoffWays): iam.PolicyStatement[] {
  const objects = bucket.arnForObjects(`${VOLUME_PREFIX}*`);
  const statements: iam.PolicyStatement[] = [];
  if (ways.restore) {
    statements.push(
      new iam.PolicyStatement({ sid: 'RestoreVolumes', actions: ['s3:GetObject'], resources: [objects] }),
      new iam.PolicyStatement({
        sid: 'FindVolumeSaves',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': `${VOLUME_PREFIX}*` } },
      }),
    );
  }
  if (ways.save) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'SaveVolumes',
        actions: ['s3:AbortMultipartUpload', 's3:PutObject'],
        resources: [objects],
      }),
    );
  }
  return statements;
}
