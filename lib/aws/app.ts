import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { compile } from '../compile.js';
import { formatDiagnostic } from '../diagnostics.js';
import { parseExecutor } from '../model/executor.js';
import { stackNameOf } from './names.js';
import { PodStack } from './pod-stack.js';
import type { RunsApiAuthorization } from './pod-runs-api.js';

export const USAGE = 'npx cdk synth|deploy -c spec=FILE[,FILE...] [-c executor=lambda|ecs|activity] [-c auth=iam|apiKey] [-c tracing=true]';

/**
 * The stacks of `cdk synth|deploy -c spec=a.yaml,b.yaml`: one per spec, named after its metadata.name.
 * Other context: `executor` (default executor), `auth` (iam|apiKey), `tracing` (true|false).
 */
export function addPodStacks(app: App, cwd: string = process.cwd()): PodStack[] {
  const files = listContext(app.node.tryGetContext('spec'));
  if (files.length === 0) throw new Error(`pod2sfn: which pod? ${USAGE}`);
  const executorName = app.node.tryGetContext('executor') as string | undefined;
  const executor = executorName === undefined ? undefined : parseExecutor(executorName);
  if (executorName !== undefined && !executor) throw new Error(`pod2sfn: unknown executor ${JSON.stringify(executorName)}: use lambda, ecs or activity`);
  const auth = (app.node.tryGetContext('auth') as string | undefined) ?? 'iam';
  if (auth !== 'iam' && auth !== 'apiKey') throw new Error(`pod2sfn: unknown auth ${JSON.stringify(auth)}: use iam or apiKey`);
  const tracing = String(app.node.tryGetContext('tracing') ?? 'false') === 'true';

  const stacks: PodStack[] = [];
  for (const file of files) {
    const text = readFileSync(resolve(cwd, file), 'utf8');
    const result = compile(text, executor ? { executor } : {});
    if (!result.compiled) {
      const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `  ${formatDiagnostic(d, file)}`);
      throw new Error(`pod2sfn: ${file} does not compile:\n${errors.join('\n')}`);
    }
    const stackName = stackNameOf(result.compiled.pod.name);
    if (app.node.tryFindChild(stackName)) throw new Error(`pod2sfn: two specs are named ${JSON.stringify(stackName)}; stack names come from metadata.name`);
    stacks.push(
      new PodStack(app, stackName, {
        compiled: result.compiled,
        description: `pod2sfn: ${result.compiled.pod.kind} ${result.compiled.pod.namespace}/${result.compiled.pod.name} (from ${file})`,
        authorization: auth as RunsApiAuthorization,
        tracing,
      }),
    );
  }
  return stacks;
}

function listContext(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}
