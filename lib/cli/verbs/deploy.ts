import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stackNameOf } from '../../aws/names.js';
import { packageRoot } from '../../package-root.js';
import { COMPILE_DESCRIPTIONS, COMPILE_OPTIONS, compileFile } from '../compile-file.js';
import { EXIT, type Io } from '../io.js';
import { outputFormat, render } from '../output.js';
import type { Verb } from '../verb.js';

/** LocalStack's fixed account (its default; any 12 digits work with test credentials). */
const LOCALSTACK_ACCOUNT = '000000000000';

export const verb: Verb = {
  name: 'deploy',
  summary: 'Deploy a pod spec with `cdk deploy` (one stack), on AWS or on LocalStack with --endpoint; prints the runs API URL.',
  usage: 'pod2sfn deploy FILE [--endpoint URL] [--executor lambda|ecs|activity] [-o json|yaml]',
  options: { ...COMPILE_OPTIONS, endpoint: { type: 'string' }, output: { type: 'string', short: 'o' } },
  descriptions: {
    ...COMPILE_DESCRIPTIONS,
    endpoint: 'an AWS-compatible endpoint such as LocalStack (http://127.0.0.1:4566): bootstraps it, deploys there with test credentials unless AWS_* say otherwise',
    output: 'print every stack output as json or yaml instead of the API URL',
  },
  details:
    'Uses the usual AWS environment. On AWS, run `npx cdk bootstrap` once per account and region first.\n' +
    'cdk progress goes to stderr; stdout gets the runs API URL (POST {"name","input"} to start a run).',
  async run(invocation) {
    const { io, values } = invocation;
    const format = values.output === undefined ? undefined : outputFormat(values.output);
    // Refuse bad input before starting the CDK: exit 2 with the usual diagnostics.
    const compiled = await compileFile(invocation);
    const endpoint = (values.endpoint as string | undefined)?.replace(/\/+$/, '');
    const env = awsEnvironment(io, endpoint);
    const cdk = cdkCli();
    const root = packageRoot();
    const specPath = resolve(io.cwd, invocation.positionals[0]!);
    const stack = stackNameOf(compiled.pod.name);

    if (endpoint !== undefined && !(await bootstrapped(env))) {
      const region = env.AWS_REGION!;
      const code = await pipe(process.execPath, [cdk, 'bootstrap', `aws://${LOCALSTACK_ACCOUNT}/${region}`, '--no-notices', '-c', `spec=${specPath}`], root, env, io);
      if (code !== 0) throw new Error(`cdk bootstrap failed against ${endpoint} (exit ${code})`);
    }
    const outputs = mkdtempSync(join(tmpdir(), 'pod2sfn-deploy-'));
    try {
      const outputsFile = join(outputs, 'outputs.json');
      const args = [cdk, 'deploy', stack, '-c', `spec=${specPath}`, '--require-approval', 'never', '--no-notices', '--outputs-file', outputsFile];
      if (values.executor !== undefined) args.push('-c', `executor=${String(values.executor)}`);
      const code = await pipe(process.execPath, args, root, env, io);
      if (code !== 0) throw new Error(`cdk deploy of ${stack} failed (exit ${code}); its messages are above`);
      const all = JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, Record<string, string>>;
      const stackOutputs = { ...all[stack] };
      if (endpoint !== undefined && stackOutputs.ApiUrl) stackOutputs.ApiUrl = localApiUrl(stackOutputs.ApiUrl, endpoint);
      io.stdout.write(format ? render({ stack, ...stackOutputs }, format) : `${stackOutputs.ApiUrl ?? ''}\n`);
      return EXIT.ok;
    } finally {
      rmSync(outputs, { recursive: true, force: true });
    }
  },
};

/** The environment the CDK CLI gets: the caller's, pointed at the endpoint when one is given. */
function awsEnvironment(io: Io, endpoint: string | undefined): Record<string, string> {
  const env = Object.fromEntries(Object.entries(io.env).filter((e): e is [string, string] => e[1] !== undefined));
  env.CDK_DISABLE_CLI_TELEMETRY ??= 'true';
  if (endpoint === undefined) return env;
  return {
    ...env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID ?? 'test',
    AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY ?? 'test',
    AWS_REGION: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    AWS_DEFAULT_REGION: env.AWS_DEFAULT_REGION ?? env.AWS_REGION ?? 'us-east-1',
  };
}

/**
 * LocalStack serves every API under one host: https://<id>.execute-api.<region>.amazonaws.com/<stage>/runs
 * becomes <endpoint>/_aws/execute-api/<id>/<stage>/runs (docs/design.md §5).
 */
export function localApiUrl(apiUrl: string, endpoint: string): string {
  // Not `new URL`: LocalStack's host, <id>.execute-api.127.0.0.1:4566, ends like an IPv4 address.
  const match = /^https?:\/\/([^./]+)\.execute-api\.[^/]+(\/.*)$/.exec(apiUrl);
  return match ? `${endpoint}/_aws/execute-api/${match[1]}${match[2]}` : apiUrl;
}

/** Whether the endpoint already has the CDK's bootstrap stack (bootstrapping again costs seconds). */
async function bootstrapped(env: Record<string, string>): Promise<boolean> {
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const client = new CloudFormationClient({
    endpoint: env.AWS_ENDPOINT_URL!,
    region: env.AWS_REGION!,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY!, ...(env.AWS_SESSION_TOKEN && { sessionToken: env.AWS_SESSION_TOKEN }) },
  });
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: 'CDKToolkit' }));
    return Stacks?.some((s) => s.StackStatus?.endsWith('_COMPLETE') && !s.StackStatus.startsWith('DELETE')) ?? false;
  } catch {
    return false;
  }
}

function cdkCli(): string {
  return createRequire(join(packageRoot(), 'package.json')).resolve('aws-cdk/bin/cdk');
}

/** Runs a command with its output on our stderr (stdout is for the result); resolves its exit code. */
function pipe(command: string, args: readonly string[], cwd: string, env: Record<string, string>, io: Io): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => io.stderr.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise(code ?? (signal ? 128 : 1)));
  });
}
