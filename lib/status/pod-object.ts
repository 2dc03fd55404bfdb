import type { PodShape } from '../model/pod-shape.js';
import type { PodStatus } from './pod-status.js';

/** The Pod as `kubectl get pod -o yaml` shows it (for a Job, its pod); the spec when it is known. */
export function podObject(workflow: PodShape, status: PodStatus, spec?: unknown): Record<string, unknown> {
  const isJob = workflow.kind === 'Job' || workflow.kind === 'CronJob';
  const labels = { ...workflow.labels, ...(isJob && { 'job-name': workflow.name }) };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: workflow.name,
      namespace: workflow.namespace,
      ...(Object.keys(labels).length > 0 && { labels }),
      ...(Object.keys(workflow.annotations).length > 0 && { annotations: workflow.annotations }),
      ...(status.startTime && { creationTimestamp: status.startTime }),
    },
    ...(spec !== undefined && { spec }),
    status,
  };
}
