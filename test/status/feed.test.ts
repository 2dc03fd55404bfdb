import { describe, expect, it } from 'vitest';
import { compile } from '../../lib/compile.js';
import type { PodEvent } from '../../lib/status/events.js';
import { PodEventFeed } from '../../lib/status/feed.js';
import { podStatus } from '../../lib/status/pod-status.js';

const { compiled } = compile(`
apiVersion: v1
kind: Pod
metadata: { name: feed }
spec:
  restartPolicy: OnFailure
  initContainers: [{ name: init, image: busybox, command: ["true"] }]
  containers: [{ name: app, image: busybox, command: ["true"] }]
`);
const shape = compiled!.workflow;
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const events: PodEvent[] = [
  { type: 'PodStarted', at: at(0) },
  { type: 'ContainerStarted', container: 'init', at: at(1), attempt: 0 },
  { type: 'ContainerExited', container: 'init', at: at(2), exitCode: 1 },
  { type: 'ContainerWaiting', container: 'init', at: at(2), reason: 'CrashLoopBackOff' },
  { type: 'ContainerStarted', container: 'init', at: at(12), attempt: 1 },
];

describe('PodEventFeed (status -w)', () => {
  it('applies only the events a poll adds, and gives the status of every event so far', () => {
    // GIVEN a feed that saw the first polls / WHEN a poll adds events
    const feed = new PodEventFeed(shape);
    const first = feed.update(events.slice(0, 3));
    const second = feed.update(events);
    // THEN it is the same tracker, brought up to date
    expect(second).toBe(first);
    expect(second.status).toEqual(podStatus(shape, events));
  });

  it('starts over when the history reader says an earlier event differently', () => {
    // GIVEN a poll read a back-off that the next poll no longer reads (the failure was caught)
    const feed = new PodEventFeed(shape);
    const first = feed.update(events.slice(0, 4));
    const reread = [
      ...events.slice(0, 3),
      { type: 'ContainerStarted', container: 'app', at: at(3), attempt: 0 } as PodEvent,
    ];
    // WHEN the next poll comes / THEN the status is built again from the start
    const second = feed.update(reread);
    expect(second).not.toBe(first);
    expect(second.status).toEqual(podStatus(shape, reread));
  });
});
