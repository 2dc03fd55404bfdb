import {
  RUN_DESCRIPTIONS,
  RUN_OPTIONS,
  TIMELINE_DESCRIPTIONS,
  TIMELINE_OPTIONAL_VALUES,
  TIMELINE_OPTIONS,
} from '../flags.js';
import type { LazyVerb } from '../verb.js';

export const verb: LazyVerb = {
  name: 'status',
  summary: 'Print the Pod status of a deployed run, from its Step Functions execution history.',
  usage: 'pod2sfn status (EXECUTION_ARN | RUN -f FILE | RUN --stack NAME | RUN --api URL) [-w] [-o json|yaml]',
  options: {
    ...RUN_OPTIONS,
    watch: { type: 'boolean', short: 'w' },
    output: { type: 'string', short: 'o' },
    ...TIMELINE_OPTIONS,
  },
  optionalValues: TIMELINE_OPTIONAL_VALUES,
  descriptions: {
    ...RUN_DESCRIPTIONS,
    watch: 'print again on every change until the run ends (kubectl get pod -w)',
    output: 'print the whole Pod object as json or yaml (default: the kubectl get pod line)',
    ...TIMELINE_DESCRIPTIONS,
  },
  details: 'Exit code 1 when the run failed. Uses the usual AWS environment and AWS_ENDPOINT_URL (LocalStack).',
  implementation: () => import('../actions/status.js'),
};
