import type { ContainerRun, Volume } from '../../lib/model/workflow.js';
import type { Launch } from '../../lib/runner/index.js';

/** What a runtime is asked to start for a container that runs `sh -c script` in a pod named `pod`. */
export function shellLaunch(
  name: string,
  script: string,
  extra: Partial<ContainerRun> = {},
  volumes: Volume[] = [],
  pod = 'sandbox-pod',
): Launch {
  const container: ContainerRun = {
    name,
    image: 'busybox',
    command: ['sh', '-c', script],
    args: [],
    env: [],
    envFrom: [],
    mounts: [],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    ...extra,
  };
  return { pod: { name: pod, namespace: 'default' }, execution: 'test', container, volumes, env: {} };
}

export const emptyDir = (name: string): Volume => ({ name, kind: 'emptyDir', optional: false });

/** An output sink that keeps what it is given. */
export function collect() {
  let text = '';
  return { sink: (chunk: Buffer) => void (text += chunk.toString()), text: () => text };
}

/** Polls `check` every 20 ms for up to `ms`; its last answer. */
export async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  for (const end = Date.now() + ms; !check() && Date.now() < end;) await new Promise((r) => setTimeout(r, 20));
  return check();
}
