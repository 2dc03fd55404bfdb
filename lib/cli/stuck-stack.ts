import type { Io } from './io.js';
import { eventLine, type StackEventLike } from './stack-events.js';

/** What removing a stuck stack needs of CloudFormation (a fake in tests, the SDK otherwise). */
export interface StackApi {
  /** The stack's status, or undefined when there is no such stack (or it is DELETE_COMPLETE). */
  status(stack: string): Promise<string | undefined>;
  /** The resources whose deletion failed: what DeleteStack may retain. */
  failedResources(
    stack: string,
  ): Promise<ReadonlyArray<{ logicalId: string; type: string; physicalId?: string; reason?: string }>>;
  /** DeleteStack; `retain` only applies to a stack in DELETE_FAILED. */
  delete(stack: string, retain?: readonly string[]): Promise<void>;
  /** Events newer than `since`, oldest first. */
  eventsSince(stack: string, since: Date): Promise<readonly StackEventLike[]>;
}

/**
 * A stack left in DELETE_FAILED (a resource CloudFormation could not delete: an ENI still in use, a
 * bucket with objects) blocks every later deploy. First delete it again, since the cause is often gone
 * by now; if that fails too, delete it retaining the resources that cannot be deleted, and name them so
 * that the user can remove them by hand. Resolves whether the stack was stuck (and is now gone).
 */
export async function removeStuckStack(api: StackApi, stack: string, io: Io, pollMs = 5000): Promise<boolean> {
  if ((await api.status(stack)) !== 'DELETE_FAILED') return false;
  io.stderr.write(`pod2sfn destroy: stack ${stack} is DELETE_FAILED; deleting it again\n`);
  if ((await deleteAndWait(api, stack, io, pollMs)) === undefined) return true;

  const failed = await api.failedResources(stack);
  for (const r of failed) {
    io.stderr.write(
      `pod2sfn destroy: cannot delete ${r.type} ${r.physicalId ?? r.logicalId}${r.reason ? ` (${r.reason})` : ''}: ` +
        'retaining it; delete it yourself\n',
    );
  }
  const status = await deleteAndWait(
    api,
    stack,
    io,
    pollMs,
    failed.map((r) => r.logicalId),
  );
  if (status !== undefined)
    throw new Error(`stack ${stack} is still ${status} after deleting it with its failed resources retained`);
  return true;
}

async function deleteAndWait(
  api: StackApi,
  stack: string,
  io: Io,
  pollMs: number,
  retain?: readonly string[],
): Promise<string | undefined> {
  let since = new Date(Date.now() - 1000);
  await api.delete(stack, retain);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    for (const event of await api.eventsSince(stack, since)) {
      io.stderr.write(`${eventLine(event)}\n`);
      if (event.Timestamp && event.Timestamp > since) since = event.Timestamp;
    }
    const status = await api.status(stack);
    if (status !== 'DELETE_IN_PROGRESS') return status;
  }
}

/** StackApi on the AWS SDK's CloudFormation client (loaded by the caller, on demand). */
export async function cloudFormationStacks(
  client: import('@aws-sdk/client-cloudformation').CloudFormationClient,
): Promise<StackApi> {
  const { DeleteStackCommand, DescribeStackEventsCommand, DescribeStackResourcesCommand, DescribeStacksCommand } =
    await import('@aws-sdk/client-cloudformation');
  return {
    async status(stack) {
      try {
        const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stack }));
        const status = Stacks?.[0]?.StackStatus;
        return status === 'DELETE_COMPLETE' ? undefined : status;
      } catch (e) {
        if (/does not exist/.test((e as Error).message)) return undefined;
        throw e;
      }
    },
    async failedResources(stack) {
      const { StackResources } = await client.send(new DescribeStackResourcesCommand({ StackName: stack }));
      return (StackResources ?? [])
        .filter((r) => r.ResourceStatus === 'DELETE_FAILED')
        .map((r) => ({
          logicalId: r.LogicalResourceId!,
          type: r.ResourceType ?? '',
          ...(r.PhysicalResourceId && { physicalId: r.PhysicalResourceId }),
          ...(r.ResourceStatusReason && { reason: r.ResourceStatusReason }),
        }));
    },
    async delete(stack, retain) {
      await client.send(
        new DeleteStackCommand({
          StackName: stack,
          ...(retain && retain.length > 0 && { RetainResources: [...retain] }),
        }),
      );
    },
    async eventsSince(stack, since) {
      try {
        const { StackEvents } = await client.send(new DescribeStackEventsCommand({ StackName: stack }));
        return (StackEvents ?? []).filter((e) => e.Timestamp && e.Timestamp > since).reverse();
      } catch {
        return [];
      }
    },
  };
}
