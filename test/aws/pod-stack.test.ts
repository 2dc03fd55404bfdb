import { Aspects } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { placeholdersIn, substitute } from '../../lib/asl/substitutions.js';
import { definitionJson, type Compiled } from '../../lib/compile.js';
import { compileOrThrow } from '../helpers/compile.js';
import { PodStack } from '../../lib/aws/pod-stack.js';
import { MIXED_SPEC } from './fixtures.js';
import { example, fakeResolve, testApp, type TemplateJson } from './synth.js';

interface Synthesized {
  readonly stack: PodStack;
  readonly compiled: Compiled;
  readonly template: Template;
  readonly json: Record<string, TemplateJson>;
}

let lambdaPod: Synthesized;
let ecsPod: Synthesized;
let mixedPod: Synthesized;
let stacks: PodStack[];

function resources(s: Synthesized, type: string): Array<[string, TemplateJson]> {
  return Object.entries(s.json.Resources as Record<string, TemplateJson>).filter(([, r]) => r.Type === type);
}

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0]!;
}

/** Every IAM statement of the template: inline policies, role policies, managed policies. */
function statements(json: Record<string, TemplateJson>): TemplateJson[] {
  const docs: TemplateJson[] = [];
  for (const r of Object.values(json.Resources as Record<string, TemplateJson>)) {
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') docs.push(r.Properties.PolicyDocument);
    if (r.Type === 'AWS::IAM::Role') for (const p of r.Properties.Policies ?? []) docs.push(p.PolicyDocument);
  }
  return docs.flatMap((d) => d.Statement);
}

function machinePolicy(s: Synthesized): TemplateJson[] {
  const [, policy] = only(resources(s, 'AWS::IAM::Policy').filter(([id]) => id.startsWith('PodStateMachineRole')));
  return policy.Properties.PolicyDocument.Statement;
}

beforeAll(() => {
  const app = testApp();
  const specs = {
    lambda: compileOrThrow(example('init-containers.yaml')),
    ecs: compileOrThrow(example('native-sidecar.yaml'), { executor: 'ecs' }),
    mixed: compileOrThrow(MIXED_SPEC),
  };
  stacks = [
    new PodStack(app, 'LambdaPod', { compiled: specs.lambda }),
    new PodStack(app, 'EcsPod', { compiled: specs.ecs }),
    new PodStack(app, 'MixedPod', { compiled: specs.mixed, authorization: 'apiKey', tracing: true }),
  ];
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  app.synth();
  const wrap = (stack: PodStack, c: Compiled): Synthesized => {
    const template = Template.fromStack(stack);
    return { stack, compiled: c, template, json: template.toJSON() };
  };
  lambdaPod = wrap(stacks[0]!, specs.lambda);
  ecsPod = wrap(stacks[1]!, specs.ecs);
  mixedPod = wrap(stacks[2]!, specs.mixed);
});

describe('the state machine', () => {
  it('is STANDARD, named after the pod, logs everything and traces on request', () => {
    lambdaPod.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      StateMachineName: 'pod2sfn-default-init-containers-pod',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      TracingConfiguration: { Enabled: false },
    });
    mixedPod.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      TracingConfiguration: { Enabled: true },
    });
  });

  it.each(['lambdaPod', 'ecsPod', 'mixedPod'])(
    '%s: deploys the lib/asl definition unchanged; substitutions fill every placeholder',
    (which) => {
      const s = { lambdaPod, ecsPod, mixedPod }[which]!;
      const [, machine] = only(resources(s, 'AWS::StepFunctions::StateMachine'));
      const deployed: string = machine.Properties.DefinitionString;
      const emitted = definitionJson(s.compiled);
      expect(deployed).toBe(emitted);
      // compact, as the CDK deploys a definition and as the limits measure it
      expect(deployed).not.toMatch(/\n|": /);
      const substitutions = machine.Properties.DefinitionSubstitutions as Record<string, unknown>;
      expect(Object.keys(substitutions).sort()).toEqual(placeholdersIn(emitted));
      const values = Object.fromEntries(Object.entries(substitutions).map(([k, v]) => [k, fakeResolve(v)]));
      const resolved = substitute(deployed, values);
      expect(resolved).not.toMatch(/\$\{[A-Za-z0-9_]+\}/);
      expect(JSON.parse(resolved)).toEqual(JSON.parse(substitute(emitted, values)));
    },
  );

  it('maps each placeholder to the resource of its container', () => {
    const [, machine] = only(resources(mixedPod, 'AWS::StepFunctions::StateMachine'));
    const subs = machine.Properties.DefinitionSubstitutions;
    const fetchFn = only(resources(mixedPod, 'AWS::Lambda::Function'));
    expect(subs.Lambda_fetch).toEqual({ 'Fn::GetAtt': [fetchFn[0], 'Arn'] });
    const taskDef = only(resources(mixedPod, 'AWS::ECS::TaskDefinition'));
    expect(subs.TaskDefinition_migrate).toEqual({ Ref: taskDef[0] });
    const activity = only(resources(mixedPod, 'AWS::StepFunctions::Activity'));
    expect(subs.Activity_report).toEqual({ Ref: activity[0] });
    const cluster = only(resources(mixedPod, 'AWS::ECS::Cluster'));
    expect(subs.EcsCluster).toEqual({ 'Fn::GetAtt': [cluster[0], 'Arn'] });
    expect(subs.EcsAssignPublicIp).toBe('ENABLED');
    expect(JSON.stringify(subs.EcsSubnets)).toContain('PublicSubnet1');
    expect(JSON.stringify(subs.EcsSubnets)).toContain('PublicSubnet2');
  });
});

