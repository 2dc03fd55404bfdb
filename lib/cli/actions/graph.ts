import { DIAGRAM_FORMATS, diagram, type DiagramFormat } from '../../asl/diagram.js';
import { podDiagram } from '../../asl/pod-diagram.js';
import { EXIT } from '../io.js';
import { compileFile } from '../compile-file.js';
import { UsageError, type Invocation } from '../verb.js';

const VIEWS = ['state', 'pod'] as const;
type View = (typeof VIEWS)[number];

/** `pod2sfn graph` (its flags and help: lib/cli/verbs/graph.ts). */
export async function run(invocation: Invocation): Promise<number> {
  const format = (invocation.values.format ?? 'mermaid') as DiagramFormat;
  if (!DIAGRAM_FORMATS.includes(format))
    throw new UsageError(`unknown format ${JSON.stringify(format)}: use ${DIAGRAM_FORMATS.join(' or ')}`);
  const view = (invocation.values.view ?? 'state') as View;
  if (!VIEWS.includes(view)) throw new UsageError(`unknown view ${JSON.stringify(view)}: use ${VIEWS.join(' or ')}`);
  const { definition, workflow } = await compileFile(invocation);
  invocation.io.stdout.write(view === 'pod' ? podDiagram(workflow, format) : diagram(definition, format));
  return EXIT.ok;
}
