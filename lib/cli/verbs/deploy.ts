import { bootstrapped, LOCALSTACK_ACCOUNT, openStack, STACK_DESCRIPTIONS, STACK_OPTIONS } from '../cdk-toolkit.js';
import { EXIT } from '../io.js';
import { cloudFormationStacks } from '../stuck-stack.js';
import { outputFormat, render } from '../output.js';
import type { Verb } from '../verb.js';

export const verb: Verb = {
  name: 'deploy',
  summary:
    'Deploy a pod spec as one CloudFormation stack, on AWS or on LocalStack with --endpoint; prints the runs API URL.',
  usage: 'pod2sfn deploy FILE [--endpoint URL] [--executor lambda|ecs|activity] [--cdk-out DIR] [-o json|yaml]',
  options: { ...STACK_OPTIONS, output: { type: 'string', short: 'o' } },
  descriptions: { ...STACK_DESCRIPTIONS, output: 'print every stack output as json or yaml instead of the API URL' },
  details:
    'Drives the CDK toolkit library in this process: no cdk.json, no CDK CLI. Uses the usual AWS environment\n' +
    '(AWS_PROFILE, AWS_REGION, ...). On AWS, bootstrap the account and region once first (`npx aws-cdk bootstrap`);\n' +
    'an --endpoint is bootstrapped when it is not yet. A LocalStack that cannot run an executor (Lambda, ECS in\n' +
    'host mode) is refused before anything is created. Progress (one line per resource event) goes to stderr;\n' +
    'stdout gets the runs API URL (POST {"name","input"} to start a run).\n' +
    'Remove the stack with `pod2sfn destroy FILE`.',
  async run(invocation) {
    const { io, values } = invocation;
    const format = values.output === undefined ? undefined : outputFormat(values.output);
    const target = await openStack(invocation, 'deploy');
    const { toolkit, assembly, stack, endpoint } = target;
    const cloudFormation = await target.cloudFormation();
    // The toolkit replaces a stack in ROLLBACK_COMPLETE itself; these it would only fail to update.
    const status = await (await cloudFormationStacks(cloudFormation)).status(stack);
    if (status === 'CREATE_FAILED' || status === 'DELETE_FAILED' || status === 'UPDATE_ROLLBACK_FAILED') {
      throw new Error(
        `stack ${stack} is ${status} from an earlier deploy; ` +
          `remove it with \`pod2sfn destroy ${invocation.positionals[0]}\`, then deploy again`,
      );
    }
    if (endpoint !== undefined && !(await bootstrapped(cloudFormation))) {
      const { BootstrapEnvironments } = await import('@aws-cdk/toolkit-lib');
      await toolkit.bootstrap(
        BootstrapEnvironments.fromList([`aws://${LOCALSTACK_ACCOUNT}/${target.region ?? 'us-east-1'}`]),
      );
    }
    const result = await toolkit.deploy(assembly, { deploymentMethod: { method: 'change-set' } });
    const outputs: Record<string, string> = { ...result.stacks.find((s) => s.stackName === stack)?.outputs };
    if (endpoint !== undefined && outputs.ApiUrl) outputs.ApiUrl = localApiUrl(outputs.ApiUrl, endpoint);
    io.stdout.write(format ? render({ stack, ...outputs }, format) : `${outputs.ApiUrl ?? ''}\n`);
    return EXIT.ok;
  },
};

/**
 * LocalStack serves every API under one host: https://<id>.execute-api.<region>.amazonaws.com/<stage>/runs
 * becomes <endpoint>/_aws/execute-api/<id>/<stage>/runs (docs/design.md §5).
 */
export function localApiUrl(apiUrl: string, endpoint: string): string {
  // Not `new URL`: LocalStack's host, <id>.execute-api.127.0.0.1:4566, ends like an IPv4 address.
  const match = /^https?:\/\/([^./]+)\.execute-api\.[^/]+(\/.*)$/.exec(apiUrl);
  return match ? `${endpoint}/_aws/execute-api/${match[1]}${match[2]}` : apiUrl;
}
