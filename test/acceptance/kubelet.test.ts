import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContainerStatus, PodStatus } from '../../lib/status/pod-status.js';
import { runCli, specFile, tempDir } from '../helpers/run-cli.js';

/**
 * The acceptance suite of `pod2sfn run` (issue #3): the kubelet conformance scenarios of docs/design.md §2
 * and the pod semantics around them, through the built CLI with real processes. Back-off is scaled
 * by 0.01 (10 s → 0.1 s) so the suite stays fast.
 */
const SCALE = ['--backoff-scale', '0.01'];

interface Pod {
  readonly metadata: { name: string };
  readonly status: PodStatus;
}

async function run(yaml: string, extra: readonly string[] = []) {
  const dir = tempDir();
  const result = await runCli(['run', specFile(dir, yaml), ...SCALE, '-o', 'json', ...extra]);
  const pod = result.stdout.trim() === '' ? undefined : (JSON.parse(result.stdout) as Pod);
  return { ...result, pod: pod!, dir };
}

function pod(name: string, restartPolicy: string, init: string[], app: string[], extra = ''): string {
  const containers = (list: string[], prefix: string) =>
    list
      .map(
        (cmd, i) =>
          `    - name: ${prefix}${i + 1}\n      image: busybox\n      command: ["sh", "-c", ${JSON.stringify(cmd)}]`,
      )
      .join('\n');
  return [
    'apiVersion: v1',
    'kind: Pod',
    `metadata: { name: ${name} }`,
    'spec:',
    `  restartPolicy: ${restartPolicy}`,
    '  terminationGracePeriodSeconds: 2',
    extra,
    ...(init.length > 0 ? ['  initContainers:', containers(init, 'init')] : []),
    '  containers:',
    containers(app, 'run'),
  ]
    .filter((l) => l !== '')
    .join('\n');
}

const condition = (status: PodStatus, type: string) => status.conditions.find((c) => c.type === type);
const byName = (list: readonly ContainerStatus[] | undefined, name: string) => list!.find((c) => c.name === name)!;
const neverStarted = (c: ContainerStatus) => {
  expect(c.state.waiting?.reason).toBe('PodInitializing');
  expect(c.restartCount).toBe(0);
  expect(c.lastState).toEqual({});
};

/**
 * Runs the pod with `-o json -w`: one Pod document per status change, as `kubectl get pod -w -o json`
 * gives a watcher, which is how upstream's conformance test reads the pod.
 */
async function watch(yaml: string) {
  const dir = tempDir();
  const result = await runCli(['run', specFile(dir, yaml), ...SCALE, '-o', 'json', '-w']);
  const pods =
    result.stdout.trim() === ''
      ? []
      : result.stdout
          .trim()
          .split(/(?<=^\})\n(?=\{)/m)
          .map((doc) => JSON.parse(doc) as Pod);
  return { ...result, pods };
}

type Condition = (pod: Pod) => boolean;

/**
 * watchtools.Until: each condition in turn, over the statuses in order, a satisfied one handing the
 * same status to the next; a condition throws where upstream's returns an error. Returns the status
 * that satisfied the last condition.
 */
function until(pods: readonly Pod[], ...conditions: Condition[]): Pod {
  let next = 0;
  for (const pod of pods) {
    while (next < conditions.length && conditions[next]!(pod)) next++;
    if (next === conditions.length) return pod;
  }
  throw new Error(`the watch ended with ${conditions.length - next} condition(s) unmet`);
}

/** k8s.io/kubernetes/pkg/client/conditions PodCompleted and PodRunning. */
const podCompleted: Condition = (pod) => pod.status.phase === 'Failed' || pod.status.phase === 'Succeeded';
const podRunning: Condition = (pod) => {
  if (pod.status.phase === 'Failed' || pod.status.phase === 'Succeeded') throw new Error('pod ran to completion');
  return pod.status.phase === 'Running';
};

