/**
 * The executors a container can run on (docs/design.md §6). A leaf module: the manifest validates
 * annotation values against this list, and every layer keeps a `Record<Executor, …>` of what each
 * executor means there, so that adding one cannot be done halfway.
 */
export const EXECUTORS = ['lambda', 'ecs', 'activity'] as const;
export type Executor = (typeof EXECUTORS)[number];

export function parseExecutor(value: string): Executor | undefined {
  return (EXECUTORS as readonly string[]).includes(value) ? (value as Executor) : undefined;
}
