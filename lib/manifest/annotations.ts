import { error, quote, type Diagnostic, type PathSegment } from '../diagnostics.js';
import { Suggester } from './did-you-mean.js';
import { EXECUTORS, parseExecutor, type Executor } from '../model/executor.js';

export const ANNOTATION_PREFIX = 'pod2sfn.dev/';
export type FailurePolicy = 'Fail' | 'Ignore';

/** What a pod says to pod2sfn through `pod2sfn.dev/*` annotations. */
export interface Pod2sfnSettings {
  /** `pod2sfn.dev/executor`: the executor for every container without its own. */
  readonly executor?: Executor;
  /** `pod2sfn.dev/executor.<container>`. */
  readonly executors: ReadonlyMap<string, Executor>;
  /** `pod2sfn.dev/max-restarts`: bounds restarts of every container. */
  readonly maxRestarts?: number;
  /** `pod2sfn.dev/failure-policy.<container>`: the portable form of an init container's `failurePolicy`. */
  readonly failurePolicies: ReadonlyMap<string, FailurePolicy>;
  /** `pod2sfn.dev/heartbeat-seconds`: how soon a silent `pod2sfn agent` counts as lost (activity executor). */
  readonly heartbeatSeconds?: number;
}

const KEYS = ['executor', 'executor.<container>', 'max-restarts', 'failure-policy.<container>', 'heartbeat-seconds'];
/** Step Functions' HeartbeatSeconds is at least 1; an hour is already a long time to notice a lost worker. */
const MAX_HEARTBEAT_SECONDS = 3600;

/**
 * Reads the `pod2sfn.dev/*` annotations. Any other key under that prefix is an error: a misspelt
 * annotation would otherwise change nothing, silently.
 */
export function readSettings(
  annotations: Readonly<Record<string, string>>,
  path: readonly PathSegment[],
  containerNames: ReadonlySet<string>,
  initContainerNames: ReadonlySet<string>,
): { settings: Pod2sfnSettings; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let executor: Executor | undefined;
  let maxRestarts: number | undefined;
  let heartbeatSeconds: number | undefined;
  const executors = new Map<string, Executor>();
  const failurePolicies = new Map<string, FailurePolicy>();
  const suggester = new Suggester();

  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(ANNOTATION_PREFIX)) continue;
    const here = [...path, key];
    const [name, container] = splitKey(key.slice(ANNOTATION_PREFIX.length));
    const checkContainer = (names: ReadonlySet<string>, what: string): boolean => {
      if (container !== undefined && names.has(container)) return true;
      const near = container === undefined ? undefined : suggester.near(container, names);
      diagnostics.push(
        error(
          here,
          `Not found: ${quote(container ?? '')}: no ${what} of that name${near ? `; did you mean "${near}"?` : ''}`,
        ),
      );
      return false;
    };
    if (name === 'executor') {
      const parsed = parseExecutor(value);
      if (!parsed) diagnostics.push(error(here, unsupported(value, EXECUTORS)));
      else if (container === undefined) executor = parsed;
      else if (checkContainer(containerNames, 'container')) executors.set(container, parsed);
    } else if (name === 'max-restarts' && container === undefined) {
      if (/^\d{1,8}$/.test(value)) maxRestarts = Number(value);
      else diagnostics.push(error(here, `Invalid value: ${quote(value)}: must be a whole number from 0 to 99999999`));
    } else if (name === 'heartbeat-seconds' && container === undefined) {
      const seconds = /^\d{1,4}$/.test(value) ? Number(value) : 0;
      if (seconds >= 1 && seconds <= MAX_HEARTBEAT_SECONDS) heartbeatSeconds = seconds;
      else {
        const range = `must be a whole number of seconds from 1 to ${MAX_HEARTBEAT_SECONDS}`;
        diagnostics.push(error(here, `Invalid value: ${quote(value)}: ${range}`));
      }
    } else if (name === 'failure-policy' && container !== undefined) {
      if (value !== 'Fail' && value !== 'Ignore') diagnostics.push(error(here, unsupported(value, ['Fail', 'Ignore'])));
      else if (checkContainer(initContainerNames, 'init container')) failurePolicies.set(container, value);
    } else {
      const near = suggester.near(name + (container === undefined ? '' : '.<container>'), KEYS);
      const hint = near
        ? `: did you mean "${ANNOTATION_PREFIX}${near}"?`
        : `: known keys are ${KEYS.map((k) => ANNOTATION_PREFIX + k).join(', ')}`;
      diagnostics.push(error(here, `Unknown annotation${hint}`));
    }
  }
  const settings: Pod2sfnSettings = { executors, failurePolicies };
  return {
    settings: {
      ...settings,
      ...(executor !== undefined && { executor }),
      ...(maxRestarts !== undefined && { maxRestarts }),
      ...(heartbeatSeconds !== undefined && { heartbeatSeconds }),
    },
    diagnostics,
  };
}

export function unsupported(value: string, supported: readonly string[]): string {
  return `Unsupported value: ${quote(value)}: supported values: ${supported.map((s) => quote(s)).join(', ')}`;
}

function splitKey(rest: string): [string, string | undefined] {
  const dot = rest.indexOf('.');
  return dot < 0 ? [rest, undefined] : [rest.slice(0, dot), rest.slice(dot + 1)];
}
