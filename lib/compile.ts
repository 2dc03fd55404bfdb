import { hasErrors, type Diagnostic } from './diagnostics.js';
import { emit, type Emitted } from './asl/emit.js';
import { definitionText } from './asl/substitutions.js';
import { limitDiagnostics } from './model/limits.js';
import { plan, type PlanOptions } from './model/plan.js';
import type { Workflow } from './model/workflow.js';
import { loadPod, type LoadedPod, type LoadOptions } from './manifest/index.js';

export interface CompileOptions extends LoadOptions, PlanOptions {
  /**
   * `local`: the pod runs on this machine (`pod2sfn run`), so a stack CloudFormation would refuse is a
   * warning; Step Functions' own limits stay errors, as the same definition runs. @default 'deploy'
   */
  readonly target?: 'deploy' | 'local';
}

export interface Compiled extends Emitted {
  readonly pod: LoadedPod;
  readonly workflow: Workflow;
}

export interface CompileResult {
  /** Present when there is no error. */
  readonly compiled?: Compiled;
  readonly diagnostics: readonly Diagnostic[];
}

/** Spec text → validated pod → Workflow → ASL: the one pipeline every verb and the CDK stack share. */
export function compile(text: string, options: CompileOptions = {}): CompileResult {
  const loaded = loadPod(text, options);
  if (!loaded.pod) return { diagnostics: loaded.diagnostics };
  const planned = plan(loaded.pod, options);
  const diagnostics = [...loaded.diagnostics, ...planned.diagnostics];
  if (!planned.workflow || hasErrors(diagnostics)) return { diagnostics };
  const emitted = emit(planned.workflow);
  // What validates deploys: Step Functions' and CloudFormation's limits, checked on the text that deploys.
  const limits = limitDiagnostics(planned.workflow, definitionText(emitted.definition), loaded.pod.specPath, {
    stack: options.target === 'local' ? 'warning' : 'error',
  });
  const all = [...diagnostics, ...limits];
  if (hasErrors(limits)) return { diagnostics: all };
  return { compiled: { pod: loaded.pod, workflow: planned.workflow, ...emitted }, diagnostics: all };
}

/**
 * The definition's JSON text, stable key order (see definitionText): `compact` as it deploys (what the
 * limits are measured on), `indented` as `pod2sfn synth` prints it. @default 'compact'
 */
export function definitionJson(
  compiled: Pick<Emitted, 'definition'>,
  layout: Parameters<typeof definitionText>[1] = 'compact',
): string {
  return definitionText(compiled.definition, layout);
}
