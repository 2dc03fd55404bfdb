import type { Volume } from '../model/workflow.js';
import type { Launch, RuntimeFields, Starter } from '../runner/index.js';

export type RuntimeName = 'host' | 'docker';
export const RUNTIMES: readonly RuntimeName[] = ['host', 'docker'];

/** Where containers run under `pod2sfn run`: processes on this machine, or images under Docker. */
export interface ContainerRuntime {
  readonly name: RuntimeName;
  readonly start: Starter;
  /**
   * Told which containers start next (the next PREPARED_AHEAD init containers, while one runs), with how
   * to prepare each one's launch, which the runtime calls only for a sandbox it will build ahead (it keeps
   * at most that many). `start` uses what was built only if it is what it would build then.
   */
  prepare?(container: string, launch: () => Promise<Launch>): void;
  /** The host directory that is the volume's root for this run (the agent restores and saves it there). */
  volumeDir?(volume: Volume): Promise<string>;
  /** Removes what the run created (volume directories). */
  close(): Promise<void>;
}

/**
 * How many init containers ahead a sandbox is built: two, so that the next one is ready when the one
 * running exits, even when building one takes longer than running one (bench: per sequential container).
 */
export const PREPARED_AHEAD = 2;

/** Where a runtime keeps its run's directory. */
export interface RuntimeOptions {
  /** The directory under which the run's private directory is made. @default the system's temp dir */
  readonly root?: string;
}

/** The fieldRef values only a running pod knows, as a run on this machine answers them. */
export function localRuntimeFields(execution: string): RuntimeFields {
  return {
    'metadata.uid': execution,
    'spec.nodeName': 'localhost',
    'status.podIP': '127.0.0.1',
    'status.podIPs': '127.0.0.1',
    'status.hostIP': '127.0.0.1',
    'status.hostIPs': '127.0.0.1',
  };
}
