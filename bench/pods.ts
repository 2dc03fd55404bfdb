/** Generated pod specs for the bench: `init` init containers and `app` app containers running `command`. */
export function podYaml(name: string, init: number, app: number, command = 'true'): string {
  const container = (id: string) =>
    `    - { name: ${id}, image: busybox, command: ["sh", "-c", ${JSON.stringify(command)}] }`;
  return [
    'apiVersion: v1',
    'kind: Pod',
    `metadata: { name: ${name} }`,
    'spec:',
    '  restartPolicy: Never',
    ...(init > 0 ? ['  initContainers:', ...Array.from({ length: init }, (_, i) => container(`init-${i}`))] : []),
    '  containers:',
    ...Array.from({ length: app }, (_, i) => container(`app-${i}`)),
    '',
  ].join('\n');
}

/** The smallest machine of `n` Task states in a row: what the engine costs without pod2sfn's ASL. */
export function minimalChain(n: number): { StartAt: string; States: Record<string, unknown> } {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    states[`T${i}`] = {
      Type: 'Task',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:t',
      ...(i + 1 < n ? { Next: `T${i + 1}` } : { End: true }),
    };
  }
  return { StartAt: 'T0', States: states };
}
