import { describe, expect, it } from 'vitest';
import { backoffSeconds, CRASH_LOOP_BACKOFF } from '../../lib/model/backoff.js';

describe('backoffSeconds', () => {
  it("waits as the kubelet's CrashLoopBackOff does: 10 s, doubling, at most 300 s", () => {
    // GIVEN the kubelet's back-off
    // WHEN a container is restarted again and again
    const waits = [0, 1, 2, 3, 4, 5, 6].map((n) => backoffSeconds(CRASH_LOOP_BACKOFF, n));
    // THEN each wait doubles the one before until the cap
    expect(waits).toEqual([10, 20, 40, 80, 160, 300, 300]);
  });
});
