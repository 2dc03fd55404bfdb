import { DIAGRAM_FORMATS, diagram, type DiagramFormat } from '../../asl/diagram.js';
import { podDiagram } from '../../asl/pod-diagram.js';
import { EXIT } from '../io.js';
import { COMPILE_DESCRIPTIONS, COMPILE_OPTIONS, compileFile } from '../compile-file.js';
import { UsageError, type Verb } from '../verb.js';

const VIEWS = ['state', 'pod'] as const;
type View = (typeof VIEWS)[number];

export const verb: Verb = {
  name: 'graph',
  summary: 'Draw the state machine a pod spec compiles to, or the pod, as Mermaid (for Markdown) or Graphviz dot.',
  usage: 'pod2sfn graph FILE [--view state|pod] [--format mermaid|dot] [--name NAME]',
  options: { ...COMPILE_OPTIONS, format: { type: 'string' }, view: { type: 'string' } },
  descriptions: {
    ...COMPILE_DESCRIPTIONS,
    format: 'mermaid (default) or dot',
    view: 'state (default): every state; pod: the containers in order, sidecars beside, app containers side by side',
  },
  details:
    'In Markdown, put the Mermaid output inside a ```mermaid fence. In the state view, dashed arrows are the\n' +
    "paths taken on an error, and a Choice's arrows say their condition, numbered when the first match of several\n" +
    'wins. In the pod view, a dashed arrow starts a sidecar.',
  async run(invocation) {
    const format = (invocation.values.format ?? 'mermaid') as DiagramFormat;
    if (!DIAGRAM_FORMATS.includes(format))
      throw new UsageError(`unknown format ${JSON.stringify(format)}: use ${DIAGRAM_FORMATS.join(' or ')}`);
    const view = (invocation.values.view ?? 'state') as View;
    if (!VIEWS.includes(view)) throw new UsageError(`unknown view ${JSON.stringify(view)}: use ${VIEWS.join(' or ')}`);
    const { definition, workflow } = await compileFile(invocation);
    invocation.io.stdout.write(view === 'pod' ? podDiagram(workflow, format) : diagram(definition, format));
    return EXIT.ok;
  },
};
