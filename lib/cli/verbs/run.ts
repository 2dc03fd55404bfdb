import {
  COMPILE_DESCRIPTIONS,
  COMPILE_OPTIONS,
  TIMELINE_DESCRIPTIONS,
  TIMELINE_OPTIONAL_VALUES,
  TIMELINE_OPTIONS,
  VALUES_DESCRIPTIONS,
  VALUES_OPTIONS,
} from '../flags.js';
import type { LazyVerb } from '../verb.js';

export const verb: LazyVerb = {
  name: 'run',
  summary:
    'Run a pod spec on this machine: the same state machine synth prints, on an embedded engine, with real processes.',
  usage:
    'pod2sfn run FILE [--runtime host|docker] [--backoff-scale F] [--values-file FILE] [--secrets-dir DIR] ' +
    '[-o json|yaml [-w]] [--quiet]',
  options: {
    ...COMPILE_OPTIONS,
    runtime: { type: 'string' },
    'backoff-scale': { type: 'string' },
    ...VALUES_OPTIONS,
    output: { type: 'string', short: 'o' },
    watch: { type: 'boolean', short: 'w' },
    quiet: { type: 'boolean', short: 'q' },
    ...TIMELINE_OPTIONS,
  },
  optionalValues: TIMELINE_OPTIONAL_VALUES,
  descriptions: {
    ...COMPILE_DESCRIPTIONS,
    runtime:
      'host (processes on this machine) or docker (the real ' +
      'images); default docker when `docker info` answers, else host',
    'backoff-scale': 'multiply every restart back-off (10 s doubling to 300 s) by F, e.g. 0.01 for tests (default 1)',
    ...VALUES_DESCRIPTIONS,
    output: 'print the whole Pod (spec and status; a Job for a Job or CronJob) as json or yaml when the run ends',
    watch: 'with -o: print the object each time its status changes, as kubectl get -w -o json|yaml does',
    quiet: 'print only the final result',
    ...TIMELINE_DESCRIPTIONS,
  },
  details:
    'Container output is printed behind a [name] prefix, and a ' +
    '`kubectl get pod -w` line each time the status changes\n' +
    '(on stderr when -o is given). Ctrl-C stops every container ' +
    '(SIGTERM, then SIGKILL after terminationGracePeriodSeconds).\n' +
    'Exit codes: 0 the pod Succeeded; 1 it Failed (DeadlineExceeded, ' +
    'a Job past its backoffLimit); 2 invalid input; 130 interrupted.',
  implementation: () => import('../actions/run.js'),
};
