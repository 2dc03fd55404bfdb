import { COMPILE_DESCRIPTIONS, COMPILE_OPTIONS } from '../flags.js';
import type { LazyVerb } from '../verb.js';

export const verb: LazyVerb = {
  name: 'validate',
  summary: 'Check a pod spec. Exit 0 when pod2sfn can run it (warnings on stderr), 2 with one error a line.',
  usage: 'pod2sfn validate FILE [--name NAME] [--executor lambda|ecs|activity]',
  options: COMPILE_OPTIONS,
  descriptions: COMPILE_DESCRIPTIONS,
  details: 'Errors read as kubectl prints them: FILE: spec.initContainers[1].image: Required value',
  implementation: () => import('../actions/validate.js'),
};
