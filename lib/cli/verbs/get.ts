import { RUN_DESCRIPTIONS, RUN_OPTIONS } from '../flags.js';
import type { LazyVerb } from '../verb.js';

export const verb: LazyVerb = {
  name: 'get',
  summary: 'List the runs of a deployed pod as kubectl get pods lists pods: one row per execution, newest first.',
  usage: 'pod2sfn get pods [FILE | --stack NAME | --api URL] [-o wide|json|yaml|name] [-w]',
  options: {
    ...RUN_OPTIONS,
    output: { type: 'string', short: 'o' },
    watch: { type: 'boolean', short: 'w' },
  },
  descriptions: {
    ...RUN_DESCRIPTIONS,
    output: 'wide (adds EXECUTOR and EXECUTION ARN), json or yaml (a kind: List of Pods), name (pod/<run>)',
    watch: 'after the list, print each run that starts or changes (kubectl get pods -w)',
  },
  details:
    'NAME is the run name (the execution name): give it to status, describe, delete and logs with the same\n' +
    'FILE, --stack or --api. Uses the usual AWS environment and AWS_ENDPOINT_URL (LocalStack).',
  implementation: () => import('../actions/get.js'),
};