describe('executors', () => {
  const LAMBDA_RUNNERS =
    'lambda: one runner function per container, sized from resources and timed out past the deadline, ' +
    'with its own log group';
  it(LAMBDA_RUNNERS, () => {
    const functions = resources(lambdaPod, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(3);
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({
        Handler: 'index.handler',
        Runtime: 'nodejs24.x',
        MemorySize: 512,
        Timeout: 900,
      });
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
      expect(fn.Properties.Environment).toBeUndefined();
    }
    expect(resources(lambdaPod, 'AWS::Logs::LogGroup').every(([, g]) => g.Properties.RetentionInDays === 30)).toBe(
      true,
    );
    // activeDeadlineSeconds bounds the timeout; 1Gi of memory.
    expect(only(resources(mixedPod, 'AWS::Lambda::Function'))[1].Properties).toMatchObject({
      MemorySize: 1024,
      Timeout: 630,
      TracingConfig: { Mode: 'Active' },
    });
  });

  it('ecs: a Fargate task definition per container: image, command → entryPoint, args → command, size, awslogs', () => {
    const defs = resources(ecsPod, 'AWS::ECS::TaskDefinition').map(([, d]) => d.Properties);
    expect(defs).toHaveLength(3);
    const byName = Object.fromEntries(defs.map((d) => [d.ContainerDefinitions[0].Name, d]));
    expect(Object.keys(byName).sort()).toEqual(['app', 'log-shipper', 'prepare']);
    expect(byName.app).toMatchObject({
      Cpu: '256',
      Memory: '512',
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
    });
    expect(byName.app.ContainerDefinitions[0]).toMatchObject({
      Image: 'alpine',
      EntryPoint: ['sh', '-c', 'echo working && sleep 3 && echo done'],
      Essential: true,
      LogConfiguration: { LogDriver: 'awslogs' },
    });
    expect(byName.app.ContainerDefinitions[0].Command).toBeUndefined();
    const migrate = only(resources(mixedPod, 'AWS::ECS::TaskDefinition'))[1].Properties;
    expect(migrate).toMatchObject({ Cpu: '512', Memory: '1024' });
    expect(migrate.ContainerDefinitions[0]).toMatchObject({
      EntryPoint: ['sh', '-c'],
      Command: ['echo migrating && exit 0'],
    });
  });

  const ECS_NETWORK =
    'ecs: a created VPC has public subnets only and no NAT gateway; ' +
    'tasks get a security group with no inbound rule';
  it(ECS_NETWORK, () => {
    expect(resources(ecsPod, 'AWS::EC2::NatGateway')).toHaveLength(0);
    expect(resources(ecsPod, 'AWS::EC2::Subnet')).toHaveLength(2);
    for (const [, subnet] of resources(ecsPod, 'AWS::EC2::Subnet'))
      expect(subnet.Properties.MapPublicIpOnLaunch).toBe(true);
    const [, sg] = only(resources(ecsPod, 'AWS::EC2::SecurityGroup'));
    expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
  });

  it('activity: one Activity per container, its ARN an output for `pod2sfn agent`', () => {
    only(resources(mixedPod, 'AWS::StepFunctions::Activity'));
    expect(Object.keys(mixedPod.json.Outputs)).toContain('Activityreport');
  });
});

