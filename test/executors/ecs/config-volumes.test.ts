import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../lib/compile.js';
import { ecsDeployer } from '../../../lib/executors/ecs/aws.js';
import { configFilesOf } from '../../../lib/executors/ecs/config-files.js';
import { HELPER_IMAGES } from '../../../lib/executors/ecs/handoff-helpers.js';
import { allSteps } from '../../../lib/model/workflow.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * An init container that fills an emptyDir for the app, which mounts a ConfigMap (read-only) and a
 * Secret volume and reads one ConfigMap key from env too.
 */
const SPEC = `apiVersion: v1
kind: Pod
metadata: { name: configured, namespace: jobs }
spec:
  restartPolicy: Never
  initContainers:
    - { name: fill, image: alpine, volumeMounts: [{ name: work, mountPath: /work }] }
  containers:
    - name: app
      image: alpine
      env: [{ name: MODE, valueFrom: { configMapKeyRef: { name: settings, key: mode } } }]
      volumeMounts:
        - { name: config, mountPath: /etc/app, readOnly: true }
        - { name: creds, mountPath: /run/creds }
        - { name: work, mountPath: /work }
  volumes:
    - { name: work, emptyDir: {} }
    - name: config
      configMap: { name: settings, items: [{ key: mode, path: mode }, { key: app.yaml, path: conf/app.yaml }] }
    - name: creds
      secret: { secretName: db-credentials, items: [{ key: password, path: db/password }] }
`;

/** The stack of the pod on ECS, and the container definitions of `app`'s task. */
function synth(spec: string): { template: Template; app: Json[] } {
  const workflow = compile(spec, { executor: 'ecs' }).compiled!.workflow;
  const stack = new Stack(new App(), 'Config', { env: { account: '111111111111', region: 'us-east-1' } });
  ecsDeployer.deploy(stack, allSteps(workflow), {
    workflow,
    logRetention: logs.RetentionDays.ONE_WEEK,
    logRemovalPolicy: RemovalPolicy.DESTROY,
    tracing: false,
    volumeBucket: new s3.Bucket(stack, 'Volumes'),
    props: {},
  });
  const template = Template.fromStack(stack);
  const defs = template.findResources('AWS::ECS::TaskDefinition');
  const app = defs[Object.keys(defs).find((k) => k.startsWith('TaskappTaskDefinition'))!]!.Properties;
  return { template, app: app.ContainerDefinitions };
}

let template: Template;
let app: Json[];

beforeAll(() => ({ template, app } = synth(SPEC)));

