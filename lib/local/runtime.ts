import type { Starter } from '../../lambdas/container-runner/types.js';

export type RuntimeName = 'host' | 'docker';
export const RUNTIMES: readonly RuntimeName[] = ['host', 'docker'];

/** Where containers run under `pod2sfn run`: processes on this machine, or images under Docker. */
export interface ContainerRuntime {
  readonly name: RuntimeName;
  readonly start: Starter;
  /** Removes what the run created (volume directories). */
  close(): Promise<void>;
}
