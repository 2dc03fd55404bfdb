import type { PodShape } from '../model/pod-shape.js';
import type { Job, Pod } from './core-v1.js';
import { isJobKind, jobObject } from './job.js';
import { specOf, type PodStatus, type PodStatusTracker } from './pod-status.js';

export interface PodObjectOptions {
  /** The pod spec as written; else what the status mapper knows of it (names, images, sidecars). */
  readonly spec?: unknown;
  /** Set once the run is being stopped. */
  readonly deletionTimestamp?: string | undefined;
}

/** The Pod as `kubectl get pod -o yaml` shows it (for a Job, its pod). */
export function podObject(
  shape: PodShape,
  status: PodStatus,
  options: PodObjectOptions = {},
): Pod & { status: PodStatus } {
  const isJob = shape.kind === 'Job' || shape.kind === 'CronJob';
  const labels = { ...shape.labels, ...(isJob && { 'job-name': shape.name }) };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: shape.name,
      namespace: shape.namespace,
      ...(Object.keys(labels).length > 0 && { labels }),
      ...(Object.keys(shape.annotations).length > 0 && { annotations: shape.annotations }),
      ...(status.startTime && { creationTimestamp: status.startTime }),
      ...(options.deletionTimestamp && { deletionTimestamp: options.deletionTimestamp }),
    },
    spec: (options.spec as Pod['spec'] | undefined) ?? specOf(shape),
    status,
  };
}

export interface RunSpecs {
  /** The pod spec as written. */
  readonly pod?: unknown;
  /** A Job's spec as written (jobSpecOf). */
  readonly job?: Job['spec'];
}

/** What `-o json|yaml` prints of a run: the Job for a Job or CronJob spec, else the Pod. */
export function runObject(shape: PodShape, tracker: PodStatusTracker, specs: RunSpecs = {}): Pod | Job {
  if (isJobKind(shape.kind)) return jobObject(shape, tracker, specs.job);
  return podObject(shape, tracker.status, { spec: specs.pod, deletionTimestamp: tracker.deletionTimestamp });
}