/**
 * checkInvariants(events, containerInitInvariant), on every pair of consecutive statuses. Upstream
 * never runs it (its `events` slice stays empty) and its `initialized` reads `allInit &&` where it
 * means a container after one still initializing; this runs it, as it means.
 */
function checkInvariants(pods: readonly Pod[]): void {
  const initialized = (pod: Pod) => {
    let allInit = true;
    let initFailed = false;
    for (const s of pod.status.initContainerStatuses ?? []) {
      if (initFailed && !s.state.waiting)
        throw new Error(`container ${s.name} is after a failed container but isn't waiting`);
      if (!allInit && !s.state.waiting)
        throw new Error(`container ${s.name} is after an initializing container but isn't waiting`);
      if (!s.state.terminated) allInit = false;
      else if (s.state.terminated.exitCode !== 0) [allInit, initFailed] = [false, true];
      else if (!s.ready) throw new Error(`container ${s.name} initialized but isn't marked as ready`);
    }
    return { allInit, initFailed };
  };
  const invariants = (pod: Pod) => {
    const { allInit, initFailed } = initialized(pod);
    if (!allInit || initFailed) {
      for (const s of pod.status.containerStatuses) {
        if (!s.state.waiting || s.restartCount !== 0)
          throw new Error(`container ${s.name} is not waiting but initialization not complete`);
        if (s.state.waiting.reason !== 'PodInitializing')
          throw new Error(`container ${s.name} should have reason PodInitializing: ${s.state.waiting.reason}`);
      }
    }
    const c = condition(pod.status, 'Initialized');
    if (!c) throw new Error('pod does not have initialized condition');
    if (!c.lastTransitionTime) throw new Error('PodInitialized condition should always have a transition time');
    if (c.status === 'True' && (initFailed || !allInit))
      throw new Error('PodInitialized condition was True but all not all containers initialized');
    if (c.status === 'False' && !initFailed && allInit)
      throw new Error('PodInitialized condition was False but all containers initialized');
    return allInit && !initFailed;
  };
  for (let i = 0; i + 1 < pods.length; i++) {
    if (invariants(pods[i]!) && !invariants(pods[i + 1]!))
      throw new Error('pod cannot be initialized and then regress to not being initialized');
  }
}

/** The Expects upstream makes of every init container once initialized. */
const expectInitContainersDone = (pod: Pod) => {
  expect(pod.status.initContainerStatuses).toHaveLength(2);
  for (const s of pod.status.initContainerStatuses!) {
    expect(s.ready, `init container ${s.name} should be in Ready status`).toBe(true);
    expect(s.state.terminated).toBeDefined();
    expect(s.state.terminated!.exitCode).toBe(0);
  }
};

/** Upstream's per-event check: app containers wait on PodInitializing until the init containers are done. */
const appContainersWaiting = (pod: Pod) => {
  for (const s of pod.status.containerStatuses) {
    if (!s.state.waiting) throw new Error(`container ${s.name} should not be out of waiting: ${JSON.stringify(s)}`);
    if (s.state.waiting.reason !== 'PodInitializing')
      throw new Error(`container ${s.name} should have reason PodInitializing: ${JSON.stringify(s)}`);
  }
};