const arn = (service: string, resource: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:${service}:us-east-1:111111111111:${resource}`]],
});
const parameter = (key: string) => arn('ssm', `parameter/pod2sfn/jobs/configmaps/settings/${key}`);

describe('ECS ConfigMap and Secret volumes: the task definition', () => {
  it('runs pod2sfn_config (busybox by digest) before the user container, beside the restore helpers', () => {
    expect(app.map((c) => [c.Name, c.Image, c.Essential, c.DependsOn ?? []])).toEqual([
      [
        'app',
        'alpine',
        true,
        [
          { ContainerName: 'pod2sfn_config', Condition: 'SUCCESS' },
          { ContainerName: 'pod2sfn_unpack', Condition: 'SUCCESS' },
        ],
      ],
      ['pod2sfn_config', HELPER_IMAGES.busybox, false, []],
      ['pod2sfn_fetch', HELPER_IMAGES.awsCli, false, []],
      ['pod2sfn_unpack', HELPER_IMAGES.busybox, false, [{ ContainerName: 'pod2sfn_fetch', Condition: 'SUCCESS' }]],
    ]);
  });

  it('gives the helper each key through secrets (ARNs only) and its script by sh -c', () => {
    const helper = app.find((c) => c.Name === 'pod2sfn_config')!;
    expect(helper.Secrets).toEqual([
      { Name: 'POD2SFN_V0_K0', ValueFrom: parameter('mode') },
      { Name: 'POD2SFN_V0_K1', ValueFrom: parameter('app.yaml') },
      { Name: 'POD2SFN_V1_K0', ValueFrom: arn('secretsmanager', 'secret:db-credentials:password::') },
    ]);
    expect(helper.Environment).toBeUndefined();
    expect(helper.EntryPoint).toEqual(['sh', '-c']);
    const volumes = compile(SPEC, { executor: 'ecs' }).compiled!.workflow.volumes.filter((v) => v.items);
    expect(helper.Command).toEqual([configFilesOf(volumes).script]);
    // AND the user's own env reference is unchanged
    expect(app[0]!.Secrets).toEqual([{ Name: 'MODE', ValueFrom: parameter('mode') }]);
  });

  it('shares each config volume as a task volume: the helper writes it, the user mounts it as asked', () => {
    const mounts = Object.fromEntries(app.map((c) => [c.Name, c.MountPoints ?? []]));
    expect(mounts.app).toEqual([
      { SourceVolume: 'config', ContainerPath: '/etc/app', ReadOnly: true },
      { SourceVolume: 'creds', ContainerPath: '/run/creds', ReadOnly: false },
      { SourceVolume: 'work', ContainerPath: '/work', ReadOnly: false },
    ]);
    expect(mounts.pod2sfn_config).toEqual([
      { SourceVolume: 'config', ContainerPath: '/pod2sfn/volumes/config', ReadOnly: false },
      { SourceVolume: 'creds', ContainerPath: '/pod2sfn/volumes/creds', ReadOnly: false },
    ]);
  });
});

describe('ECS ConfigMap and Secret volumes: IAM', () => {
  it('lets the execution role read exactly the parameters and the secret the task names', () => {
    const read = (resource: Json) => ({
      Effect: 'Allow',
      Action: ['ssm:DescribeParameters', 'ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParameterHistory'],
      Resource: resource,
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^TaskappTaskDefinitionExecutionRole') }],
      PolicyDocument: {
        Statement: Match.exact([
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ContainerLogs'), 'Arn'] },
          },
          read(parameter('mode')),
          read(parameter('app.yaml')),
          {
            Effect: 'Allow',
            Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            Resource: arn('secretsmanager', 'secret:db-credentials-??????'),
          },
        ]),
      },
    });
  });
});

describe('ECS ConfigMap and Secret volumes: validate', () => {
  const volumes = (source: string) => SPEC.replace(/ {4}- name: config\n.*\n {4}- name: creds\n.*\n/, source);

  it('warns at the mount that a volume without items is not mounted on ECS, naming the field to fill', () => {
    // GIVEN the ConfigMap volume without items
    const spec = volumes(
      '    - { name: config, configMap: { name: settings } }\n    - { name: creds, emptyDir: {} }\n',
    );
    // WHEN compiled for ECS and for Lambda
    const ecs = compile(spec, { executor: 'ecs' });
    const lambda = compile(spec, { executor: 'lambda' });
    // THEN ECS warns (the pod still deploys, without that volume), Lambda does not
    const mountWarnings = (d: typeof ecs.diagnostics) => d.filter((w) => w.path.includes('volumeMounts'));
    expect(ecs.compiled).toBeDefined();
    expect(mountWarnings(ecs.diagnostics)).toEqual([
      {
        path: 'spec.containers[0].volumeMounts[0]',
        severity: 'warning',
        message:
          'ConfigMap volume config is not mounted on ECS Fargate, whose task definition names each key it reads: ' +
          'list the keys to mount in spec.volumes[1].configMap.items ({key, path} each)',
      },
    ]);
    expect(mountWarnings(lambda.diagnostics).filter((w) => w.message.includes('ECS'))).toEqual([]);
    // AND the task has no config helper, and app no mount of that volume
    const containers = synth(spec).app;
    expect(containers.map((c) => c.Name)).toEqual(['app', 'pod2sfn_fetch', 'pod2sfn_unpack']);
    expect(containers[0]!.MountPoints.map((m: Json) => m.SourceVolume)).toEqual(['creds', 'work']);
  });

  it('warns that an optional Secret volume is not optional on ECS', () => {
    const spec = volumes(
      '    - { name: config, emptyDir: {} }\n' +
        '    - { name: creds, secret: { secretName: db, optional: true, items: [{ key: k, path: k }] } }\n',
    );
    const { compiled, diagnostics } = compile(spec, { executor: 'ecs' });
    expect(compiled).toBeDefined();
    expect(diagnostics.filter((d) => d.path.startsWith('spec.volumes'))).toEqual([
      {
        path: 'spec.volumes[2].secret.optional',
        severity: 'warning',
        message:
          'Secret volume creds is not optional on ECS Fargate: ECS reads each key as the task starts, so a ' +
          'missing one stops the task before container app runs (CreateContainerConfigError)',
      },
    ]);
  });
});
