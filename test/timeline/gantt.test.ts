import { describe, expect, it } from 'vitest';
import { compile } from '../../lib/compile.js';
import type { PodEvent } from '../../lib/status/events.js';
import { timelineMermaid } from '../../lib/timeline/gantt.js';
import { expectGolden, timelineCase } from './fixture.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
/** Where a run still going is drawn to. */
const NOW = at(60);

function pod(yaml: string) {
  const result = compile(yaml);
  if (!result.compiled) throw new Error(JSON.stringify(result.diagnostics));
  return result.compiled.workflow;
}

const TWO_APPS = pod(`apiVersion: v1
kind: Pod
metadata: { name: two }
spec:
  restartPolicy: OnFailure
  activeDeadlineSeconds: 600
  initContainers:
    - { name: proxy, image: envoy, restartPolicy: Always }
  containers:
    - { name: a, image: busybox, command: ["true"] }
    - { name: b, image: busybox, command: ["true"] }
`);

/** The task lines of a gantt: `name :tags, id, start, end`, start and end in seconds after T0. */
function tasks(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('    ') && line.includes(' :'))
    .map((line) => line.trim().replace(/(\d{13})/g, (ms) => String((Number(ms) - T0) / 1000)));
}

describe('the timeline of a pod run', () => {
  it('matches the golden Mermaid for a pod with a restart and a failure', () => {
    // GIVEN the events of a run where flaky fails, backs off, restarts and is OOMKilled
    const { workflow, events } = timelineCase('restart-and-failure');
    // WHEN drawn
    const text = timelineMermaid(workflow, events, NOW);
    // THEN it is the reviewed golden file
    expectGolden('restart-and-failure', 'expected.mermaid', text);
  });

  it('gives every attempt its own bar, failures crit, the back-off between them a plain bar', () => {
    // GIVEN the same run / WHEN drawn
    const { workflow, events } = timelineCase('restart-and-failure');
    const lines = tasks(timelineMermaid(workflow, events, NOW));
    // THEN one bar per attempt (5 starts), in spec order, and the waits between them
    expect(lines.filter((l) => l.includes(' attempt-'))).toHaveLength(
      events.filter((e) => e.type === 'ContainerStarted').length,
    );
    expect(lines).toEqual([
      'Failed :crit, pod, 0, 26.5',
      'PodInitializing :wait-setup-1, 0, 1',
      'attempt 1 · exit 0 :done, attempt-setup-1, 1, 4',
      // The sidecar ended when the pod stopped it, after the app containers: no failure.
      'attempt 1 · exit 143 stopped :done, attempt-proxy-1, 4.5, 26',
      'attempt 1 · exit 1 :crit, attempt-flaky-1, 5, 8',
      'CrashLoopBackOff :wait-flaky-1, 8, 18',
      'attempt 2 · exit 137 OOMKilled :crit, attempt-flaky-2, 18, 24',
      'attempt 1 · exit 0 :done, attempt-steady-1, 5, 20',
    ]);
  });

  it('draws what still runs as active, up to now', () => {
    // GIVEN a run still going: a's second attempt running, b backing off
    const events: PodEvent[] = [
      { type: 'PodStarted', at: at(0) },
      { type: 'ContainerStarted', container: 'proxy', at: at(1), attempt: 0 },
      { type: 'ContainerStarted', container: 'a', at: at(2), attempt: 0 },
      { type: 'ContainerStarted', container: 'b', at: at(2), attempt: 0 },
      { type: 'ContainerExited', container: 'a', at: at(5), exitCode: 2 },
      { type: 'ContainerWaiting', container: 'a', at: at(5), reason: 'CrashLoopBackOff' },
      { type: 'ContainerStarted', container: 'a', at: at(15), attempt: 1 },
      { type: 'ContainerExited', container: 'b', at: at(20), exitCode: 1 },
      { type: 'ContainerWaiting', container: 'b', at: at(20), reason: 'CrashLoopBackOff' },
    ];
    // WHEN drawn at NOW
    const lines = tasks(timelineMermaid(TWO_APPS, events, NOW));
    // THEN the pod, the sidecar and a's attempt run to now, active; b's back-off is still on
    expect(lines).toEqual([
      'Running :active, pod, 0, 60',
      'attempt 1 · running :active, attempt-proxy-1, 1, 60',
      'attempt 1 · exit 2 :crit, attempt-a-1, 2, 5',
      'CrashLoopBackOff :wait-a-1, 5, 15',
      'attempt 2 · running :active, attempt-a-2, 15, 60',
      'attempt 1 · exit 1 :crit, attempt-b-1, 2, 20',
      'CrashLoopBackOff :wait-b-1, 20, 60',
    ]);
  });

  it('keeps a sidecar crash while the app runs a failure, and its last attempt stopped by the pod', () => {
    // GIVEN a sidecar that crashes beside the app containers, is restarted, and is stopped at the end
    const events: PodEvent[] = [
      { type: 'PodStarted', at: at(0) },
      { type: 'ContainerStarted', container: 'proxy', at: at(0), attempt: 0 },
      { type: 'ContainerStarted', container: 'a', at: at(1), attempt: 0 },
      { type: 'ContainerExited', container: 'proxy', at: at(2), exitCode: 1 },
      { type: 'ContainerWaiting', container: 'proxy', at: at(2), reason: 'CrashLoopBackOff' },
      { type: 'ContainerStarted', container: 'proxy', at: at(12), attempt: 1 },
      { type: 'ContainerExited', container: 'a', at: at(20), exitCode: 0 },
      { type: 'ContainerExited', container: 'proxy', at: at(21), exitCode: 143 },
      { type: 'PodFinished', at: at(21), phase: 'Succeeded' },
    ];
    // WHEN drawn
    const proxy = tasks(timelineMermaid(TWO_APPS, events, NOW)).filter((l) => l.includes('-proxy-'));
    // THEN the crash is crit and the stop is done
    expect(proxy).toEqual([
      'attempt 1 · exit 1 :crit, attempt-proxy-1, 0, 2',
      'CrashLoopBackOff :wait-proxy-1, 2, 12',
      'attempt 2 · exit 143 stopped :done, attempt-proxy-2, 12, 21',
    ]);
  });

  it('counts an attempt whose start was never seen, ends one whose worker went away, skips waits of no time', () => {
    // GIVEN a Task scheduled and started at once, one that timed out before it ran, and one lost mid-run
    const events: PodEvent[] = [
      { type: 'PodStarted', at: at(0) },
      { type: 'ContainerWaiting', container: 'a', at: at(1), reason: 'ContainerCreating' },
      { type: 'ContainerStarted', container: 'a', at: at(1), attempt: 0 },
      { type: 'ContainerWaiting', container: 'a', at: at(4), reason: 'ContainerStatusUnknown' },
      { type: 'ContainerWaiting', container: 'b', at: at(1), reason: 'ContainerCreating' },
      { type: 'ContainerExited', container: 'b', at: at(9), exitCode: 137, reason: 'DeadlineExceeded' },
      { type: 'PodFinished', at: at(10), phase: 'Failed', reason: 'DeadlineExceeded' },
    ];
    // WHEN drawn
    const lines = tasks(timelineMermaid(TWO_APPS, events, NOW));
    // THEN a's attempt ends crit where its status was lost, then waits; b's exit is an attempt of no length
    expect(lines).toEqual([
      'Failed (DeadlineExceeded) :crit, pod, 0, 10',
      'attempt 1 · ContainerStatusUnknown :crit, attempt-a-1, 1, 4',
      'ContainerStatusUnknown :wait-a-1, 4, 10',
      'ContainerCreating :wait-b-1, 1, 9',
      'attempt 1 · exit 137 DeadlineExceeded :crit, attempt-b-1, 9, 9',
    ]);
  });

  it('keeps what a runtime reported from being read as gantt syntax', () => {
    // GIVEN a reason with a colon, a semicolon and a hash
    const events: PodEvent[] = [
      { type: 'PodStarted', at: at(0) },
      { type: 'ContainerWaiting', container: 'a', at: at(0), reason: 'Err: #1; bad\nline' },
      { type: 'PodFinished', at: at(3), phase: 'Failed' },
    ];
    // WHEN drawn / THEN the bar's name has none of them
    expect(tasks(timelineMermaid(TWO_APPS, events, NOW))).toContain('Err 1 bad line :wait-a-1, 0, 3');
  });

  it('labels a short run in milliseconds, a long one in seconds, and leaves room for the lane titles', () => {
    // GIVEN a run of 3 s and one of 26.5 s
    const short: PodEvent[] = [
      { type: 'PodStarted', at: at(0) },
      { type: 'ContainerStarted', container: 'a', at: at(0), attempt: 0 },
      { type: 'PodFinished', at: at(3), phase: 'Succeeded' },
    ];
    const { workflow, events } = timelineCase('restart-and-failure');
    // WHEN drawn
    const shortText = timelineMermaid(TWO_APPS, short, NOW);
    const longText = timelineMermaid(workflow, events, NOW);
    // THEN the axis format fits the span, and the left padding the longest title ("proxy (sidecar, ecs)")
    expect(shortText).toContain('axisFormat %H:%M:%S.%L');
    expect(longText).toContain('axisFormat %H:%M:%S\n');
    expect(longText).toContain(`leftPadding: ${Math.ceil('proxy (sidecar, ecs)'.length * 6.5) + 20}`);
    expect(longText).toContain('  section proxy (sidecar, ecs)\n');
  });
});
