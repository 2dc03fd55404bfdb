import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../lib/compile.js';
import { unhostableExecutors } from '../../lib/cli/localstack.js';
import { eventLine } from '../../lib/cli/stack-events.js';
import { removeStuckStack, type StackApi } from '../../lib/cli/stuck-stack.js';
import { packageRoot } from '../../lib/package-root.js';
import { example } from '../aws/synth.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/run-cli.js';
import { tracedMain } from '../helpers/traced.js';

const SEED = join(packageRoot(), 'examples/init-containers.yaml');
const HOST_MODE = { version: '4.14.0', edition: 'unknown', is_docker: false };
const dir = tempDir('pod2sfn-deploy-verbs-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function compiled(text: string, executor?: 'lambda' | 'ecs' | 'activity') {
  return compile(text, executor ? { executor } : {}).compiled!;
}

describe('deploying to a LocalStack that cannot host the executors', () => {
  it('names the containers it cannot run and the way out', () => {
    // GIVEN the seed pod on the default executor and a host-mode LocalStack
    const message = unhostableExecutors(compiled(example('init-containers.yaml')), HOST_MODE, 'init-containers-pod');
    // THEN each container is named with its executor, and --executor activity with the agent command
    expect(message).toContain(
      'host-mode LocalStack 4.14.0 cannot run init-container-1 (lambda), init-container-2 (lambda), ' +
        'main-container (lambda)',
    );
    expect(message).toContain('--executor activity');
    expect(message).toContain('pod2sfn agent --stack init-containers-pod');
  });

  it('accepts the activity executor, and Lambda on a LocalStack in Docker, but ECS only on a paid edition', () => {
    const seed = example('init-containers.yaml');
    expect(unhostableExecutors(compiled(seed, 'activity'), HOST_MODE, 'p')).toBeUndefined();
    expect(
      unhostableExecutors(compiled(seed, 'lambda'), { version: '4', edition: 'community', is_docker: true }, 'p'),
    ).toBeUndefined();
    expect(
      unhostableExecutors(compiled(seed, 'ecs'), { version: '4', edition: 'community', is_docker: true }, 'p'),
    ).toMatch(/\(ecs\)/);
    expect(
      unhostableExecutors(compiled(seed, 'ecs'), { version: '4', edition: 'pro', is_docker: true }, 'p'),
    ).toBeUndefined();
  });

  it('says that --executor does not override an annotation', () => {
    // GIVEN a container pinned to lambda by its annotation
    const pinned = example('init-containers.yaml').replace(
      /metadata:\n/,
      'metadata:\n  annotations: { pod2sfn.dev/executor.main-container: lambda }\n',
    );
    const message = unhostableExecutors(compiled(pinned, 'activity'), HOST_MODE, 'p');
    // THEN only that container is refused, and the message says where to change it
    expect(message).toMatch(/cannot run main-container \(lambda\): nothing was deployed/);
    expect(message).toMatch(/does not override the pod2sfn\.dev\/executor annotation of main-container/);
  });

  describe('pod2sfn deploy', () => {
    let server: Server;
    const requests: string[] = [];
    let endpoint: string;
    beforeAll(async () => {
      // A stand-in LocalStack that records every request it gets.
      server = createServer((req, res) => {
        requests.push(`${req.method} ${req.url}`);
        res.setHeader('content-type', 'application/json');
        res.end(req.url === '/_localstack/info' ? JSON.stringify(HOST_MODE) : '{}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('refuses with exit 2 before it creates anything, or writes a cloud assembly', async () => {
      // WHEN the seed pod is deployed there with the default (lambda) executor
      const { code, stdout, stderr } = await cli(['deploy', SEED, '--endpoint', endpoint], { cwd: dir });
      // THEN it is refused as bad usage, naming --executor activity
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('--executor activity');
      // AND LocalStack was only asked what it is, and the user's directory got no cdk.out
      expect(requests).toEqual(['GET /_localstack/info']);
      expect(readdirSync(dir)).toEqual([]);
    });
  });
});

describe('removing a stack stuck in DELETE_FAILED', () => {
  /** A CloudFormation that fails the first delete, then deletes when told to retain the stuck ENI. */
  function fakeCloudFormation(start: string): StackApi & { calls: string[] } {
    let status: string | undefined = start;
    const calls: string[] = [];
    return {
      calls,
      async status() {
        return status;
      },
      async failedResources() {
        return [{ logicalId: 'Eni', type: 'AWS::EC2::NetworkInterface', physicalId: 'eni-123', reason: 'in use' }];
      },
      async delete(_stack, retain) {
        calls.push(`delete ${retain?.join(',') ?? ''}`.trim());
        status = retain?.includes('Eni') ? undefined : 'DELETE_FAILED';
      },
      async eventsSince(stack) {
        return [
          {
            StackName: stack,
            LogicalResourceId: 'Eni',
            ResourceType: 'AWS::EC2::NetworkInterface',
            ResourceStatus: status ?? 'DELETE_SKIPPED',
            Timestamp: new Date(),
          },
        ];
      },
    };
  }
  const io = () => {
    let stderr = '';
    return { io: { stderr: { write: (s: string) => ((stderr += s), true) } } as never, stderr: () => stderr };
  };

  it('deletes again, then retains what cannot be deleted and names it', async () => {
    // GIVEN a stack in DELETE_FAILED whose ENI stays in use
    const cfn = fakeCloudFormation('DELETE_FAILED');
    const out = io();
    // WHEN destroy removes it
    expect(await removeStuckStack(cfn, 'pod', out.io, 0)).toBe(true);
    // THEN it tried a plain delete first, then one retaining the ENI, and told the user what is left
    expect(cfn.calls).toEqual(['delete', 'delete Eni']);
    expect(out.stderr()).toMatch(
      /cannot delete AWS::EC2::NetworkInterface eni-123 \(in use\): retaining it; delete it yourself/,
    );
    // AND printed the resource events it saw, one line each
    expect(out.stderr()).toMatch(/pod {2}DELETE_FAILED +AWS::EC2::NetworkInterface +Eni/);
  });

  it('leaves any other stack to the CDK toolkit', async () => {
    const cfn = fakeCloudFormation('ROLLBACK_COMPLETE');
    expect(await removeStuckStack(cfn, 'pod', io().io, 0)).toBe(false);
    expect(cfn.calls).toEqual([]);
  });
});

describe('a resource event line', () => {
  it('reads as a table row: time, progress, stack, status, type, resource, reason', () => {
    const line = eventLine(
      {
        Timestamp: new Date('2026-12-01T10:11:12Z'),
        StackName: 'pod',
        ResourceStatus: 'CREATE_FAILED',
        ResourceType: 'AWS::Lambda::Function',
        ResourceStatusReason: 'Resource handler\nreturned message',
      },
      'Pod/Runner_main/Function',
      '3/12',
    );
    expect(line).toBe(
      `10:11:12  3/12  pod  ${'CREATE_FAILED'.padEnd(18)}  ${'AWS::Lambda::Function'.padEnd(34)}` +
        `  Pod/Runner_main/Function  Resource handler returned message`,
    );
  });
});

describe.skipIf(!existsSync(join(packageRoot(), 'dist/bin/pod2sfn.js')))('the CLI and the package entries', () => {
  it.each(['validate', 'synth'])('%s loads neither the root entry nor the CDK toolkit', (verb) => {
    // GIVEN the CLI's modules as tsc built them (the bundle would hide a stray import of the root entry
    // inside a chunk), with every module it resolves traced
    const { modules } = tracedMain([verb, SEED]);
    // THEN it ran, and neither pod2sfn's construct entry nor the toolkit library was loaded
    expect(modules.some((m) => m.endsWith(`/dist/lib/cli/actions/${verb}.js`))).toBe(true);
    expect(modules.filter((m) => /\/dist\/lib\/(index|core)\.js$|toolkit-lib|aws-cdk-lib/.test(m))).toEqual([]);
  });
});
