import { printable } from '../../diagnostics.js';
import { EXIT } from '../io.js';
import { compileFile } from '../compile-file.js';
import type { Invocation } from '../verb.js';

/** `pod2sfn validate` (its flags and help: lib/cli/verbs/validate.ts). */
export async function run(invocation: Invocation): Promise<number> {
  const { source, workflow } = await compileFile(invocation);
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const sidecars = workflow.init.filter((s) => s.role === 'sidecar').length;
  const executors = [...new Set([...workflow.init, ...workflow.app].map((s) => s.executor))].join(', ');
  const summary =
    `${source}: ${workflow.kind.toLowerCase()}/${workflow.name} is ` +
    `valid: ${count(workflow.init.length - sidecars, 'init container')}, ` +
    `${sidecars > 0 ? `${count(sidecars, 'sidecar')}, ` : ''}` +
    `${count(workflow.app.length, 'container')}; executor ${executors}`;
  invocation.io.stdout.write(`${printable(summary)}\n`);
  return EXIT.ok;
}
