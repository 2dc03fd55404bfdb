import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../lib/diagnostics.js';
import { loadPod } from '../../lib/manifest/index.js';

function messages(text: string, name?: string) {
  const result = loadPod(text, name === undefined ? {} : { name });
  return {
    pod: result.pod,
    errors: result.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d)),
    warnings: result.diagnostics.filter((d) => d.severity === 'warning').map((d) => formatDiagnostic(d)),
  };
}

const pod = (spec: string, metadata = 'name: p') => `apiVersion: v1
kind: Pod
metadata:
  ${metadata}
spec:
${spec}`;

describe('field errors read as kubectl prints them', () => {
  it('are the same in a pod of many containers as in a pod of one', () => {
    // GIVEN the same faulty container last in a pod of 1 and of 150 (past which zod's parsers are compiled)
    const faulty = '{ name: Bad_Name, image: busybox, imagePulPolicy: Always, command: [1], env: [{ value: x }] }';
    const many = (n: number) =>
      pod(
        [
          '  containers:',
          ...Array.from({ length: n - 1 }, (_, i) => `    - { name: c-${i}, image: busybox, command: [sh] }`),
          `    - ${faulty}`,
        ].join('\n'),
      );
    const errors = (n: number) => messages(many(n)).errors.map((e) => e.replace(`[${n - 1}]`, '[last]'));
    // THEN each error reads the same
    expect(errors(1).length).toBeGreaterThanOrEqual(4);
    expect(errors(150)).toEqual(errors(1));
  });

  it('names a missing image by its path', () => {
    // GIVEN an init container without an image
    const text = pod(`  initContainers:
    - name: a
      image: alpine
    - name: b
  containers:
    - name: main
      image: alpine`);
    // WHEN it is loaded / THEN the error names the field
    expect(messages(text).errors).toEqual(['spec.initContainers[1].image: Required value']);
  });

  it('rejects a container name that is not an RFC 1123 label', () => {
    const { errors } = messages(
      pod(`  containers:
    - name: Main_Container
      image: alpine`),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^spec\.containers\[0\]\.name: Invalid value: "Main_Container": a lowercase RFC 1123 label must consist of/,
    );
  });

  it('rejects a container name used twice across init and app containers', () => {
    const { errors } = messages(
      pod(`  initContainers:
    - name: same
      image: alpine
  containers:
    - name: same
      image: alpine`),
    );
    expect(errors).toEqual(['spec.containers[0].name: Duplicate value: "same"']);
  });

  it('lists the supported values of an enum', () => {
    const { errors } = messages(
      pod(`  restartPolicy: Sometimes
  containers:
    - name: main
      image: alpine`),
    );
    expect(errors).toEqual([
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
  });

  it('calls a field Kubernetes does not know an error, with a did-you-mean', () => {
    const { errors } = messages(
      pod(`  containers:
    - name: main
      imagee: alpine
      image: alpine
  initContainer: []`),
    );
    expect(errors).toEqual([
      'spec.containers[0].imagee: Unknown field: did you mean "image"?',
      'spec.initContainer: Unknown field: did you mean "initContainers"?',
    ]);
  });

  it('says what type was expected', () => {
    const { errors } = messages(
      pod(`  activeDeadlineSeconds: soon
  containers:
    - name: main
      image: alpine
      command: echo hi`),
    );
    expect(errors).toEqual([
      'spec.activeDeadlineSeconds: Invalid value: "soon": must be a number',
      'spec.containers[0].command: Invalid value: "echo hi": must be an array',
    ]);
  });

  it('rejects a mount of a volume that does not exist, suggesting the near one', () => {
    const { errors } = messages(
      pod(`  containers:
    - name: main
      image: alpine
      volumeMounts:
        - name: wrokdir
          mountPath: /w
  volumes:
    - name: workdir
      emptyDir: {}`),
    );
    expect(errors).toEqual(['spec.containers[0].volumeMounts[0].name: Not found: "wrokdir": did you mean "workdir"?']);
  });

  it('refuses hostPath volumes: a serverless task has no node', () => {
    const { errors } = messages(
      pod(`  containers:
    - name: main
      image: alpine
  volumes:
    - name: host
      hostPath: { path: /sys }`),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^spec\.volumes\[0\]\.hostPath: Forbidden: /);
  });

  it('requires a Job pod restartPolicy of OnFailure or Never', () => {
    const { errors } = messages(`apiVersion: batch/v1
kind: Job
metadata: { name: j }
spec:
  template:
    spec:
      containers: [{ name: main, image: alpine }]`);
    expect(errors).toEqual([
      'spec.template.spec.restartPolicy: Required value: a Job\'s pod must set restartPolicy "OnFailure" or "Never"',
    ]);
  });

  it('refuses an apiVersion that does not go with the kind', () => {
    const { errors } = messages(`apiVersion: extensions/v1beta1
kind: Deployment
metadata: { name: d }
spec: { template: { spec: { containers: [{ name: main, image: alpine }] } } }`);
    expect(errors).toEqual(['apiVersion: Unsupported value: "extensions/v1beta1": supported values: "apps/v1"']);
  });
});

describe('values Kubernetes or Step Functions would refuse', () => {
  it.each([
    [
      'a pod name that is not a DNS subdomain',
      pod('  containers: [{ name: main, image: x }]', 'name: "My Pod!"'),
      /^metadata\.name: Invalid value: "My Pod!": a lowercase RFC 1123 subdomain/,
    ],
    [
      'a deadline longer than an execution can run',
      pod('  activeDeadlineSeconds: 99999999999\n  containers: [{ name: main, image: x }]'),
      /^spec\.activeDeadlineSeconds: Invalid value: 99999999999: must be less than or equal to 31536000/,
    ],
    [
      'a negative quantity',
      pod('  containers: [{ name: main, image: x, resources: { limits: { memory: -1Gi } } }]'),
      /^spec\.containers\[0\]\.resources\.limits\.memory: Invalid value: "-1Gi": must be greater than or equal to 0/,
    ],
    [
      'a zero divisor',
      pod(
        '  containers: [{ name: main, image: x, env: [{ name: M, valueFrom: { ' +
          'resourceFieldRef: { resource: limits.memory, divisor: "0" } } }] }]',
      ),
      /divisor: Invalid value: "0": must be greater than 0/,
    ],
    [
      'a number too large for a double',
      pod('  activeDeadlineSeconds: 1e400\n  containers: [{ name: main, image: x }]'),
      // (js-yaml leaves a number no double holds a string: refused either way)
      /^spec\.activeDeadlineSeconds: Invalid value: "1e400": must be a number/,
    ],
  ])('refuses %s', (_what, text, message) => {
    const { errors } = messages(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });
});

describe('valid Kubernetes that pod2sfn does not honour warns, never silently', () => {
  it('warns for each ignored field by path', () => {
    // GIVEN probes, ports and a nodeSelector
    const { pod: loaded, warnings } = messages(
      pod(`  nodeSelector: { disk: ssd }
  containers:
    - name: main
      image: nginx
      ports: [{ containerPort: 80 }]
      readinessProbe: { httpGet: { path: /, port: 80 } }`),
    );
    // THEN the pod loads and each one is named
    expect(loaded).toBeDefined();
    expect(warnings).toEqual([
      expect.stringMatching(/^Warning: spec\.nodeSelector: pod2sfn doesn't support nodeSelector - ignoring \(/),
      expect.stringMatching(/^Warning: spec\.containers\[0\]\.ports: pod2sfn doesn't support ports - ignoring/),
      expect.stringMatching(
        /^Warning: spec\.containers\[0\]\.readinessProbe: pod2sfn doesn't support readinessProbe - ignoring/,
      ),
    ]);
  });

  it('accepts the failurePolicy extension with a warning that names the portable annotation', () => {
    const { pod: loaded, warnings } = messages(
      pod(`  initContainers:
    - name: optional-step
      image: alpine
      failurePolicy: Ignore
  containers:
    - name: main
      image: alpine`),
    );
    expect(loaded?.spec.initContainers?.[0]?.failurePolicy).toBe('Ignore');
    expect(warnings).toEqual([expect.stringContaining('pod2sfn.dev/failure-policy.optional-step: Ignore')]);
  });

  it('reads the pod2sfn.dev annotations and rejects unknown ones', () => {
    const ok = messages(
      pod(
        `  initContainers: [{ name: a, image: alpine }]
  containers: [{ name: main, image: alpine }]`,
        `name: p
  annotations:
    pod2sfn.dev/executor: ecs
    pod2sfn.dev/executor.main: activity
    pod2sfn.dev/max-restarts: "3"
    pod2sfn.dev/failure-policy.a: Ignore`,
      ),
    );
    expect(ok.errors).toEqual([]);
    expect(ok.pod?.settings.executor).toBe('ecs');
    expect(ok.pod?.settings.executors.get('main')).toBe('activity');
    expect(ok.pod?.settings.maxRestarts).toBe(3);
    expect(ok.pod?.settings.failurePolicies.get('a')).toBe('Ignore');

    const bad = messages(
      pod(
        `  containers: [{ name: main, image: alpine }]`,
        `name: p
  annotations:
    pod2sfn.dev/exector: ecs
    pod2sfn.dev/executor.nope: lambda
    pod2sfn.dev/max-restarts: many`,
      ),
    );
    expect(bad.errors).toEqual([
      'metadata.annotations["pod2sfn.dev/exector"]: Unknown annotation: did you mean "pod2sfn.dev/executor"?',
      'metadata.annotations["pod2sfn.dev/executor.nope"]: Not found: "nope": no container of that name',
      'metadata.annotations["pod2sfn.dev/max-restarts"]: Invalid ' +
        'value: "many": must be a whole number from 0 to 99999999',
    ]);
  });
});

describe('kinds and documents', () => {
  const job = `apiVersion: batch/v1
kind: Job
metadata: { name: j }
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: main, image: alpine }]`;

  it('takes the pod template of a Job, keeping its Job spec', () => {
    const { pod: loaded } = messages(job);
    expect(loaded?.kind).toBe('Job');
    expect(loaded?.job?.backoffLimit).toBe(2);
    expect(loaded?.specPath).toEqual(['spec', 'template', 'spec']);
  });

  it('skips objects that do not run a pod, with a warning', () => {
    const { pod: loaded, warnings } = messages(`apiVersion: v1\nkind: Service\nmetadata: { name: svc }\n---\n${job}`);
    expect(loaded?.name).toBe('j');
    expect(warnings).toContain('Warning: document 1 (Service/svc) does not run a pod - ignoring');
  });

  it('asks for --name when several objects run a pod, and honours it', () => {
    const two = `${job}\n---\n${pod('  containers: [{ name: main, image: alpine }]')}`;
    expect(messages(two).errors).toEqual(['found 2 objects that run a pod (Job/j, Pod/p): choose one with --name']);
    expect(messages(two, 'p').pod?.kind).toBe('Pod');
    expect(messages(two, 'q').errors).toEqual(['no object named "q"; found Job/j, Pod/p']);
  });

  it('reads JSON as well as YAML', () => {
    const json = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'main', image: 'alpine' }] },
    });
    expect(messages(json).pod?.name).toBe('p');
  });

  it('warns that a Deployment runs its template once', () => {
    const { warnings } = messages(`apiVersion: apps/v1
kind: Deployment
metadata: { name: d }
spec:
  replicas: 3
  selector: { matchLabels: { app: d } }
  template:
    metadata: { labels: { app: d } }
    spec: { containers: [{ name: main, image: alpine }] }`);
    expect(warnings[0]).toBe(
      'Warning: kind: Deployment runs its pod template once per execution; replicas, rollout and selectors are ignored',
    );
    expect(warnings).toContain(
      "Warning: spec.replicas: pod2sfn doesn't support replicas - ignoring (an execution runs the pod template once)",
    );
  });
});
