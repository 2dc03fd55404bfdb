import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { addPodStacks } from '../../lib/aws/app.js';
import { stackNameOf } from '../../lib/aws/names.js';
import { packageRoot } from '../../lib/package-root.js';
import { tempDir } from '../helpers/temp.js';
import { cdkJsonContext } from './synth.js';

/** Constructs without bundling the runner (`aws:cdk:bundling-stacks: []`): what `cdk synth` builds, minus the asset. */
function app(context: Record<string, unknown>): App {
  return new App({
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context },
    outdir: tempDir('pod2sfn-cdk-'),
  });
}

describe('the CDK app (bin/app.ts)', () => {
  it('makes one stack per spec of -c spec=a,b, named after metadata.name', () => {
    const stacks = addPodStacks(app({ spec: 'examples/init-containers.yaml, examples/job.yaml' }), packageRoot());
    expect(stacks.map((s) => s.stackName)).toEqual(['init-containers-pod', 'report-job']);
  });

  it('context picks the executor, the API authorization and tracing', () => {
    const [stack] = addPodStacks(
      app({ spec: 'examples/init-containers.yaml', executor: 'activity', auth: 'apiKey', tracing: 'true' }),
      packageRoot(),
    );
    expect(stack!.pod.activities.size).toBe(3);
    expect(stack!.pod.functions.size).toBe(0);
    expect(stack!.api!.apiKey).toBeDefined();
  });

  it('says what is missing or wrong', () => {
    expect(() => addPodStacks(app({}), packageRoot())).toThrow(/-c spec=FILE/);
    expect(() => addPodStacks(app({ spec: 'examples/init-containers.yaml', executor: 'k8s' }), packageRoot())).toThrow(
      /unknown executor "k8s"/,
    );
    expect(() =>
      addPodStacks(app({ spec: 'examples/init-containers.yaml,examples/init-containers.yaml' }), packageRoot()),
    ).toThrow(/two specs/);
  });

  it('synthesizes the same template twice (no timestamps, no random names)', () => {
    const template = () => {
      const a = app({ spec: 'examples/native-sidecar.yaml', executor: 'ecs' });
      const [stack] = addPodStacks(a, packageRoot());
      return JSON.stringify(a.synth().getStackByName(stack!.stackName).template);
    };
    expect(template()).toBe(template());
  });

  it('stack names are valid CloudFormation names', () => {
    expect(stackNameOf('my.pod')).toBe('my-pod');
    expect(stackNameOf('1st')).toBe('pod-1st');
  });
});