describe('kubelet scenarios (test/e2e/common/node/init_container.go), watched event by event', () => {
  it('1. should invoke init containers on a RestartNever pod', async () => {
    // GIVEN restartPolicy Never, init containers true true, app true / WHEN run and watched
    const { code, pods, stderr } = await watch(pod('scenario-1', 'Never', ['true', 'true'], ['true']));
    expect(code, stderr).toBe(0);
    // THEN upstream's watch and Expects hold
    const end = until(pods, podCompleted);
    checkInvariants(pods);
    expect(end.status.phase).toBe('Succeeded');
    expect(condition(end.status, 'Initialized')?.status).toBe('True');
    expectInitContainersDone(end);
    expect(stderr).toMatch(/scenario-1\s+0\/1\s+Completed/);
  });

  it('2. should invoke init containers on a RestartAlways pod', async () => {
    // GIVEN restartPolicy Always, init containers true true, a long-running app (stopped by a deadline)
    const { code, pods, stderr } = await watch(
      pod('scenario-2', 'Always', ['true', 'true'], ['sleep 60'], '  activeDeadlineSeconds: 2'),
    );
    // THEN the watch sees Running, with the init containers done, before anything ends
    const end = until(pods, podRunning);
    checkInvariants(pods);
    expect(end.status.phase).toBe('Running');
    expect(condition(end.status, 'Initialized')?.status).toBe('True');
    expectInitContainersDone(end);
    expect(stderr).toMatch(/scenario-2\s+1\/1\s+Running/);
    // THEN the deadline fails the pod, as the kubelet's active deadline handler does
    expect(code).toBe(1);
    const last = pods.at(-1)!;
    expect(last.status).toMatchObject({
      phase: 'Failed',
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
    });
    expect(stderr).toMatch(/scenario-2\s+\d\/1\s+DeadlineExceeded/);
  });

  it('3. should not start app containers if init containers fail on a RestartAlways pod', async () => {
    // GIVEN restartPolicy Always, init containers false true, a long-running app (stopped by a deadline)
    const { code, pods, stderr } = await watch(
      pod('scenario-3', 'Always', ['false', 'true'], ['sleep 60'], '  activeDeadlineSeconds: 3'),
    );
    // THEN every status until the third restart keeps the app and init2 waiting, init1 never done
    const end = until(
      pods,
      (p) => {
        appContainersWaiting(p);
        if (p.status.initContainerStatuses?.length !== 2) return false;
        const second = p.status.initContainerStatuses[1]!;
        if (!second.state.waiting)
          throw new Error(`second init container should not be out of waiting: ${JSON.stringify(second)}`);
        if (second.state.waiting.reason !== 'PodInitializing')
          throw new Error(`second init container should have reason PodInitializing: ${JSON.stringify(second)}`);
        const first = p.status.initContainerStatuses[0]!;
        if (first.state.terminated?.exitCode === 0)
          throw new Error(`first init container should have exitCode != 0: ${JSON.stringify(first)}`);
        return first.lastState.terminated !== undefined;
      },
      (p) => p.status.initContainerStatuses![0]!.restartCount >= 3,
    );
    checkInvariants(pods);
    expect(end.status.phase).toBe('Pending');
    const init = condition(end.status, 'Initialized');
    expect(init).toBeDefined();
    expect(init!.status).toBe('False');
    expect(init!.reason).toBe('ContainersNotInitialized');
    expect(init!.message).toBe('containers with incomplete status: [init1 init2]');
    expect(end.status.initContainerStatuses).toHaveLength(2);
    // THEN the run ends at its deadline, the app never started
    expect(code).toBe(1);
    expect(stderr).toMatch(/Init:CrashLoopBackOff/);
    expect(stderr).not.toMatch(/PodInitializing|Running/);
    const last = pods.at(-1)!;
    expect(last.status).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded' });
    expect(byName(last.status.initContainerStatuses, 'init1').lastState.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
    });
    neverStarted(byName(last.status.initContainerStatuses, 'init2'));
    neverStarted(last.status.containerStatuses[0]!);
  });

  it('4. should not start app containers and fail the pod if init containers fail on a RestartNever pod', async () => {
    // GIVEN restartPolicy Never, init containers true false, app true
    const { code, pods, stderr } = await watch(pod('scenario-4', 'Never', ['true', 'false'], ['echo app-ran']));
    // THEN every status until init2 failed keeps the app waiting, init1 never failed, then the pod completes
    const end = until(
      pods,
      (p) => {
        appContainersWaiting(p);
        if (p.status.initContainerStatuses?.length !== 2) return false;
        const first = p.status.initContainerStatuses[0]!;
        if (!first.state.terminated) {
          if (first.state.waiting && first.state.waiting.reason !== 'PodInitializing') {
            throw new Error(`second init container should have reason PodInitializing: ${JSON.stringify(first)}`);
          }
          return false;
        }
        if (first.state.terminated.exitCode !== 0)
          throw new Error(`first init container should have exitCode != 0: ${JSON.stringify(first)}`);
        const second = p.status.initContainerStatuses[1]!;
        if (!second.state.terminated) return false;
        if (second.state.terminated.exitCode === 0)
          throw new Error(`second init container should have failed: ${JSON.stringify(second)}`);
        return true;
      },
      podCompleted,
    );
    checkInvariants(pods);
    expect(end.status.phase).toBe('Failed');
    const init = condition(end.status, 'Initialized');
    expect(init).toBeDefined();
    expect(init!.status).toBe('False');
    expect(init!.reason).toBe('ContainersNotInitialized');
    expect(init!.message).toBe('containers with incomplete status: [init2]');
    expect(end.status.initContainerStatuses).toHaveLength(2);
    expect(end.status.containerStatuses[0]!.state.waiting).toBeDefined();
    expect(code).toBe(1);
    expect(byName(end.status.initContainerStatuses, 'init2').state.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
    });
    neverStarted(end.status.containerStatuses[0]!);
    expect(stderr).toMatch(/Init:Error/);
    expect(stderr).not.toMatch(/app-ran/);
  });
});

