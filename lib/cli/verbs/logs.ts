import { RUN_DESCRIPTIONS, RUN_OPTIONS } from '../flags.js';
import type { LazyVerb } from '../verb.js';

export const verb: LazyVerb = {
  name: 'logs',
  summary: "Print a container's logs of a deployed run (kubectl logs), from CloudWatch Logs.",
  usage:
    'pod2sfn logs RUN [--file FILE | --stack NAME] [-c CONTAINER | --all-containers] [-f] [-p|--previous] ' +
    '[--prefix] [--since DURATION] [--log-group NAME]',
  options: {
    // -f is kubectl logs' --follow: the spec file is --file here.
    ...RUN_OPTIONS,
    file: { type: 'string' },
    container: { type: 'string', short: 'c' },
    'all-containers': { type: 'boolean' },
    follow: { type: 'boolean', short: 'f' },
    previous: { type: 'boolean', short: 'p' },
    prefix: { type: 'boolean' },
    since: { type: 'string' },
    'log-group': { type: 'string' },
  },
  descriptions: {
    ...RUN_DESCRIPTIONS,
    container: 'the container (required when the pod has several, unless --all-containers)',
    'all-containers': "every container's logs, init containers first",
    follow: 'keep printing new lines until the run ends',
    previous: 'the attempt before the last restart',
    prefix: 'start each line with [pod/<run>/<container>]',
    since: 'only lines newer than this, e.g. 10s, 5m, 1h30m',
    'log-group': "where agents ship the activity executor's output (default: the stack's log group)",
  },
  details:
    "Reads the Lambda runner's log group, ECS's awslogs streams and the log group `pod2sfn agent` ships\n" +
    'to (docs/agent.md). Uses the usual AWS environment and AWS_ENDPOINT_URL (LocalStack).',
  implementation: () => import('../actions/logs.js'),
};
