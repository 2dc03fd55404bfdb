import type { Backoff } from './workflow.js';

/** CrashLoopBackOff: 10 s, doubling, capped at 300 s (kubelet; docs/design.md §2). */
export const CRASH_LOOP_BACKOFF = { intervalSeconds: 10, backoffRate: 2, maxDelaySeconds: 300 } as const;
/** The Job controller's pod backoff: 10 s, doubling, capped at 6 minutes. */
export const JOB_POD_BACKOFF = { intervalSeconds: 10, backoffRate: 2, maxDelaySeconds: 360 } as const;

/**
 * The wait before retry `n` (0 for the first): the kubelet's back-off and Step Functions' Retry
 * compute it alike, the interval times the rate to the n, at most the maximum delay.
 */
export function backoffSeconds(backoff: Omit<Backoff, 'maxAttempts'>, n: number): number {
  return Math.min(backoff.intervalSeconds * backoff.backoffRate ** n, backoff.maxDelaySeconds);
}
