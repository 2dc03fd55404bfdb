/**
 * What a Task handler throws once the run was stopped. The engine replays pending retries after an
 * abort (docs/design.md §4): this refuses them, and no Retry or Catch may take it.
 */
export function abortedError(): Error {
  return Object.assign(new Error('the run was stopped'), { name: ABORTED, isRetryable: false, isCatchable: false });
}

export function isAborted(e: Error): boolean {
  return e.name === ABORTED;
}

const ABORTED = 'Pod2sfn.Aborted';
