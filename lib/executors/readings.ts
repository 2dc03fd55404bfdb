import { ERRORS, parseContainerFailureCause } from '../asl/errors.js';
import type { ContainerReading, ErrorDetails } from './contract.js';

/** How history readers read what the container runner answers, on the executors it answers through. */

export function describeError(error: ErrorDetails): string {
  return [error.error, error.cause].filter(Boolean).join(': ');
}

/** The runner's result, `{exitCode, message}` (lib/runner/handler.ts). */
export function runnerResult(result: Record<string, unknown>): ContainerReading {
  if (typeof result.exitCode !== 'number') return { exitCode: 0 };
  const message = typeof result.message === 'string' ? result.message : '';
  return { exitCode: result.exitCode, ...(message && { message }) };
}

/** The exit in the Cause of Pod2sfn.ContainerFailed, which the runner raises on a non-zero exit. */
export function runnerFailure(error: ErrorDetails): (ContainerReading & { readonly exitCode: number }) | undefined {
  if (error.error !== ERRORS.containerFailed) return undefined;
  const failure = parseContainerFailureCause(error.cause);
  return failure && { exitCode: failure.exitCode, message: failure.message };
}
