/**
 * A Job's status as the Job controller writes it (pkg/controller/job): the pod's run read as one Job
 * run of one completion. What fails a Job (BackoffLimitExceeded, PodFailurePolicy, DeadlineExceeded)
 * is said here, on the Job; the pod keeps its own status.
 */
import type { PodShape } from '../model/pod-shape.js';
import { timestamp, type Job, type JobCondition } from './core-v1.js';
import type { PodStatusTracker } from './pod-status.js';

export function isJobKind(kind: string): boolean {
  return kind === 'Job' || kind === 'CronJob';
}

/** The batch/v1 Job of a run; `spec` is the Job's spec as written (a CronJob's jobTemplate.spec). */
export function jobObject(shape: PodShape, pod: PodStatusTracker, spec?: Job['spec']): Job {
  const finished = pod.finished;
  const status = pod.status;
  const at = finished && timestamp(finished.at);
  const condition = (type: string, reason: string, message: string): JobCondition => ({
    type,
    status: 'True',
    lastProbeTime: at!,
    lastTransitionTime: at!,
    reason,
    message,
  });
  const conditions: JobCondition[] = [];
  if (finished?.phase === 'Succeeded') {
    const message = 'Reached expected number of succeeded pods';
    conditions.push(
      condition('SuccessCriteriaMet', 'CompletionsReached', message),
      condition('Complete', 'CompletionsReached', message),
    );
  } else if (finished) {
    const job = finished.job ?? {
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    };
    conditions.push(condition('FailureTarget', job.reason, job.message), condition('Failed', job.reason, job.message));
  }
  const running = pod.startedAt !== undefined && !finished;
  const ready = status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: shape.name,
      namespace: shape.namespace,
      ...(Object.keys(shape.labels).length > 0 && { labels: shape.labels }),
      ...(status.startTime && { creationTimestamp: status.startTime }),
    },
    ...(spec && { spec }),
    status: {
      ...(conditions.length > 0 && { conditions }),
      ...(status.startTime && { startTime: status.startTime }),
      ...(finished?.phase === 'Succeeded' && { completionTime: at }),
      ...(running && { active: 1 }),
      ...(finished?.phase === 'Succeeded' && { succeeded: 1 }),
      ...(pod.replacedPods + (finished?.phase === 'Failed' ? 1 : 0) > 0 && {
        failed: pod.replacedPods + (finished?.phase === 'Failed' ? 1 : 0),
      }),
      ready: running && ready ? 1 : 0,
      terminating: 0,
    },
  };
}

/** The Job spec in a manifest object: a Job's `spec`, a CronJob's `spec.jobTemplate.spec`. */
export function jobSpecOf(kind: string, object: Readonly<Record<string, unknown>>): Job['spec'] | undefined {
  const spec = object.spec as Record<string, unknown> | undefined;
  if (kind === 'Job') return spec as Job['spec'];
  if (kind === 'CronJob') return (spec?.jobTemplate as { spec?: Job['spec'] } | undefined)?.spec;
  return undefined;
}