describe('pod semantics', () => {
  it('failurePolicy: Ignore goes on past a failed init container', async () => {
    const yaml = pod('ignore', 'Never', ['exit 4', 'true'], ['true']).replace(
      'metadata: { name: ignore }',
      'metadata: { name: ignore, annotations: { pod2sfn.dev/failure-policy.init1: Ignore } }',
    );
    const { code, pod: p } = await run(yaml);
    expect(code).toBe(0);
    expect(p.status.phase).toBe('Succeeded');
    expect(byName(p.status.initContainerStatuses, 'init1').state.terminated?.exitCode).toBe(4);
    expect(byName(p.status.initContainerStatuses, 'init2').state.terminated?.exitCode).toBe(0);
  });

  it('runs app containers at the same time', async () => {
    const dir = tempDir();
    const stamp = (name: string) => `date +%s%3N > ${dir}/${name}.start; sleep 2; date +%s%3N > ${dir}/${name}.end`;
    const { code } = await run(pod('together', 'Never', [], [stamp('a'), stamp('b')]));
    expect(code).toBe(0);
    const t = (f: string) => Number(readFileSync(join(dir, f), 'utf8'));
    expect(t('a.start')).toBeLessThan(t('b.end'));
    expect(t('b.start')).toBeLessThan(t('a.end'));
    expect(Math.max(t('a.end'), t('b.end')) - Math.min(t('a.start'), t('b.start'))).toBeLessThan(3500);
  });

  it('OnFailure restarts the failing app container and not its sibling', async () => {
    const dir = tempDir();
    const flaky = `n=$(cat ${dir}/count 2>/dev/null || echo 0); echo $((n+1)) > ${dir}/count; [ $n -ge 2 ]`;
    const steady = `echo ran >> ${dir}/steady; sleep 1`;
    const { code, pod: p } = await run(
      pod('onfailure', 'OnFailure', [], [flaky, steady], '  activeDeadlineSeconds: 60'),
    );
    expect(code).toBe(0);
    expect(byName(p.status.containerStatuses, 'run1')).toMatchObject({
      restartCount: 2,
      lastState: { terminated: { exitCode: 1 } },
    });
    expect(byName(p.status.containerStatuses, 'run2').restartCount).toBe(0);
    expect(readFileSync(join(dir, 'steady'), 'utf8')).toBe('ran\n');
  });

  it('ends a Job at its backoffLimit: the Job says BackoffLimitExceeded, its pod counts the restarts', async () => {
    // GIVEN a Job whose only container always fails, backoffLimit 2
    const job = [
      'apiVersion: batch/v1',
      'kind: Job',
      'metadata: { name: limited }',
      'spec:',
      '  backoffLimit: 2',
      '  template:',
      '    spec:',
      '      restartPolicy: Never',
      '      containers:',
      '        - { name: work, image: busybox, command: ["sh", "-c", "exit 5"] }',
    ].join('\n');
    // WHEN run with -o json
    const { code, stdout, stderr } = await runCli(['run', specFile(tempDir(), job), ...SCALE, '-o', 'json']);
    // THEN -o prints a batch/v1 Job, failed as the Job controller fails it
    expect(code).toBe(1);
    const printed = JSON.parse(stdout) as {
      apiVersion: string;
      kind: string;
      status: { failed: number; conditions: Array<{ type: string; reason: string }> };
    };
    expect([printed.apiVersion, printed.kind]).toEqual(['batch/v1', 'Job']);
    expect(printed.status.failed).toBe(3);
    expect(printed.status.conditions.map((c) => [c.type, c.reason])).toEqual([
      ['FailureTarget', 'BackoffLimitExceeded'],
      ['Failed', 'BackoffLimitExceeded'],
    ]);
    // THEN the live view prints kubectl get job,pod lines: the Job Failed, its pod Error with 2 restarts
    expect(stderr).toMatch(/^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE$/m);
    expect(stderr).toMatch(/^job\.batch\/limited\s+Failed\s+0\/1\s/m);
    expect(stderr).toMatch(/^pod\/limited\s+0\/1\s+Error\s+2 \(/m);
  });

  it('passes env values with quotes, $( ) and newlines unchanged, and never prints a secret', async () => {
    const dir = tempDir();
    const tricky = `it's "quoted" $(echo nope) \`uname\` $HOME \\n\nsecond line`;
    writeFileSync(join(dir, 'env'), `DB_PASSWORD="s3cr3t-value-xyz"\n`);
    const yaml = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: { name: envs }',
      'spec:',
      '  restartPolicy: Never',
      '  containers:',
      '    - name: show',
      '      image: busybox',
      `      command: ["sh", "-c", "printf %s \\"$TRICKY\\" > ${dir}/tricky; printf ` +
        `%s \\"$DB_PASSWORD\\" > ${dir}/secret; printf %s \\"$POD\\" > ${dir}/pod"]`,
      '      env:',
      `        - { name: TRICKY, value: ${JSON.stringify(tricky)} }`,
      '        - { name: DB_PASSWORD, valueFrom: { secretKeyRef: { name: db, key: password } } }',
      '        - { name: POD, valueFrom: { fieldRef: { fieldPath: metadata.name } } }',
    ].join('\n');
    const result = await run(yaml, ['--values-file', join(dir, 'env')]);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(dir, 'tricky'), 'utf8')).toBe(tricky);
    expect(readFileSync(join(dir, 'secret'), 'utf8')).toBe('s3cr3t-value-xyz');
    expect(readFileSync(join(dir, 'pod'), 'utf8')).toBe('envs');
    expect(result.stdout + result.stderr).not.toContain('s3cr3t-value-xyz');

    const missing = await run(yaml);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /spec\.containers\[0\]\.env\[1\]\.valueFrom\.secretKeyRef: Secret "db" key "password" not found/,
    );
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  it('restarts a native sidecar that exits, until the app containers are done', async () => {
    const yaml = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: { name: flappy }',
      'spec:',
      '  restartPolicy: Never',
      '  initContainers:',
      '    - { name: ticker, image: busybox, restartPolicy: Always, command: ["sh", "-c", "echo tick; sleep 0.2"] }',
      '  containers:',
      '    - { name: app, image: busybox, command: ["sh", "-c", "sleep 2"] }',
    ].join('\n');
    const { code, pod: p, stdout, stderr } = await run(yaml);
    expect(code, stderr).toBe(0);
    expect(p.status.phase).toBe('Succeeded');
    const ticker = byName(p.status.initContainerStatuses, 'ticker');
    expect(ticker.restartCount).toBeGreaterThanOrEqual(2);
    // Every run counts; the last one may be stopped, with the app, before it printed its tick.
    const ticks = (stdout + stderr).match(/\[ticker\] tick/g)!.length;
    expect(ticks).toBeGreaterThanOrEqual(ticker.restartCount);
    expect(ticks).toBeLessThanOrEqual(ticker.restartCount + 1);
  });

  it('expands $(VAR) in args and env values from the container env, as Kubernetes does', async () => {
    const dir = tempDir();
    const yaml = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: { name: expander }',
      'spec:',
      '  restartPolicy: Never',
      '  containers:',
      '    - name: show',
      '      image: busybox',
      '      command: ["sh", "-c"]',
      // Single quotes keep the shell out: what it prints is what pod2sfn passed.
      `      args: ["printf %s '$(POD) $$(POD) $(NOPE)' > ${dir}/out; printf ' %s' \\"$GREETING\\" >> ${dir}/out"]`,
      '      env:',
      '        - { name: POD, valueFrom: { fieldRef: { fieldPath: metadata.name } } }',
      '        - { name: GREETING, value: "hello $(POD)" }',
    ].join('\n');
    const result = await run(yaml);
    expect(result.code, result.stderr).toBe(0);
    // $(POD) expanded, $$(POD) escaped, $(NOPE) undefined and left as written; GREETING's value expanded too.
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('expander $(POD) $(NOPE) hello expander');
  });

  it('Ctrl-C stops every container, prints the status reached and leaves no process behind', async () => {
    const marker = `pod2sfn-marker-${process.pid}-${Date.now()}`;
    const dir = tempDir();
    const yaml = pod(
      'interrupted',
      'Never',
      [],
      [`sleep 300 & sh -c 'exec -a ${marker} sleep 300' & wait`, `exec -a ${marker}-2 sleep 300`],
    );
    const result = await runCli(['run', specFile(dir, yaml)], {
      whenOutput: { match: /Running/, then: (pid) => setTimeout(() => process.kill(pid, 'SIGINT'), 300) },
    });
    expect(result.code).toBe(130);
    expect(result.stdout).toMatch(/interrupted\s+0\/2\s+Error/);
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(marker));
    expect(left).toEqual([]);
  });
});