describe('IAM', () => {
  it('the state machine may invoke its runner functions and write its logs: nothing else', () => {
    const policy = machinePolicy(lambdaPod);
    const invoke = policy.find((s) => s.Sid === 'InvokeContainerRunners');
    const fnIds = resources(lambdaPod, 'AWS::Lambda::Function').map(([id]) => id);
    expect(invoke).toEqual({
      Sid: 'InvokeContainerRunners',
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Resource: fnIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })),
    });
    const others = policy.filter((s) => s !== invoke);
    expect(others).toHaveLength(1);
    // CloudWatch Logs delivery, added by the StateMachine construct for `logs`: no resource-level permission exists.
    expect(others[0].Action).toEqual([
      'logs:CreateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:DescribeLogGroups',
      'logs:DescribeResourcePolicies',
      'logs:GetLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:UpdateLogDelivery',
    ]);
  });

  const ECS_PERMISSIONS =
    'ecs: RunTask on its task definitions in its cluster, Describe/Stop its tasks, ' +
    'PassRole to ECS only, the .sync event rule';
  it(ECS_PERMISSIONS, () => {
    const policy = machinePolicy(ecsPod);
    const sids = policy
      .map((s) => s.Sid)
      .filter(Boolean)
      .sort();
    expect(sids).toEqual([
      'EcsSyncEventRule',
      'PassContainerTaskRoles',
      'RunContainerTasks',
      'TagContainerTasksOnRun',
      'WatchAndStopContainerTasks',
    ]);
    const run = policy.find((s) => s.Sid === 'RunContainerTasks');
    expect(run.Action).toBe('ecs:RunTask');
    expect(run.Resource).toHaveLength(3);
    expect(run.Condition.ArnEquals['ecs:cluster']).toBeDefined();
    const pass = policy.find((s) => s.Sid === 'PassContainerTaskRoles');
    expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    expect(pass.Resource).toHaveLength(6);
    const rule = policy.find((s) => s.Sid === 'EcsSyncEventRule');
    expect(JSON.stringify(rule.Resource)).toContain(':rule/StepFunctionsGetEventsForECSTaskRule');
    expect(policy.find((s) => s.Sid === 'WatchAndStopContainerTasks').Action).toEqual([
      'ecs:DescribeTasks',
      'ecs:StopTask',
    ]);
  });

  it('activities need no permission of the state machine', () => {
    expect(machinePolicy(mixedPod).some((s) => JSON.stringify(s).includes('states:'))).toBe(false);
  });

  it('the runner reads exactly the Secrets and ConfigMap keys its container references', () => {
    const fnRole = only(
      resources(mixedPod, 'AWS::IAM::Policy').filter(([id]) => id.startsWith('PodRunnerfetchRole')),
    )[1];
    const stmts = fnRole.Properties.PolicyDocument.Statement;
    const secret = stmts.find((s: TemplateJson) => s.Sid === 'ReadReferencedSecrets');
    expect(secret.Action).toBe('secretsmanager:GetSecretValue');
    expect(JSON.stringify(secret.Resource)).toMatch(/:secret:db-credentials-\?\?\?\?\?\?"/);
    const config = stmts.find((s: TemplateJson) => s.Sid === 'ReadReferencedConfigMaps');
    expect(JSON.stringify(config.Resource)).toContain(':parameter/pod2sfn/jobs/configmaps/settings/mode');
  });

  it.each(['lambdaPod', 'ecsPod', 'mixedPod'])('%s: no wildcard action, no Deny needed, no NotAction', (which) => {
    const s = { lambdaPod, ecsPod, mixedPod }[which]!;
    for (const statement of statements(s.json)) {
      const actions = [statement.Action].flat();
      for (const action of actions) expect(action).not.toMatch(/\*/);
      expect(statement.NotAction).toBeUndefined();
    }
  });
});

describe('secrets', () => {
  it('no secret value in TemplateJson template or definition; ECS reads the secret through `secrets`', () => {
    for (const s of [lambdaPod, ecsPod, mixedPod]) expect(JSON.stringify(s.json)).not.toContain('PLAINTEXT-hunter2');
    const container = only(resources(mixedPod, 'AWS::ECS::TaskDefinition'))[1].Properties.ContainerDefinitions[0];
    expect(container.Environment).toEqual([{ Name: 'PLAIN', Value: 'visible' }]);
    expect(container.Secrets).toHaveLength(1);
    expect(container.Secrets[0].Name).toBe('DB_PASSWORD');
    expect(JSON.stringify(container.Secrets[0].ValueFrom)).toMatch(/:secret:db-credentials:password::/);
  });
});

