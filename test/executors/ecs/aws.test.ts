import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { ecsDeployer } from '../../../lib/executors/ecs/aws.js';
import { HELPER_IMAGES } from '../../../lib/executors/ecs/handoff-helpers.js';
import { allSteps } from '../../../lib/model/workflow.js';
import { handoffWorkflow } from './handoff-machine.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let template: Template;
let taskDefinitions: Record<string, Json>;

/** GIVEN the pod whose init container `fill` restores and saves `work`, which `main` restores. */
beforeAll(() => {
  const stack = new Stack(new App(), 'Handoff', { env: { account: '111111111111', region: 'us-east-1' } });
  const volumeBucket = new s3.Bucket(stack, 'Volumes');
  const workflow = handoffWorkflow();
  ecsDeployer.deploy(stack, allSteps(workflow), {
    workflow,
    logRetention: logs.RetentionDays.ONE_WEEK,
    logRemovalPolicy: RemovalPolicy.DESTROY,
    tracing: false,
    volumeBucket,
    props: {},
  });
  template = Template.fromStack(stack);
  taskDefinitions = template.findResources('AWS::ECS::TaskDefinition');
});

const taskOf = (id: string): Json => taskDefinitions[Object.keys(taskDefinitions).find((k) => k.startsWith(id))!]!;
const containers = (id: string): Json[] => taskOf(id).Properties.ContainerDefinitions;
const bucketName = { Ref: expect.stringMatching(/^Volumes/) };

describe('ECS volume handoff: the task definitions', () => {
  it('surrounds the user container with fetch → unpack → container → pack → upload, ordered by dependsOn', () => {
    // THEN the user's image runs unchanged, after the restore and before the save; upload ends the task
    const defs = containers('TaskfillTaskDefinition');
    expect(defs.map((c) => [c.Name, c.Image, c.Essential ?? true, c.DependsOn ?? []])).toEqual([
      ['fill', 'alpine', false, [{ ContainerName: 'pod2sfn_unpack', Condition: 'SUCCESS' }]],
      ['pod2sfn_fetch', HELPER_IMAGES.awsCli, false, []],
      ['pod2sfn_unpack', HELPER_IMAGES.busybox, false, [{ ContainerName: 'pod2sfn_fetch', Condition: 'SUCCESS' }]],
      ['pod2sfn_pack', HELPER_IMAGES.busybox, false, [{ ContainerName: 'fill', Condition: 'COMPLETE' }]],
      ['pod2sfn_upload', HELPER_IMAGES.awsCli, true, [{ ContainerName: 'pod2sfn_pack', Condition: 'SUCCESS' }]],
    ]);
    // AND the images are pinned by digest
    expect(Object.values(HELPER_IMAGES).every((image) => /@sha256:[0-9a-f]{64}$/.test(image))).toBe(true);
  });

  it('shares the emptyDir as a task volume: the user at its mountPath, the helpers under /pod2sfn', () => {
    const defs = Object.fromEntries(containers('TaskfillTaskDefinition').map((c) => [c.Name, c.MountPoints ?? []]));
    const work = { SourceVolume: 'work', ContainerPath: '/pod2sfn/volumes/work', ReadOnly: false };
    const archives = { SourceVolume: 'pod2sfn_archives', ContainerPath: '/pod2sfn/archives', ReadOnly: false };
    expect(defs).toEqual({
      fill: [{ SourceVolume: 'work', ContainerPath: '/work', ReadOnly: false }],
      pod2sfn_fetch: [archives],
      pod2sfn_unpack: [archives, work],
      pod2sfn_pack: [archives, work],
      pod2sfn_upload: [archives],
    });
    expect(taskOf('TaskfillTaskDefinition').Properties.Volumes).toEqual([
      { Name: 'work' },
      { Name: 'pod2sfn_archives' },
    ]);
  });

  it('gives the S3 helpers the bucket by environment and runs the scripts with sh -c', () => {
    const upload = containers('TaskfillTaskDefinition').find((c) => c.Name === 'pod2sfn_upload')!;
    expect(upload.EntryPoint).toEqual(['sh', '-c']);
    expect(upload.Command).toEqual([
      'set -u\nif [ -f /pod2sfn/archives/work.tar.gz ]; then aws s3 cp --only-show-errors ' +
        '/pod2sfn/archives/work.tar.gz "s3://$POD2SFN_VOLUME_BUCKET/volumes/$POD2SFN_EXECUTION/work.tar.gz" ' +
        '|| exit 1; fi',
    ]);
    expect(upload.Environment).toEqual([{ Name: 'POD2SFN_VOLUME_BUCKET', Value: bucketName }]);
    const pack = containers('TaskfillTaskDefinition').find((c) => c.Name === 'pod2sfn_pack')!;
    expect(pack.Command[0]).toContain('over its sizeLimit of 1048576 bytes');
  });

  it('gives an app container that only restores the restore helpers alone; it stays essential', () => {
    const defs = containers('TaskmainTaskDefinition');
    expect(defs.map((c) => [c.Name, c.Essential])).toEqual([
      ['main', true],
      ['pod2sfn_fetch', false],
      ['pod2sfn_unpack', false],
    ]);
    expect(defs[0]!.MountPoints).toEqual([{ SourceVolume: 'work', ContainerPath: '/data', ReadOnly: true }]);
  });
});

describe('ECS volume handoff: IAM', () => {
  it('lets the task role read and write volumes/* of the bucket and list that prefix: nothing else', () => {
    const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Volumes'), 'Arn'] }, '/volumes/*']] };
    const bucket = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Volumes'), 'Arn'] };
    const restore = [
      { Sid: 'RestoreVolumes', Effect: 'Allow', Action: 's3:GetObject', Resource: objects },
      {
        Sid: 'FindVolumeSaves',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: bucket,
        Condition: { StringLike: { 's3:prefix': 'volumes/*' } },
      },
    ];
    const save = {
      Sid: 'SaveVolumes',
      Effect: 'Allow',
      Action: ['s3:AbortMultipartUpload', 's3:PutObject'],
      Resource: objects,
    };
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^TaskfillTaskDefinitionTaskRole') }],
      PolicyDocument: { Statement: Match.exact([...restore, save]) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^TaskmainTaskDefinitionTaskRole') }],
      PolicyDocument: { Statement: Match.exact(restore) },
    });
  });
});
