import { COMPILE_DESCRIPTIONS, COMPILE_OPTIONS } from '../flags.js';
import type { LazyVerb } from '../verb.js';

export const verb: LazyVerb = {
  name: 'synth',
  summary: 'Print the Amazon States Language definition a pod spec compiles to: what runs locally and what deploys.',
  usage: 'pod2sfn synth FILE [--executor lambda|ecs|activity] [-o json|yaml] [--name NAME]',
  options: { ...COMPILE_OPTIONS, output: { type: 'string', short: 'o' } },
  descriptions: { ...COMPILE_DESCRIPTIONS, output: 'json (default) or yaml' },
  details:
    'Task resources hold ${Placeholders} that `cdk deploy` fills through definitionSubstitutions:\n' +
    'Lambda_<container>, TaskDefinition_<container>, Activity_<container>, EcsCluster, EcsSubnets, ...\n' +
    'A ${ of your own (shell ${VAR}) is written \\u0024{: JSON ' +
    'reads it back unchanged, and no substitution matches it.',
  implementation: () => import('../actions/synth.js'),
};
