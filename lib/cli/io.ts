import type { Readable, Writable } from 'node:stream';

/** The process's streams, passed in so that tests run verbs in-process and read what they print. */
export interface Io {
  readonly stdin: Readable;
  readonly stdout: Writable & { isTTY?: boolean; columns?: number };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export function processIo(): Io {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** Exit codes scripts can trust. */
export const EXIT = {
  ok: 0,
  /** The pod failed (run, status). */
  podFailed: 1,
  /** Invalid input or usage. */
  usage: 2,
  /** A bug or an environment problem; the message says which. */
  internal: 70,
  /** Interrupted with Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;
