import { definitionJson } from '../../compile.js';
import { EXIT } from '../io.js';
import { COMPILE_DESCRIPTIONS, COMPILE_OPTIONS, compileFile } from '../compile-file.js';
import { outputFormat, render } from '../output.js';
import type { Verb } from '../verb.js';

export const verb: Verb = {
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
  async run(invocation) {
    const format = outputFormat(invocation.values.output);
    // The JSON text that deploys (placeholders as `${Key}`, a user's `${` escaped); YAML is read back from it.
    const json = definitionJson(await compileFile(invocation));
    invocation.io.stdout.write(format === 'json' ? json : render(JSON.parse(json), format));
    return EXIT.ok;
  },
};