describe('the runs API', () => {
  it('POST /runs → StartExecution (AWS integration), IAM-authorized, body validated by a model, 202', () => {
    const post = lambdaPod.template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'POST' } });
    const method = Object.values(post)[0] as TemplateJson;
    expect(method.Properties).toMatchObject({
      AuthorizationType: 'AWS_IAM',
      RequestModels: { 'application/json': { Ref: expect.stringMatching(/^RunsApiStartRun/) } },
      RequestValidatorId: { Ref: expect.stringMatching(/^RunsApiValidator/) },
      Integration: { Type: 'AWS', IntegrationHttpMethod: 'POST', PassthroughBehavior: 'NEVER' },
    });
    expect(JSON.stringify(method.Properties.Integration.Uri)).toContain(':states:action/StartExecution');
    expect(method.Properties.Integration.IntegrationResponses.map((r: TemplateJson) => r.StatusCode)).toEqual([
      '202',
      '400',
      '500',
    ]);
    expect(JSON.stringify(method.Properties.Integration.RequestTemplates)).toContain('stateMachineArn');
    lambdaPod.template.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: {
        type: 'object',
        additionalProperties: false,
        properties: { name: { type: 'string' }, input: { type: 'object' } },
      },
    });
  });

  it('routes each path to one Step Functions action, no Lambda in the path', () => {
    // GIVEN the synthesized API WHEN its methods are read as path → action
    const paths = new Map<string, string>();
    const pathOf = (ref: TemplateJson): string => {
      if (ref['Fn::GetAtt']) return '';
      const resource = (lambdaPod.json.Resources as Record<string, TemplateJson>)[ref.Ref]!;
      return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
    };
    for (const [, method] of resources(lambdaPod, 'AWS::ApiGateway::Method')) {
      const { HttpMethod, ResourceId, Integration, RequestParameters } = method.Properties;
      const action = /:states:action\/(\w+)/.exec(JSON.stringify(Integration.Uri))![1];
      const params = Object.keys(RequestParameters ?? {}).join(',');
      paths.set(`${HttpMethod} ${pathOf(ResourceId)}`, `${Integration.Type} ${action} (${params})`);
    }
    // THEN the routes are exactly these
    expect(Object.fromEntries(paths)).toEqual({
      'POST /runs': 'AWS StartExecution ()',
      'GET /runs': 'AWS ListExecutions (method.request.querystring.nextToken)',
      'GET /runs/{id}': 'AWS DescribeExecution (method.request.path.id)',
      'GET /runs/{id}/events': 'AWS GetExecutionHistory (method.request.path.id,method.request.querystring.nextToken)',
      'GET /definition': 'AWS DescribeStateMachine ()',
    });
    // AND every one is IAM-authorized
    for (const [, method] of resources(lambdaPod, 'AWS::ApiGateway::Method'))
      expect(method.Properties.AuthorizationType).toBe('AWS_IAM');
  });

  it('throttles the stage, logs access, and outputs the URL and the state machine ARN', () => {
    lambdaPod.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 })],
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
    expect(Object.keys(lambdaPod.json.Outputs).sort()).toEqual(
      [
        'ApiUrl',
        'StateMachineArn',
        ...Object.keys(lambdaPod.json.Outputs).filter((k) => k.startsWith('RunsApiEndpoint')),
      ].sort(),
    );
  });

  it('authorization: apiKey requires a key on every method, with a usage plan', () => {
    const methods = Object.values(mixedPod.template.findResources('AWS::ApiGateway::Method')) as TemplateJson[];
    for (const m of methods.filter((m) => m.Properties.HttpMethod !== 'OPTIONS'))
      expect(m.Properties).toMatchObject({ AuthorizationType: 'NONE', ApiKeyRequired: true });
    mixedPod.template.resourceCountIs('AWS::ApiGateway::UsagePlan', 1);
    mixedPod.template.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
    expect(JSON.stringify(mixedPod.json)).not.toMatch(/"Value":\s*"[A-Za-z0-9]{20,}"/);
  });
});

