import { STACK_DESCRIPTIONS, STACK_OPTIONS } from '../flags.js';
import type { LazyVerb } from '../verb.js';

export const verb: LazyVerb = {
  name: 'deploy',
  summary:
    'Deploy a pod spec as one CloudFormation stack, on AWS or on LocalStack with --endpoint; prints the runs API URL.',
  usage: 'pod2sfn deploy FILE [--endpoint URL] [--executor lambda|ecs|activity] [--cdk-out DIR] [-o json|yaml]',
  options: { ...STACK_OPTIONS, output: { type: 'string', short: 'o' } },
  descriptions: { ...STACK_DESCRIPTIONS, output: 'print every stack output as json or yaml instead of the API URL' },
  details:
    'Drives the CDK toolkit library in this process: no cdk.json, no CDK CLI. Uses the usual AWS environment\n' +
    '(AWS_PROFILE, AWS_REGION, ...). On AWS, bootstrap the account and region once first (`npx aws-cdk bootstrap`);\n' +
    'an --endpoint is bootstrapped when it is not yet. A LocalStack that cannot run an executor (Lambda, ECS in\n' +
    'host mode) is refused before anything is created. Progress (one line per resource event) goes to stderr;\n' +
    'stdout gets the runs API URL (POST {"name","input"} to start a run).\n' +
    'Remove the stack with `pod2sfn destroy FILE`.',
  implementation: () => import('../actions/deploy.js'),
};
