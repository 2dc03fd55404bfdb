import { describe, expect, it } from 'vitest';
import type { AttemptLogs } from '../../lib/logs/locations.js';
import { parseDuration, selectAttempt, selectContainers, SelectionError } from '../../lib/logs/select.js';
import { compileOrThrow } from '../helpers/compile.js';

const shape = compileOrThrow(`apiVersion: v1
kind: Pod
metadata: { name: p }
spec:
  initContainers: [{ name: init, image: alpine, command: ["true"] }]
  containers: [{ name: a, image: alpine, command: ["true"] }, { name: b, image: alpine, command: ["true"] }]
`).workflow;

describe('selectContainers', () => {
  it("asks for a container with kubectl's words when the pod has several", () => {
    expect(() => selectContainers(shape, 'run-1', { allContainers: false, previous: false })).toThrow(
      new SelectionError(
        'a container name must be specified for pod run-1, choose one of: [a b] or one of the init containers: [init]',
      ),
    );
  });

  it('takes every container, init first, with --all-containers; refuses a name the pod lacks', () => {
    expect(selectContainers(shape, 'r', { allContainers: true, previous: false })).toEqual(['init', 'a', 'b']);
    expect(selectContainers(shape, 'r', { container: 'b', allContainers: false, previous: false })).toEqual(['b']);
    expect(() => selectContainers(shape, 'r', { container: 'c', allContainers: false, previous: false })).toThrow(
      'container c is not valid for pod r',
    );
  });
});

describe('selectAttempt', () => {
  const attempt = (container: string, n: number): AttemptLogs => ({
    container,
    attempt: n,
    startedAt: new Date(n * 1000),
    location: { executor: 'activity', stream: `r/${container}/${n}` },
  });
  const attempts = [attempt('a', 0), attempt('b', 0), attempt('a', 1), attempt('a', 2)];

  it('is the latest attempt, or with --previous the one before it', () => {
    expect(selectAttempt(attempts, 'a', 'r', false)).toEqual({ attempt: attempts[3] });
    expect(selectAttempt(attempts, 'a', 'r', true)).toEqual({ attempt: attempts[2], next: attempts[3] });
  });

  it('says so when there is no previous attempt, and is nothing for a container not started', () => {
    expect(() => selectAttempt(attempts, 'b', 'r', true)).toThrow(
      'previous terminated container "b" in pod "r" not found',
    );
    expect(selectAttempt(attempts, 'c', 'r', false)).toBeUndefined();
  });
});

describe('parseDuration', () => {
  it("reads kubectl's --since durations", () => {
    expect(['10s', '5m', '1h30m', '1.5h', '250ms'].map(parseDuration)).toEqual([
      10_000, 300_000, 5_400_000, 5_400_000, 250,
    ]);
    expect(['5', 'm', '5 m', '-5m', ''].map(parseDuration)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
