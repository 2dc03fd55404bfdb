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
    list.map((cmd, i) => `    - name: ${prefix}${i + 1}\n      image: busybox\n      command: ["sh", "-c", ${JSON.stringify(cmd)}]`).join('\n');
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

describe('kubelet scenarios (test/e2e/common/node/init_container.go)', () => {
  it('1. Never, init true true, app true: Succeeded, Initialized, both init containers terminated 0', async () => {
    const { code, pod: p, stderr } = await run(pod('scenario-1', 'Never', ['true', 'true'], ['true']));
    expect(code, stderr).toBe(0);
    expect(p.status.phase).toBe('Succeeded');
    expect(condition(p.status, 'Initialized')?.status).toBe('True');
    for (const c of p.status.initContainerStatuses!) expect(c.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(p.status.containerStatuses[0]!.state.terminated?.exitCode).toBe(0);
    expect(stderr).toMatch(/scenario-1\s+0\/1\s+Completed/);
  });

  it('2. Always, init true true, long-running app: Running while it runs, Initialized', async () => {
    const { code, pod: p, stderr } = await run(pod('scenario-2', 'Always', ['true', 'true'], ['sleep 60'], '  activeDeadlineSeconds: 2'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/scenario-2\s+1\/1\s+Running/);
    expect(condition(p.status, 'Initialized')?.status).toBe('True');
    expect(p.status.reason).toBe('DeadlineExceeded');
    expect(p.status.containerStatuses[0]!.state.terminated).toBeDefined();
  });

  it('3. Always, init false true, long-running app: stays Pending, init1 restarts, the rest never start', async () => {
    const { code, pod: p, stderr } = await run(pod('scenario-3', 'Always', ['false', 'true'], ['sleep 60'], '  activeDeadlineSeconds: 3'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/Init:CrashLoopBackOff/);
    expect(stderr).not.toMatch(/PodInitializing|Running/);
    expect(p.status.phase).toBe('Failed');
    expect(p.status.reason).toBe('DeadlineExceeded');
    const init1 = byName(p.status.initContainerStatuses, 'init1');
    expect(init1.restartCount).toBeGreaterThanOrEqual(3);
    expect(init1.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    neverStarted(byName(p.status.initContainerStatuses, 'init2'));
    neverStarted(p.status.containerStatuses[0]!);
    expect(condition(p.status, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init1 init2]' });
  });

  it('4. Never, init true false, app true: Failed, Initialized False [init2], app never started', async () => {
    const { code, pod: p, stderr } = await run(pod('scenario-4', 'Never', ['true', 'false'], ['echo app-ran']));
    expect(code).toBe(1);
    expect(p.status.phase).toBe('Failed');
    expect(condition(p.status, 'Initialized')).toMatchObject({ status: 'False', message: 'containers with incomplete status: [init2]' });
    expect(byName(p.status.initContainerStatuses, 'init2').state.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    neverStarted(p.status.containerStatuses[0]!);
    expect(stderr).toMatch(/Init:Error/);
    expect(stderr).not.toMatch(/app-ran/);
  });
});

describe('pod semantics', () => {
  it('failurePolicy: Ignore goes on past a failed init container', async () => {
    const yaml = pod('ignore', 'Never', ['exit 4', 'true'], ['true']).replace('metadata: { name: ignore }', 'metadata: { name: ignore, annotations: { pod2sfn.dev/failure-policy.init1: Ignore } }');
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
    const { code, pod: p } = await run(pod('onfailure', 'OnFailure', [], [flaky, steady], '  activeDeadlineSeconds: 60'));
    expect(code).toBe(0);
    expect(byName(p.status.containerStatuses, 'run1')).toMatchObject({ restartCount: 2, lastState: { terminated: { exitCode: 1 } } });
    expect(byName(p.status.containerStatuses, 'run2').restartCount).toBe(0);
    expect(readFileSync(join(dir, 'steady'), 'utf8')).toBe('ran\n');
  });

  it("ends a Job at its backoffLimit with restartCount equal to the limit", async () => {
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
    const { code, pod: p } = await run(job);
    expect(code).toBe(1);
    expect(p.status.phase).toBe('Failed');
    expect(p.status.reason).toBe('BackoffLimitExceeded');
    expect(p.status.containerStatuses[0]).toMatchObject({ restartCount: 2, state: { terminated: { exitCode: 5 } } });
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
      `      command: ["sh", "-c", "printf %s \\"$TRICKY\\" > ${dir}/tricky; printf %s \\"$DB_PASSWORD\\" > ${dir}/secret; printf %s \\"$POD\\" > ${dir}/pod"]`,
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
    expect(missing.stderr).toMatch(/spec\.containers\[0\]\.env\[1\]\.valueFrom\.secretKeyRef: Secret "db" key "password" not found/);
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
    expect((stdout + stderr).match(/\[ticker\] tick/g)!.length).toBe(ticker.restartCount + 1);
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
    const yaml = pod('interrupted', 'Never', [], [`sleep 300 & sh -c 'exec -a ${marker} sleep 300' & wait`, `exec -a ${marker}-2 sleep 300`]);
    const result = await runCli(['run', specFile(dir, yaml)], { whenOutput: { match: /Running/, then: (pid) => setTimeout(() => process.kill(pid, 'SIGINT'), 300) } });
    expect(result.code).toBe(130);
    expect(result.stdout).toMatch(/interrupted\s+0\/2\s+Error/);
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(marker));
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
    const result = await runCli(['run', join(import.meta.dirname, '../../examples/native-sidecar.yaml'), ...SCALE, '-o', 'json']);
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
