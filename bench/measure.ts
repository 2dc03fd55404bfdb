import { spawn, spawnSync } from 'node:child_process';
import type { Writable } from 'node:stream';

export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median wall time in ms of `fn` over `runs` runs (after one warm-up when `warm`). */
export function time(fn: () => void, runs: number, warm = false): number {
  if (warm) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

export async function timeAsync(fn: () => Promise<unknown>, runs: number, warm = false): Promise<number> {
  if (warm) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

/**
 * Runs a program to its end, output ignored; throws on an exit code other than `expected` (a bench of an
 * unexpected failure measures nothing).
 */
export const run =
  (argv: readonly string[], expected = 0) =>
  () => {
    const { status } = spawnSync(argv[0]!, argv.slice(1), { stdio: 'ignore' });
    if (status !== expected) throw new Error(`${argv.join(' ')}: exit ${status}, expected ${expected}`);
  };

/** `count` programs at once from this process, waited for together. */
export function parallel(argv: readonly string[], count: number): Promise<void> {
  const exits = Array.from(
    { length: count },
    () =>
      new Promise<void>((resolve, reject) => {
        spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' }).on('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`${argv[0]} exited ${code}`)),
        );
      }),
  );
  return Promise.all(exits).then(() => undefined);
}

/**
 * `count` gated sandboxes one after the other. `ahead` > 0: that many spawned before the one running is
 * released, each released when the one before it has closed, what sandboxes built ahead cost per
 * container (lib/local/host.ts); 0: each spawned after the one before it closed, and released at once.
 */
export async function sequentialAhead(
  argv: readonly string[],
  count: number,
  release: string,
  ahead: number,
): Promise<void> {
  const spawnOne = () => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'], detached: true });
    for (const stream of child.stdio.slice(1, 4)) stream?.on('data', () => undefined);
    const closed = new Promise<void>((resolve, reject) =>
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${argv[0]} exited ${code}`)))),
    );
    return { closed, release: () => (child.stdio[4] as Writable).end(release) };
  };
  const waiting = [spawnOne()];
  for (let i = 0; i < count; i++) {
    const current = waiting.shift() ?? spawnOne();
    current.release();
    while (waiting.length < Math.min(ahead, count - i - 1)) waiting.push(spawnOne());
    await current.closed;
  }
}

/** `count` programs one after the other, each spawned by this process and waited for. */
export async function sequential(argv: readonly string[], count: number): Promise<void> {
  for (let i = 0; i < count; i++) await parallel(argv, 1);
}

export function available(argv: readonly string[]): boolean {
  return spawnSync(argv[0]!, argv.slice(1), { stdio: 'ignore' }).status === 0;
}

/** The bench's table: a row is what is measured, its figure, the floor beside it, and a target's verdict. */
export interface Row {
  readonly what: string;
  readonly value: string;
  readonly floor?: string;
  readonly ratio?: string;
  readonly target?: string;
}

export function printTable(title: string, rows: readonly Row[]): void {
  const cells = rows.map((r) => [r.what, r.value, r.floor ?? '', r.ratio ?? '', r.target ?? '']);
  const head = ['work', 'pod2sfn', 'floor (same run)', 'ratio', 'target'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n### ${title}\n`);
  console.log(line(head));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const c of cells) console.log(line(c));
}

export const ms = (v: number, digits = 1) => `${v.toFixed(digits)} ms`;
export const us = (v: number) => `${(v * 1000).toFixed(0)} µs`;
export const verdict = (met: boolean, goal: string) => `${met ? 'met' : 'NOT met'}: ${goal}`;
