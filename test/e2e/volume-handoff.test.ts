import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeContainer } from '../../lib/asl/task-input.js';
import type { RunnerEvent } from '../../lib/runner/index.js';
import { handler } from '../../lambdas/container-runner/index.js';
import { tempDir } from '../helpers/temp.js';
import { activityPod, createPod, startAgent, type PodMachine, type RunningAgent } from './agent-harness.js';
import { AWS_ENV, CLIENT_CONFIG } from './env.js';
import { history, startExecution, waitForEnd } from './sfn.js';

/**
 * emptyDir volumes handed over through LocalStack's S3 (docs/design.md §9): by the Lambda runner in
 * this process, and between two agents with their own work dirs, each serving one container.
 */
const suffix = Date.now().toString(36);
const bucket = `pod2sfn-volumes-${suffix}`;
const s3 = new S3Client({ ...CLIENT_CONFIG, forcePathStyle: true });
const dir = tempDir('volume-handoff-');

beforeAll(async () => {
  Object.assign(process.env, AWS_ENV);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});

async function keys(prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

describe('the Lambda runner hands an emptyDir over through S3', () => {
  const work = `/tmp/pod2sfn-e2e-${suffix}/work`;
  const event = (execution: string, name: string, script: string, handoff: { restore: string[]; save: string[] }) =>
    ({
      pod: { name: 'p', namespace: 'default' },
      execution,
      volumes: [{ name: 'work', kind: 'emptyDir', optional: false }],
      handoff: { bucket, ...handoff },
      container: encodeContainer({
        name,
        image: 'alpine',
        command: ['sh', '-c', script],
        args: [],
        env: [],
        envFrom: [],
        mounts: [{ volume: 'work', mountPath: work, readOnly: false }],
        terminationMessagePath: join(dir, `${execution}-${name}.message`),
        terminationMessagePolicy: 'File',
      }),
    }) as RunnerEvent;
  const context = { getRemainingTimeInMillis: () => 60_000 };
  const fill = `mkdir -p ${work}/a/b ${work}/empty && echo deep > ${work}/a/b/deep.txt && ln -s a/b/deep.txt ${work}/l`;
  const check = (message: string) => `[ -L ${work}/l ] && [ -d ${work}/empty ] && cat ${work}/l > ${message} || exit 1`;

  it('restores in the next invocation what the last one saved, for its execution only', async () => {
    // GIVEN an init container's invocation that fills the volume and saves it
    await handler(event('lambda-1', 'fill', fill, { restore: [], save: ['work'] }), context);
    expect(await keys('volumes/lambda-1/')).toEqual(['volumes/lambda-1/work.tar.gz']);
    // WHEN the app container's invocation of the same execution restores it / THEN it finds the files
    const message = join(dir, 'lambda-1.check');
    await expect(
      handler(event('lambda-1', 'read', check(message), { restore: ['work'], save: [] }), context),
    ).resolves.toEqual({ exitCode: 0, message: '' });
    // AND another execution's container finds the volume empty, although the Lambda is warm
    const other = join(dir, 'lambda-2.check');
    const e = await handler(event('lambda-2', 'read', check(other), { restore: ['work'], save: [] }), context).catch(
      (x: Error) => x,
    );
    expect((e as Error).name).toBe('Pod2sfn.ContainerFailed');
  });
});

describe('two agents with their own work dirs hand an emptyDir over', () => {
  let pod: PodMachine;
  const agents: RunningAgent[] = [];
  const name = `handoff-${suffix}`;
  // Attempt 1 fills the volume and fails; attempt 2 (a restart) must find attempt 1's files.
  const fill = [
    'if [ -f /work/attempt ]; then [ -x /work/bin/run.sh ] && echo 2 >> /work/attempt; exit $?; fi',
    'mkdir -p /work/a/b /work/bin /work/empty && echo deep > /work/a/b/deep.txt',
    "printf '#!/bin/sh\\necho ran\\n' > /work/bin/run.sh && chmod 755 /work/bin/run.sh",
    'ln -s ../a/b/deep.txt /work/bin/deep && echo "$RUN" > /work/run-id && echo 1 > /work/attempt && exit 1',
  ].join('; ');
  const check =
    '[ -L /work/bin/deep ] && [ -d /work/empty ] && [ "$(/work/bin/run.sh)" = ran ] && ' +
    '[ "$(cat /work/attempt | tr -d "\\n")" = 12 ] && [ "$(cat /work/run-id)" = "$RUN" ] && ' +
    'cat /work/bin/deep /work/run-id | sha256sum | cut -c1-16 > /dev/termination-log';
  const env = 'env: [{ name: RUN, valueFrom: { fieldRef: { fieldPath: metadata.uid } } }]';
  const yaml = activityPod(
    name,
    10,
    120,
    `    - { name: check, image: alpine, ${env}, command: [sh, -c, ${JSON.stringify(check)}],
        volumeMounts: [{ name: work, mountPath: /work }] }
  initContainers:
    - { name: fill, image: alpine, ${env}, command: [sh, -c, ${JSON.stringify(fill)}],
        volumeMounts: [{ name: work, mountPath: /work }] }
  volumes: [{ name: work, emptyDir: {} }]`,
  ).replace('restartPolicy: Never', 'restartPolicy: OnFailure');

  beforeAll(async () => {
    pod = await createPod(name, yaml, { VolumeBucket: bucket });
    const [checkArn, fillArn] = [...pod.activities].sort((a, b) =>
      a.endsWith('-check') ? -1 : b.endsWith('-check') ? 1 : 0,
    );
    for (const [agent, activity] of [
      ['a', fillArn!],
      ['b', checkArn!],
    ] as const) {
      const workDir = join(dir, `agent-${agent}`);
      mkdirSync(workDir);
      agents.push(startAgent({ ...pod, activities: [activity] }, { name: agent, args: ['--work-dir', workDir] }));
    }
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
  });

  it('gives the app container on another agent what the init container wrote, per execution and restart', async () => {
    // WHEN two executions of the pod run at once
    const runs = [`${name}-x1`, `${name}-x2`];
    const arns = await Promise.all(runs.map((run) => startExecution(pod.stateMachineArn, { name: run })));
    const ended = await Promise.all(arns.map((arn) => waitForEnd(arn, 60_000)));
    // THEN each succeeded, and its app container's checksum is of its own execution's files
    expect(
      ended.map((e) => e.status),
      agents.map((a) => a.log()).join('\n'),
    ).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    for (const [i, arn] of arns.entries()) {
      const outputs = (await history(arn)).map((e) => e.activitySucceededEventDetails?.output).filter(Boolean);
      const messages = outputs.map((o) => (JSON.parse(o!) as { message: string }).message);
      const sum = createHash('sha256').update(`deep\n${runs[i]}\n`).digest('hex').slice(0, 16);
      expect(messages).toContain(`${sum}\n`);
    }
    // AND each execution has its own save
    expect(await keys(`volumes/${name}-`)).toEqual(runs.map((run) => `volumes/${run}/work.tar.gz`));
  });
});
