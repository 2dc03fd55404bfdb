import { COMPILE_DESCRIPTIONS, COMPILE_OPTIONS } from '../flags.js';
import type { LazyVerb } from '../verb.js';

export const verb: LazyVerb = {
  name: 'start',
  summary: 'Start a run of a deployed pod (cdk deploy): through Step Functions, or through the runs API.',
  usage: 'pod2sfn start FILE | --state-machine ARN | --api URL [--run-name NAME] [--input JSON] [--api-key KEY]',
  options: {
    ...COMPILE_OPTIONS,
    'state-machine': { type: 'string' },
    api: { type: 'string' },
    'api-key': { type: 'string' },
    'run-name': { type: 'string' },
    input: { type: 'string' },
  },
  descriptions: {
    ...COMPILE_DESCRIPTIONS,
    'state-machine': 'the state machine ARN (instead of FILE)',
    api: "the stack's ApiUrl output (…/runs): POST signed with SigV4, or with --api-key",
    'api-key': 'for a stack deployed with -c auth=apiKey',
    'run-name':
      'the execution name: the idempotency key (a second start with the same name and input returns the same run)',
    input: 'the execution input, a JSON object (default {})',
  },
  details:
    'FILE finds the state machine the stack made for it (pod2sfn-<namespace>-<name>).\n' +
    'Uses the usual AWS environment (AWS_PROFILE, AWS_REGION, ...) and AWS_ENDPOINT_URL (LocalStack).\n' +
    'Prints the execution ARN; follow it with `pod2sfn status ARN -w`.',
  implementation: () => import('../actions/start.js'),
};
