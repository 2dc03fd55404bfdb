import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { BUILT_CLI, describeWith } from '../helpers/prerequisite.js';

const CLI = join(import.meta.dirname, '../../dist/bin/pod2sfn.js');

describeWith(BUILT_CLI, 'pod2sfn agent while Step Functions is unreachable', () => {
  it('retries with a growing delay, and stops at once on SIGTERM', async () => {
    // GIVEN an endpoint where nothing listens
    const agent = spawn(
      process.execPath,
      [CLI, 'agent', '--activity', 'arn:aws:states:us-east-1:000000000000:activity:nowhere'],
      {
        env: {
          ...process.env,
          AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_REGION: 'us-east-1',
          AWS_MAX_ATTEMPTS: '1',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let log = '';
    agent.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    // WHEN it has tried a few times
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if ((log.match(/retrying in/g) ?? []).length >= 3) {
          clearInterval(check);
          resolve();
        }
      }, 100);
    });
    const stoppedAt = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      agent.once('exit', resolve);
      agent.kill('SIGTERM');
    });
    // THEN the delays grew, and it stopped without waiting out its back-off
    expect([...log.matchAll(/retrying in (\d+)s/g)].map((m) => Number(m[1])).slice(0, 3)).toEqual([1, 2, 4]);
    expect(code).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    expect(log).toContain('[agent] stopped');
  }, 30_000);
});
