import { DIAGRAM_FORMATS, diagram, type DiagramFormat } from '../../asl/diagram.js';
import { EXIT } from '../io.js';
import { COMPILE_DESCRIPTIONS, COMPILE_OPTIONS, compileFile } from '../compile-file.js';
import { UsageError, type Verb } from '../verb.js';

export const verb: Verb = {
  name: 'graph',
  summary: 'Draw the state machine a pod spec compiles to, as Mermaid (paste into Markdown) or Graphviz dot.',
  usage: 'pod2sfn graph FILE [--format mermaid|dot] [--name NAME]',
  options: { ...COMPILE_OPTIONS, format: { type: 'string' } },
  descriptions: { ...COMPILE_DESCRIPTIONS, format: 'mermaid (default) or dot' },
  details: 'In Markdown, put the Mermaid output inside a ```mermaid fence. Dashed arrows are the paths taken on an error.',
  async run(invocation) {
    const format = (invocation.values.format ?? 'mermaid') as DiagramFormat;
    if (!DIAGRAM_FORMATS.includes(format)) throw new UsageError(`unknown format ${JSON.stringify(format)}: use ${DIAGRAM_FORMATS.join(' or ')}`);
    const { definition } = await compileFile(invocation);
    invocation.io.stdout.write(diagram(definition, format));
    return EXIT.ok;
  },
};
