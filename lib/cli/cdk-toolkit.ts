import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { IIoHost, IoMessage, StackActivity, Toolkit, ICloudAssemblySource } from '@aws-cdk/toolkit-lib';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { stackNameOf } from '../aws/names.js';
import { packageRoot } from '../package-root.js';
import { compileFile } from './compile-file.js';
import type { Io } from './io.js';
import { localStackAt, unhostableExecutors } from './localstack.js';
import { eventLine } from './stack-events.js';
import { UsageError, type Invocation } from './verb.js';

/** LocalStack's fixed account (its default; any 12 digits work with test credentials). */
export const LOCALSTACK_ACCOUNT = '000000000000';

/** One pod's stack, ready for the CDK toolkit: compiled (bad input refused), named, with its AWS environment. */
export interface StackTarget {
  readonly stack: string;
  readonly toolkit: Toolkit;
  readonly assembly: ICloudAssemblySource;
  readonly endpoint?: string;
  readonly region?: string;
  cloudFormation(): Promise<CloudFormationClient>;
}

/**
 * Compiles FILE (exit 2 on bad input, before anything loads the CDK), checks that a LocalStack endpoint
 * can host its executors, and opens the CDK toolkit library on an in-process assembly of the pod's
 * stack (PodStack, with the package's feature flags), written to --cdk-out in the user's directory.
 * Progress: one stderr line per resource event, plus the toolkit's warnings and errors.
 */
export async function openStack(invocation: Invocation, verb: string, sink: ResultSink = {}): Promise<StackTarget> {
  const { io, values } = invocation;
  const compiled = await compileFile(invocation);
  const { pod } = compiled;
  const stack = stackNameOf(pod.name);
  const endpoint = (values.endpoint as string | undefined)?.replace(/\/+$/, '');
  if (endpoint !== undefined) {
    if (!/^https?:\/\/[^/]+/.test(endpoint))
      throw new UsageError(`--endpoint ${JSON.stringify(endpoint)}: not an http(s) URL`);
    const info = verb === 'deploy' ? await localStackAt(endpoint) : undefined;
    const refusal = info && unhostableExecutors(compiled, info, stack);
    if (refusal) throw new UsageError(refusal);
    pointAt(endpoint, io);
  }
  const outdir = resolve(io.cwd, (values['cdk-out'] as string | undefined) ?? 'cdk.out');

  const [{ Toolkit, MemoryContext }, { App }, { PodStack }] = await Promise.all([
    import('@aws-cdk/toolkit-lib'),
    import('aws-cdk-lib'),
    import('../aws/pod-stack.js'),
  ]);
  const toolkit = new Toolkit({ ioHost: progressHost(io, sink), color: false, emojis: false });
  const assembly = await toolkit.fromAssemblyBuilder(
    async ({ outdir: dir, context }) => {
      const app = new App({
        ...(dir !== undefined && { outdir: dir }),
        context: { ...featureFlags(), ...context },
        // Checking the template against CloudFormation's resource schemas costs 10-15 s a synth: worth
        // it before a deploy; diff and destroy create nothing.
        builtinCloudFormationValidation: verb === 'deploy',
      });
      new PodStack(app, stack, {
        compiled,
        description: `pod2sfn: ${pod.kind} ${pod.namespace}/${pod.name} (from ${compiled.source})`,
      });
      return app.synth();
    },
    // clobberEnv: false leaves process.env alone; no lookups: a pod stack is environment-agnostic.
    { outdir, clobberEnv: false, lookups: false, resolveDefaultEnvironment: false, contextStore: new MemoryContext() },
  );
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  return {
    stack,
    toolkit,
    assembly,
    ...(endpoint !== undefined && { endpoint }),
    ...(region !== undefined && { region }),
    async cloudFormation() {
      const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
      return new CloudFormationClient({ ...(endpoint !== undefined && { endpoint }) });
    },
  };
}

/**
 * The toolkit and the SDK read the AWS environment of this process: point it at the endpoint, with
 * LocalStack's test credentials and region where none are set. (The CLI's own process; nothing else runs in it.)
 */
function pointAt(endpoint: string, io: Io): void {
  const env = io.env;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID ?? 'test',
    AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY ?? 'test',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
  });
}

/** The CDK feature flags pod2sfn's stacks are tested with: the context of its cdk.json. */
function featureFlags(): Record<string, unknown> {
  return (JSON.parse(readFileSync(join(packageRoot(), 'cdk.json'), 'utf8')) as { context: Record<string, unknown> })
    .context;
}

/** Where a verb wants the toolkit's results (the diff text, for `diff`). */
export interface ResultSink {
  onResult?(message: IoMessage<unknown>): void;
}

/** Resource events as one line each, warnings and errors as they come; confirmations take their default. */
function progressHost(io: Io, sink: ResultSink): IIoHost {
  return {
    async notify(message) {
      if (message.code === 'CDK_TOOLKIT_I5502') {
        const { event, metadata, progress } = message.data as StackActivity;
        io.stderr.write(
          `${eventLine(event, metadata?.constructPath ?? event.LogicalResourceId, progress.formatted)}\n`,
        );
      } else if (message.level === 'error' || message.level === 'warn') {
        io.stderr.write(`${message.message}\n`);
      } else if (message.level === 'result') {
        sink.onResult?.(message);
      } else if (io.env.POD2SFN_DEBUG) {
        io.stderr.write(
          `${message.time.toISOString().slice(11, 23)} ${message.code ?? message.level} ${message.message}\n`,
        );
      }
    },
    async requestResponse(request) {
      return request.defaultResponse;
    },
  };
}

/** Whether the endpoint already has the CDK's bootstrap stack (bootstrapping again costs seconds). */
export async function bootstrapped(client: CloudFormationClient): Promise<boolean> {
  const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: 'CDKToolkit' }));
    return Stacks?.some((s) => s.StackStatus?.endsWith('_COMPLETE') && !s.StackStatus.startsWith('DELETE')) ?? false;
  } catch {
    return false;
  }
}
