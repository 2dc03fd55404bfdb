import type { SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../lib/agent/agent.js';
import type { ContainerHost } from '../../lib/agent/host.js';

/**
 * The agent against a scripted Step Functions: what it sends, in which order. LocalStack 4.14 ignores
 * an answer sent before it armed the task's heartbeat wait, and refuses heartbeats as InvalidToken
 * until then (docs/agent.md).
 */
class ScriptedSfn {
  readonly calls: string[] = [];
  private tasks: Array<{ taskToken: string; input: string }>;
  constructor(
    tasks: string[],
    private readonly refusedHeartbeats: number,
    private readonly pollError?: string,
  ) {
    this.tasks = tasks.map((execution, i) => ({
      taskToken: `token-${i}`,
      input: JSON.stringify({
        action: 'run',
        execution,
        heartbeatSeconds: 3,
        container: { name: 'app' },
        pod: { name: 'p', namespace: 'default' },
        volumes: [],
      }),
    }));
  }
  private heartbeats = 0;
  async send(command: { constructor: { name: string } }, options?: { abortSignal?: AbortSignal }): Promise<unknown> {
    const name = command.constructor.name.replace(/Command$/, '');
    this.calls.push(name);
    if (name === 'GetActivityTask') {
      if (this.pollError) throw Object.assign(new Error(`${this.pollError}: 'arn'`), { name: this.pollError });
      const task = this.tasks.shift();
      if (task) return task;
      // An empty long poll: held until the agent aborts it.
      return new Promise((_, reject) => {
        options?.abortSignal?.addEventListener('abort', () => reject(new Error('aborted')));
      });
    }
    if (name === 'SendTaskHeartbeat' && this.heartbeats++ < this.refusedHeartbeats) {
      throw Object.assign(new Error('Invalid Token'), { name: 'InvalidToken' });
    }
    return {};
  }
}

const host: ContainerHost = {
  run: async () => ({ exitCode: 0, message: '' }),
  startSidecar: async () => 'h',
  stopSidecar: async () => undefined,
  close: async () => undefined,
};

function agentOn(client: ScriptedSfn, log: string[]): Agent {
  return new Agent({
    client: client as unknown as SFNClient,
    host,
    activities: ['arn:aws:states:us-east-1:0:activity:a'],
    workerName: 'w',
    log: (l) => log.push(l),
  });
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
}

describe('Agent', () => {
  it('answers only after Step Functions accepted a heartbeat, however soon the container ended', async () => {
    // GIVEN a task whose first two heartbeats are refused as InvalidToken (LocalStack not ready yet)
    const sfn = new ScriptedSfn(['e1'], 2);
    const agent = agentOn(sfn, []);
    // WHEN the agent runs it (the container ends at once)
    agent.start();
    await until(() => sfn.calls.includes('SendTaskSuccess'));
    await agent.stop(0);
    // THEN the success went after the third, accepted heartbeat, and the container was not stopped
    const answered = sfn.calls.indexOf('SendTaskSuccess');
    expect(sfn.calls.slice(0, answered).filter((c) => c === 'SendTaskHeartbeat')).toHaveLength(3);
    expect(sfn.calls).not.toContain('SendTaskFailure');
  });

  it('says once that its activity no longer exists, and resolves `gone`', async () => {
    // GIVEN an activity that was deleted (LocalStack restarted)
    const log: string[] = [];
    const sfn = new ScriptedSfn([], 0, 'ActivityDoesNotExist');
    const agent = agentOn(sfn, log);
    // WHEN the agent polls it
    agent.start();
    await agent.gone;
    await agent.stop(0);
    // THEN it polled once, said so once, and did not retry
    expect(sfn.calls).toEqual(['GetActivityTask']);
    expect(log.filter((l) => l.includes('does not exist'))).toHaveLength(1);
  });

  it('aborts its long polls when it stops', async () => {
    // GIVEN an agent holding an empty long poll
    const sfn = new ScriptedSfn([], 0);
    const agent = agentOn(sfn, []);
    agent.start();
    await until(() => sfn.calls.length > 0);
    // WHEN it stops THEN the stop does not wait for the poll to end
    const started = Date.now();
    await agent.stop(0);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
