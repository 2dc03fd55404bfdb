import { printable } from '../../diagnostics.js';
import { EXIT } from '../io.js';
import { COMPILE_DESCRIPTIONS, COMPILE_OPTIONS, compileFile } from '../compile-file.js';
import type { Verb } from '../verb.js';

export const verb: Verb = {
  name: 'validate',
  summary: 'Check a pod spec. Exit 0 when pod2sfn can run it (warnings on stderr), 2 with one error a line.',
  usage: 'pod2sfn validate FILE [--name NAME] [--executor lambda|ecs|activity]',
  options: COMPILE_OPTIONS,
  descriptions: COMPILE_DESCRIPTIONS,
  details: 'Errors read as kubectl prints them: FILE: spec.initContainers[1].image: Required value',
  async run(invocation) {
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
  },
};
