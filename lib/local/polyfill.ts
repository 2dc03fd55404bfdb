/**
 * aws-local-stepfunctions declares Node >= 22 and calls Promise.withResolvers in every Task state;
 * without it on Node 20 every Task fails with a TypeError that a `States.ALL` Catch silently routes
 * (docs/design.md §4). Imported by ./engine.ts before the engine runs.
 */
const promise = Promise as unknown as { withResolvers?: unknown };
if (typeof promise.withResolvers !== 'function') {
  promise.withResolvers = function withResolvers<T>() {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const p = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise: p, resolve, reject };
  };
}
export {};
