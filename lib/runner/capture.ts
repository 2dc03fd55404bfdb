/** Kubernetes' limits on a container's message (terminationMessagePolicy). */
export const MESSAGE_LIMITS = { terminationBytes: 4096, logBytes: 2048, logLines: 80 } as const;

/** Keeps the last `limit` bytes of a stream, whatever its size: memory stays bounded. */
export class Tail {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0]!.length >= this.limit) this.size -= this.chunks.shift()!.length;
  }

  bytes(): Buffer {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit));
  }
}

/** FallbackToLogsOnError: the last 2048 bytes or 80 lines of the output, whichever is shorter. */
export function logTail(tail: Tail): string {
  const lines = tail.bytes().toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-MESSAGE_LIMITS.logLines).join('\n');
}

/** A termination message as the kubelet keeps it: at most 4 KiB. */
export function boundMessage(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= MESSAGE_LIMITS.terminationBytes
    ? text
    : bytes.subarray(0, MESSAGE_LIMITS.terminationBytes).toString('utf8');
}
