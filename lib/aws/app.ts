import type { Writable } from 'node:stream';
import type { App } from 'aws-cdk-lib';
import { compile } from '../compile.js';
import { DiagnosticError, error, formatDiagnostic } from '../diagnostics.js';
import { readSpecFile } from '../cli/input.js';
import { parseExecutor } from '../model/executor.js';
import { stackNameOf } from './names.js';
import { PodStack } from './pod-stack.js';
import type { RunsApiAuthorization } from './pod-runs-api.js';

export const USAGE =
  'npx cdk synth|deploy -c spec=FILE[,FILE...] [-c ' +
  'executor=lambda|ecs|activity] [-c auth=iam|apiKey] [-c tracing=true]';

/**
 * bin/app.ts: adds the stacks, or prints why not the way `pod2sfn validate` does (one `FILE: path: message`
 * line per error, no stack trace) and answers false, for the app to exit 2.
 */
export function addPodStacksOrReport(
  app: App,
  stderr: Writable = process.stderr,
  cwd: string = process.cwd(),
): boolean {
  try {
    addPodStacks(app, cwd);
    return true;
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    for (const d of e.diagnostics) stderr.write(`${formatDiagnostic(d, e.source)}\n`);
    return false;
  }
}

/**
 * The stacks of `cdk synth|deploy -c spec=a.yaml,b.yaml`: one per spec, named after its metadata.name.
 * Other context: `executor` (default executor), `auth` (iam|apiKey), `tracing` (true|false).
 * Bad context or a spec that does not compile throws a DiagnosticError.
 */
export function addPodStacks(app: App, cwd: string = process.cwd()): PodStack[] {
  const usage = (message: string) => new DiagnosticError([error([], `pod2sfn: ${message}`)]);
  const files = listContext(app.node.tryGetContext('spec'));
  if (files.length === 0) throw usage(`which pod? ${USAGE}`);
  const executorName = app.node.tryGetContext('executor') as string | undefined;
  const executor = executorName === undefined ? undefined : parseExecutor(executorName);
  if (executorName !== undefined && !executor)
    throw usage(`unknown executor ${JSON.stringify(executorName)}: use lambda, ecs or activity`);
  const auth = (app.node.tryGetContext('auth') as string | undefined) ?? 'iam';
  if (auth !== 'iam' && auth !== 'apiKey') throw usage(`unknown auth ${JSON.stringify(auth)}: use iam or apiKey`);
  const tracing = String(app.node.tryGetContext('tracing') ?? 'false') === 'true';

  const stacks: PodStack[] = [];
  for (const file of files) {
    const result = compile(readSpecFile(file, cwd), executor ? { executor } : {});
    if (!result.compiled)
      throw new DiagnosticError(
        result.diagnostics.filter((d) => d.severity === 'error'),
        file,
      );
    const stackName = stackNameOf(result.compiled.pod.name);
    if (app.node.tryFindChild(stackName))
      throw usage(`two specs are named ${JSON.stringify(stackName)}; stack names come from metadata.name`);
    stacks.push(
      new PodStack(app, stackName, {
        compiled: result.compiled,
        description:
          `pod2sfn: ${result.compiled.pod.kind} ${result.compiled.pod.namespace}` +
          `/${result.compiled.pod.name} (from ${file})`,
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
