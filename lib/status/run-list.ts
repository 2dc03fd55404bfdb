/**
 * The runs of a deployed pod as `kubectl get pods` shows pods: a Pod per run, named by the run (the
 * execution name), in kubectl's table, as `pod/<name>`, or as the `kind: List` of `-o json|yaml`.
 */
import type { PodShape } from '../model/pod-shape.js';
import type { Pod } from './core-v1.js';
import type { PodEvent } from './events.js';
import { POD_COLUMNS, printPod } from './kubectl.js';
import { podObject } from './pod-object.js';
import { trackEvents } from './pod-status.js';

/** The annotation that says which execution a run's Pod is. */
const EXECUTION_ARN_ANNOTATION = 'pod2sfn.dev/execution-arn';

export const RUN_WIDE_COLUMNS = [...POD_COLUMNS, 'EXECUTOR', 'EXECUTION ARN'] as const;

export interface RunRef {
  readonly name: string;
  readonly executionArn: string;
}

/** The Pod of one run: the status its events give, named by the run, its execution ARN annotated. */
export function runPod(shape: PodShape, events: readonly PodEvent[], run: RunRef, spec?: unknown): Pod {
  const tracker = trackEvents(shape, events);
  const pod = podObject(shape, tracker.status, { spec, deletionTimestamp: tracker.deletionTimestamp });
  return {
    ...pod,
    metadata: {
      ...pod.metadata,
      name: run.name,
      annotations: { ...pod.metadata?.annotations, [EXECUTION_ARN_ANNOTATION]: run.executionArn },
    },
  };
}

/** The executors a pod's containers run on, in container order, each once: `activity`, `lambda,ecs`. */
export function executorsOf(shape: PodShape): string {
  return [...new Set([...shape.init, ...shape.app].map((s) => s.executor))].join(',');
}

/** One table row: kubectl's pod cells, and with `wide` the executor and the execution ARN. */
export function runRow(pod: Pod, now: Date, wide?: { readonly executor: string }): string[] {
  const cells = [...printPod(pod, now).cells];
  if (wide) cells.push(wide.executor, pod.metadata?.annotations?.[EXECUTION_ARN_ANNOTATION] ?? '');
  return cells;
}

/**
 * Rows as kubectl's tabwriter aligns them (minwidth 6, padding 3): every column as wide as its widest
 * cell plus three spaces, the last one unpadded.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(6, ...all.map((row) => (row[i] ?? '').length + 3)));
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join(''));
}

/** `kubectl get pods -o json|yaml`: the pods in a `kind: List`. */
export function podList(pods: readonly Pod[]): {
  apiVersion: 'v1';
  items: readonly Pod[];
  kind: 'List';
  metadata: { resourceVersion: '' };
} {
  return { apiVersion: 'v1', items: pods, kind: 'List', metadata: { resourceVersion: '' } };
}

/** `kubectl get pods -o name`. */
export function podNames(pods: readonly Pod[]): string[] {
  return pods.map((pod) => `pod/${pod.metadata?.name ?? ''}`);
}
