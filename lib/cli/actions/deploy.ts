import { bootstrapped, LOCALSTACK_ACCOUNT, openStack } from '../cdk-toolkit.js';
import { EXIT } from '../io.js';
import { cloudFormationStacks } from '../stuck-stack.js';
import { outputFormat, render } from '../output.js';
import type { Invocation } from '../verb.js';

/** `pod2sfn deploy` (its flags and help: lib/cli/verbs/deploy.ts). */
export async function run(invocation: Invocation): Promise<number> {
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
}

/**
 * LocalStack serves every API under one host: https://<id>.execute-api.<region>.amazonaws.com/<stage>/runs
 * becomes <endpoint>/_aws/execute-api/<id>/<stage>/runs (docs/design.md §5).
 */
function localApiUrl(apiUrl: string, endpoint: string): string {
  // Not `new URL`: LocalStack's host, <id>.execute-api.127.0.0.1:4566, ends like an IPv4 address.
  const match = /^https?:\/\/([^./]+)\.execute-api\.[^/]+(\/.*)$/.exec(apiUrl);
  return match ? `${endpoint}/_aws/execute-api/${match[1]}${match[2]}` : apiUrl;
}
