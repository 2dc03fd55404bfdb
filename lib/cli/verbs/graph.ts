import { COMPILE_DESCRIPTIONS, COMPILE_OPTIONS } from '../flags.js';
import type { LazyVerb } from '../verb.js';

export const verb: LazyVerb = {
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
  implementation: () => import('../actions/graph.js'),
};
