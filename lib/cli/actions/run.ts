import { error, DiagnosticError, type Diagnostic, type PathSegment } from '../../diagnostics.js';
import type { Compiled } from '../../compile.js';
import { dockerAvailable, dockerRuntime } from '../../local/docker.js';
import { hostRuntime } from '../../local/host.js';
import { runPod } from '../../local/run-pod.js';
import { RUNTIMES, type ContainerRuntime, type RuntimeName } from '../../local/runtime.js';
import type { ValueSource } from '../../runner/index.js';
import type { Step } from '../../model/workflow.js';
import { jobSpecOf } from '../../status/job.js';
import { compileFile } from '../compile-file.js';
import { EXIT } from '../io.js';
import { LiveView } from '../live.js';
import { valuesFromFlags } from '../local-values.js';
import { outputFormat, render, type OutputFormat } from '../output.js';
import { timelineRequest, writeTimeline } from '../timeline.js';
import { UsageError, type Invocation } from '../verb.js';

/** `pod2sfn run` (its flags and help: lib/cli/verbs/run.ts). */
export async function run(invocation: Invocation): Promise<number> {
  const { io, values: flags } = invocation;
  const format = flags.output === undefined ? undefined : outputFormat(flags.output);
  const timeline = timelineRequest(invocation, format !== undefined);
  if (flags.watch === true && !format) {
    throw new UsageError('-w needs -o json|yaml: without it, run prints kubectl get pod -w lines already');
  }
  const backoffScale = parseScale(flags['backoff-scale']);
  const runtimeName = parseRuntime(flags.runtime);
  const values = valuesFromFlags(flags, io.cwd);
  const compiled = await compileFile(invocation, invocation.io, 'local');
  const name = runtimeName ?? (dockerAvailable() ? 'docker' : 'host');
  await preflight(compiled, values, name);

  const execution = `${compiled.workflow.name}-${Date.now().toString(36)}`.slice(0, 80);
  const runtime: ContainerRuntime =
    name === 'docker'
      ? await dockerRuntime(values, compiled.workflow.namespace, execution)
      : await hostRuntime(values, compiled.workflow.namespace);
  const specs = { pod: compiled.pod.spec, job: jobSpecOf(compiled.pod.kind, compiled.pod.object) };
  const view = new LiveView(compiled.workflow, format ? io.stderr : io.stdout, flags.quiet === true, specs);
  const watch = format && flags.watch === true ? watcher(format, (text) => io.stdout.write(text)) : undefined;
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  // A closed terminal (SIGHUP) stops the run as Ctrl-C and SIGTERM do: containers stopped, run dir removed.
  const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  let result;
  try {
    result = await runPod(compiled, {
      runtime,
      values,
      backoffScale,
      interrupt: interrupt.signal,
      output: (container) => view.output(container),
      onEvent: (event) => {
        view.onEvent(event);
        watch?.(view.object());
      },
      execution,
    });
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    await runtime.close();
  }
  view.finish(new Date());
  if (format && !watch) io.stdout.write(render(view.object(), format));
  if (timeline) await writeTimeline(timeline, compiled.workflow, result.events, new Date(), io);
  return result.interrupted ? EXIT.interrupted : result.phase === 'Succeeded' ? EXIT.ok : EXIT.podFailed;
}

/** Prints the object whenever it changed: one JSON document after another, or YAML documents. */
function watcher(format: OutputFormat, write: (text: string) => void): (object: unknown) => void {
  let last = '';
  return (object) => {
    const text = render(object, format);
    if (text === last) return;
    write(last !== '' && format === 'yaml' ? `---\n${text}` : text);
    last = text;
  };
}

function parseScale(value: unknown): number {
  if (value === undefined) return 1;
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1)
    throw new UsageError(`--backoff-scale ${JSON.stringify(value)}: use a number greater than 0 and at most 1`);
  return scale;
}

function parseRuntime(value: unknown): RuntimeName | undefined {
  if (value === undefined) return undefined;
  if (!(RUNTIMES as readonly unknown[]).includes(value))
    throw new UsageError(`unknown runtime ${JSON.stringify(value)}: use ${RUNTIMES.join(' or ')}`);
  return value as RuntimeName;
}

/**
 * Everything the run will need and the user must supply, checked before anything starts: a missing
 * Secret key is exit 2 with the field that needs it, not a pod stuck in CreateContainerConfigError.
 */
async function preflight(
  compiled: Compiled & { source: string },
  values: ValueSource,
  runtime: RuntimeName,
): Promise<void> {
  const { workflow, pod } = compiled;
  const diagnostics: Diagnostic[] = [];
  const where = (step: Step): PathSegment[] => [
    ...pod.specPath,
    step.role === 'app' ? 'containers' : 'initContainers',
    step.index,
  ];
  const hint = (kind: string, name: string, key?: string, variable?: string) =>
    `${kind} "${name}"${key === undefined ? '' : ` key "${key}"`} not found: ` +
    `give it with ${variable ? `--values-file (${variable}=...) or ` : ''}` +
    `--secrets-dir DIR (DIR/${name}${key === undefined ? '/<key>' : `/${key}`})`;
  for (const step of [...workflow.init, ...workflow.app]) {
    const c = step.container;
    if (runtime === 'host' && c.command.length === 0) {
      diagnostics.push(
        error(
          [...where(step), 'command'],
          "Required value: the host runtime cannot read an image's entrypoint; set command, or use --runtime docker",
        ),
      );
    }
    for (const [i, env] of c.env.entries()) {
      if (!('secretKeyRef' in env) && !('configMapKeyRef' in env)) continue;
      const [kind, ref, field] =
        'secretKeyRef' in env
          ? (['Secret', env.secretKeyRef, 'secretKeyRef'] as const)
          : (['ConfigMap', env.configMapKeyRef, 'configMapKeyRef'] as const);
      if (ref.optional || values.forVariable?.(env.name) !== undefined) continue;
      const data = await values.read(field === 'secretKeyRef' ? 'secret' : 'configMap', workflow.namespace, ref.name);
      if (data?.[ref.key] === undefined)
        diagnostics.push(
          error([...where(step), 'env', i, 'valueFrom', field], hint(kind, ref.name, ref.key, env.name)),
        );
    }
    for (const [i, from] of c.envFrom.entries()) {
      if (from.optional || (await values.read(from.kind, workflow.namespace, from.name)) !== undefined) continue;
      diagnostics.push(
        error([...where(step), 'envFrom', i], hint(from.kind === 'secret' ? 'Secret' : 'ConfigMap', from.name)),
      );
    }
  }
  for (const [i, volume] of workflow.volumes.entries()) {
    if ((volume.kind !== 'secret' && volume.kind !== 'configMap') || volume.optional) continue;
    if ((await values.read(volume.kind, workflow.namespace, volume.source!)) === undefined) {
      diagnostics.push(
        error([...pod.specPath, 'volumes', i], hint(volume.kind === 'secret' ? 'Secret' : 'ConfigMap', volume.source!)),
      );
    }
  }
  if (diagnostics.length > 0) throw new DiagnosticError(diagnostics, compiled.source);
}
