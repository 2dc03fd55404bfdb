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
    'Lambda_<container>, TaskDefinition_<container>, Activity_<container>, EcsCluster, EcsSubnets, ...',
  async run(invocation) {
    const format = outputFormat(invocation.values.output);
    const { definition } = await compileFile(invocation);
    invocation.io.stdout.write(render(definition, format));
    return EXIT.ok;
  },
};
