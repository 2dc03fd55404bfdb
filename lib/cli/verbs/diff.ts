import { STACK_DESCRIPTIONS, STACK_OPTIONS } from '../flags.js';
import type { LazyVerb } from '../verb.js';

export const verb: LazyVerb = {
  name: 'diff',
  summary: "Show what `pod2sfn deploy FILE` would change in the pod's deployed stack.",
  usage: 'pod2sfn diff FILE [--endpoint URL] [--executor lambda|ecs|activity] [--cdk-out DIR]',
  options: STACK_OPTIONS,
  descriptions: STACK_DESCRIPTIONS,
  details:
    "Compares the stack FILE compiles to with the deployed stack's template (a stack not yet deployed: against\n" +
    'nothing). The differences go to stdout. Exit codes, as `kubectl diff`: 0 no differences, 1 differences,\n' +
    '2 invalid input or usage, 70 the comparison failed (AWS credentials, network).',
  implementation: () => import('../actions/diff.js'),
};
