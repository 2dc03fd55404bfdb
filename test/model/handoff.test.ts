import { describe, expect, it } from 'vitest';
import { loadPod } from '../../lib/manifest/index.js';
import { volumeHandoffs } from '../../lib/model/handoff.js';
import { plan } from '../../lib/model/plan.js';

function handoffs(spec: string): Record<string, unknown> {
  const loaded = loadPod(`apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n${spec}`);
  const workflow = plan(loaded.pod!).workflow!;
  return Object.fromEntries(volumeHandoffs(workflow));
}

const mount = (volume: string) => `volumeMounts: [{name: ${volume}, mountPath: /${volume}}]`;

describe('volumeHandoffs', () => {
  it('saves an init container’s emptyDir for the app container, which restores it', () => {
    // GIVEN an init container and an app container sharing an emptyDir, and a volume only one mounts
    const spec = `  restartPolicy: Never
  initContainers:
    - {name: fill, image: a, ${mount('work')}}
    - {name: alone, image: a, ${mount('own')}}
  containers:
    - {name: app, image: a, ${mount('work')}}
  volumes: [{name: work, emptyDir: {}}, {name: own, emptyDir: {}}]`;
    // WHEN / THEN nothing restores before a save; what nobody reads again is never saved
    expect(handoffs(spec)).toEqual({
      fill: { restore: [], save: ['work'] },
      alone: { restore: [], save: [] },
      app: { restore: ['work'], save: [] },
    });
  });

  it('keeps a restarting init container’s writes for its next attempt, as the kubelet keeps the emptyDir', () => {
    // GIVEN restartPolicy OnFailure: init containers restart
    const spec = `  restartPolicy: OnFailure
  initContainers:
    - {name: clone, image: a, ${mount('src')}}
    - {name: build, image: a, volumeMounts: [{name: src, mountPath: /s}, {name: cfg, mountPath: /c}]}
  containers:
    - {name: app, image: a, ${mount('cfg')}}
  volumes: [{name: src, emptyDir: {}}, {name: cfg, configMap: {name: c}}]`;
    // THEN each init container restores its own volume too; a ConfigMap volume is never handed off
    expect(handoffs(spec)).toEqual({
      clone: { restore: ['src'], save: ['src'] },
      build: { restore: ['src'], save: ['src'] },
      app: { restore: [], save: [] },
    });
  });

  it('lets a native sidecar restore what an earlier init container saved, and never save', () => {
    const spec = `  initContainers:
    - {name: seed, image: a, ${mount('data')}}
    - {name: proxy, image: a, restartPolicy: Always, ${mount('data')}}
  containers:
    - {name: app, image: a, ${mount('data')}}
  volumes: [{name: data, emptyDir: {sizeLimit: 1Mi}}]`;
    expect(handoffs(spec)).toEqual({
      seed: { restore: ['data'], save: ['data'] },
      proxy: { restore: ['data'], save: [] },
      app: { restore: ['data'], save: [] },
    });
  });
});
