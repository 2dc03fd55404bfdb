import { RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { PodStack } from '../../../lib/aws/pod-stack.js';
import { AGENT_LOG_GROUP_OUTPUT } from '../../../lib/logs/locations.js';
import { testApp } from '../../aws/synth.js';
import { compileOrThrow, example } from '../../helpers/compile.js';

describe('the activity executor in a stack', () => {
  it('gets one log group for its agents, kept as the other log groups, named by the AgentLogGroup output', () => {
    // GIVEN a pod on the activity executor, logs kept a week and retained
    const compiled = compileOrThrow(example('init-containers.yaml'), { executor: 'activity' });
    const stack = new PodStack(testApp(), 'ActivityPod', {
      compiled,
      logRetention: logs.RetentionDays.ONE_WEEK,
      logRemovalPolicy: RemovalPolicy.RETAIN,
    });
    // WHEN synthesized
    const json = Template.fromStack(stack).toJSON();
    // THEN the output names the agents' log group, which has the stack's retention and removal
    const output = json.Outputs[AGENT_LOG_GROUP_OUTPUT];
    const id = output.Value.Ref as string;
    expect(json.Resources[id]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 7 },
      DeletionPolicy: 'Retain',
    });
  });

  it('adds neither to a pod without activity containers', () => {
    const compiled = compileOrThrow(example('init-containers.yaml'));
    const json = Template.fromStack(new PodStack(testApp(), 'LambdaPod', { compiled })).toJSON();
    expect(Object.keys(json.Outputs)).not.toContain(AGENT_LOG_GROUP_OUTPUT);
  });
});
