import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { VOLUME_PREFIX } from '../model/handoff.js';

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

/**
 * What restoring and saving volumes needs, under the prefix of saves only: Get and Put (a multipart
 * upload too) of its objects, and List of that prefix alone, without which S3 answers a save not
 * made yet with 403 instead of NoSuchKey.
 */
export function volumeHandoffStatements(bucket: s3.IBucket): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'RestoreAndSaveVolumes',
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
      resources: [bucket.arnForObjects(`${VOLUME_PREFIX}*`)],
    }),
    findVolumeSaves(bucket),
  ];
}

/**
 * ListBucket on the saves' prefix only: with it S3 answers a save not made yet 404 (restore empty),
 * without it 403.
 */
export function findVolumeSaves(bucket: s3.IBucket): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'FindVolumeSaves',
    actions: ['s3:ListBucket'],
    resources: [bucket.bucketArn],
    conditions: { StringLike: { 's3:prefix': `${VOLUME_PREFIX}*` } },
  });
}
