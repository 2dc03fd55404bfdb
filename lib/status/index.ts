/**
 * pod2sfn's status library: PodEvents → a Pod status as a kubelet writes it, and the columns kubectl
 * prints for any core/v1 Pod or batch/v1 Job.
 *
 * ```ts
 * import { printPod } from 'pod2sfn';
 * const pod = JSON.parse(execSync('kubectl get pod web -o json', { encoding: 'utf8' }));
 * const { cells } = printPod(pod); // ['web', '1/1', 'Running', '0', '5m']: NAME READY STATUS RESTARTS AGE
 * ```
 */
export type * from './core-v1.js';
export { humanDuration, shortHumanDuration } from './duration.js';
export type { PodEvent } from './events.js';
export { jobObject } from './job.js';
export {
  formatLabelSelector,
  JOB_COLUMNS,
  POD_COLUMNS,
  POD_WIDE_COLUMNS,
  printJob,
  printJobList,
  printPod,
  printPodList,
  translateTimestampSince,
  translateTimestampUntil,
  type PrintOptions,
  type TableRow,
  type TableRowCondition,
} from './kubectl.js';
export { podOutcome, type PodOutcome, type RunEnding } from './outcome.js';
export { podObject, runObject } from './pod-object.js';
export { podStatus, PodStatusTracker, type PodStatus as MappedPodStatus } from './pod-status.js';