describe('examples', () => {
  it('the seed example runs init-container-1, init-container-2, then main-container and exits 0', async () => {
    const result = await runCli(['run', join(import.meta.dirname, '../../examples/init-containers.yaml'), '--quiet']);
    expect(result.code).toBe(0);
    expect(result.ms).toBeGreaterThan(19_000);
    expect(result.ms).toBeLessThan(26_000);
    expect(result.stdout).toMatch(/init-containers-pod\s+0\/1\s+Completed/);
  }, 40_000);

  it('shared-volume: the app container reads what the init container wrote', async () => {
    const result = await runCli(['run', join(import.meta.dirname, '../../examples/shared-volume.yaml'), ...SCALE]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('[serve-page] <h1>hello from the init container</h1>');
  });

  it('native-sidecar: the sidecar runs beside the app and is stopped after it', async () => {
    const result = await runCli([
      'run',
      join(import.meta.dirname, '../../examples/native-sidecar.yaml'),
      ...SCALE,
      '-o',
      'json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const p = JSON.parse(result.stdout) as Pod;
    expect(p.status.phase).toBe('Succeeded');
    expect(byName(p.status.initContainerStatuses, 'log-shipper').state.terminated).toBeDefined();
    expect(result.stderr).toMatch(/sidecar-pod\s+2\/2\s+Running/);
  });

  it('failing-init exits 1 with Init:Error; job.yaml exits 0', async () => {
    const failing = await runCli(['run', join(import.meta.dirname, '../../examples/failing-init.yaml'), ...SCALE]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/Init:Error/);
    const job = await runCli(['run', join(import.meta.dirname, '../../examples/job.yaml'), ...SCALE]);
    expect(job.code, job.stdout + job.stderr).toBe(0);
  });
});