describe('cdk-nag AwsSolutions', () => {
  it.each([0, 1, 2])('stack %i: no unsuppressed error', (i) => {
    const annotations = Annotations.fromStack(stacks[i]!);
    // An unsuppressed error would also fail app.synth() in beforeAll ("Validation failed").
    const errors = annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(errors.map((e) => `${e.id}: ${String(e.entry.data).split('\n')[0]}`)).toEqual([]);
  });

  it('every suppression gives its reason', () => {
    for (const s of [lambdaPod, ecsPod, mixedPod]) {
      for (const r of Object.values(s.json.Resources as Record<string, TemplateJson>)) {
        for (const rule of r.Metadata?.cdk_nag?.rules_to_suppress ?? [])
          expect(String(rule.reason).length, rule.id).toBeGreaterThan(30);
      }
    }
  });
});

describe('what a deployment cannot keep', () => {
  it('gives a pod that hands an emptyDir over a locked-down bucket, each worker only its way on saves', () => {
    // GIVEN an init container on Lambda filling an emptyDir under /tmp that an app container on an agent reads
    const spec = `apiVersion: v1
kind: Pod
metadata: {name: handoff, annotations: {pod2sfn.dev/executor.read: activity}}
spec:
  restartPolicy: Never
  initContainers:
    - {name: fill, image: a, command: [sh, -c, "true"], volumeMounts: [{name: work, mountPath: /tmp/work}]}
  containers:
    - {name: read, image: a, command: [sh, -c, "true"], volumeMounts: [{name: work, mountPath: /work}]}
  volumes: [{name: work, emptyDir: {}}]
`;
    const stack = new PodStack(testApp(), 'HandoffPod', { compiled: compileOrThrow(spec) });
    const json = Template.fromStack(stack).toJSON() as Record<string, TemplateJson>;
    const all = Object.entries(json.Resources as Record<string, TemplateJson>);
    // THEN one bucket: SSE, no public access, saves expire after 7 days, emptied and deleted with the stack
    const [bucketId, bucket] = only(all.filter(([, r]) => r.Type === 'AWS::S3::Bucket'));
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
    ]);
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ Prefix: 'volumes/', ExpirationInDays: 7, Status: 'Enabled' }),
    ]);
    expect(bucket.DeletionPolicy).toBe('Delete');
    expect(all.some(([, r]) => r.Type === 'Custom::S3AutoDeleteObjects')).toBe(true);
    // AND TLS only
    const [, bucketPolicy] = only(all.filter(([, r]) => r.Type === 'AWS::S3::BucketPolicy'));
    expect(bucketPolicy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    // AND under volumes/ only, the runner's role (fill saves) may write, and the agent's policy (read
    // restores) read and list, nothing more
    const onBucket = statements(json).filter((st) => JSON.stringify(st.Resource).includes(bucketId));
    const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/volumes/*']] };
    const save = {
      Sid: 'SaveVolumes',
      Effect: 'Allow',
      Action: ['s3:AbortMultipartUpload', 's3:PutObject'],
      Resource: objects,
    };
    const restore = [
      { Sid: 'RestoreVolumes', Effect: 'Allow', Action: 's3:GetObject', Resource: objects },
      {
        Sid: 'FindVolumeSaves',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] },
        Condition: { StringLike: { 's3:prefix': 'volumes/*' } },
      },
    ];
    expect(onBucket).toEqual([save, ...restore]);
    // AND the agents' policy: the stack, its activity, its log group and the saves, nothing more
    const [policyId, policy] = only(all.filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy'));
    const [activityId] = only(all.filter(([, r]) => r.Type === 'AWS::StepFunctions::Activity'));
    const [logGroupId] = only(all.filter(([id, r]) => r.Type === 'AWS::Logs::LogGroup' && id.includes('AgentLogs')));
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Sid: 'ServeActivities',
        Effect: 'Allow',
        Action: [
          'states:GetActivityTask',
          'states:SendTaskFailure',
          'states:SendTaskHeartbeat',
          'states:SendTaskSuccess',
        ],
        Resource: { Ref: activityId },
      },
      {
        Sid: 'FindActivitiesAndLogGroup',
        Effect: 'Allow',
        Action: ['cloudformation:DescribeStacks', 'cloudformation:ListStackResources'],
        Resource: { Ref: 'AWS::StackId' },
      },
      {
        Sid: 'ShipContainerOutput',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
      },
      ...restore,
    ]);
    expect(json.Outputs.AgentPolicyArn.Value).toEqual({ Ref: policyId });
    // AND the definition's VolumeBucket is the bucket
    const [, machine] = only(all.filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine'));
    expect(machine.Properties.DefinitionSubstitutions.VolumeBucket).toEqual({ Ref: bucketId });
  });
});
