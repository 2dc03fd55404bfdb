import { describe, expect, it } from 'vitest';
import { compile } from '../../lib/compile.js';
import { runPod } from '../../lib/local/run-pod.js';
import type { ContainerRuntime } from '../../lib/local/runtime.js';
import { localValues } from '../../lib/local/values.js';

const SPEC = `
apiVersion: v1
kind: Pod
metadata: { name: ahead }
spec:
  restartPolicy: Never
  initContainers:
    - { name: i1, image: busybox, command: ["true"] }
    - { name: i2, image: busybox, command: ["true"] }
    - { name: i3, image: busybox, command: ["true"] }
    - { name: i4, image: busybox, command: ["true"] }
  containers:
    - { name: app, image: busybox, command: ["true"] }
`;

describe('the handlers tell the runtime what starts next (lib/local/handlers.ts)', () => {
  it("asks for the next two init containers' sandboxes as each one starts, with their launches", async () => {
    // GIVEN a runtime that records what it is told, and whose containers exit at once
    const told: string[] = [];
    const launches = new Map<string, Promise<string>>();
    const runtime: ContainerRuntime = {
      name: 'host',
      async start(launch) {
        told.push(`start ${launch.container.name}`);
        return { exited: Promise.resolve({ exitCode: 0 }), stop: async () => ({ exitCode: 0 }) };
      },
      prepare(name, launch) {
        told.push(`prepare ${name}`);
        launches.set(
          name,
          launch().then((l) => l.container.name),
        );
      },
      async close() {},
    };
    const result = compile(SPEC);
    if (!result.compiled) throw new Error(JSON.stringify(result.diagnostics));
    // WHEN the pod runs
    const run = await runPod(result.compiled, {
      runtime,
      values: localValues({}),
      backoffScale: 0.01,
      interrupt: new AbortController().signal,
      output: () => () => {},
      onEvent: () => {},
      execution: 'ahead-1',
    });
    // THEN each start is followed by the next two init containers (the runtime keeps one sandbox a name), none
    // after the last and none for an app container, and each launch is the one of the container named
    expect(run.phase).toBe('Succeeded');
    expect(told).toEqual([
      'start i1',
      'prepare i2',
      'prepare i3',
      'start i2',
      'prepare i3',
      'prepare i4',
      'start i3',
      'prepare i4',
      'start i4',
      'start app',
    ]);
    for (const [name, launch] of launches) expect(await launch).toBe(name);
  });
});
