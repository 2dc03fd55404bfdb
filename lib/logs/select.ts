/**
 * Which container attempts `pod2sfn logs` prints, as `kubectl logs` picks them. Pure: the verb
 * (lib/cli/actions/logs.ts) reads them. Errors are the user's (exit 2) and say what kubectl says.
 */
import type { PodShape } from '../model/pod-shape.js';
import type { AttemptLogs } from './locations.js';

export interface Selection {
  readonly container?: string;
  readonly allContainers: boolean;
  readonly previous: boolean;
}

export class SelectionError extends Error {}

/** The containers to print, init containers first, in spec order. */
export function selectContainers(shape: PodShape, run: string, wanted: Selection): string[] {
  const init = shape.init.map((s) => s.container.name);
  const app = shape.app.map((s) => s.container.name);
  if (wanted.container !== undefined) {
    if (![...init, ...app].includes(wanted.container))
      throw new SelectionError(`container ${wanted.container} is not valid for pod ${run}`);
    return [wanted.container];
  }
  if (wanted.allContainers || init.length + app.length === 1) return [...init, ...app];
  const initPart = init.length > 0 ? ` or one of the init containers: [${init.join(' ')}]` : '';
  throw new SelectionError(
    `a container name must be specified for pod ${run}, choose one of: [${app.join(' ')}]${initPart}`,
  );
}

/**
 * The attempt of `container` to print: its latest, or with `previous` the one before it (kubectl's
 * "previous terminated container"); undefined when it has not started (nothing to print yet).
 */
export function selectAttempt(
  attempts: readonly AttemptLogs[],
  container: string,
  run: string,
  previous: boolean,
): { attempt: AttemptLogs; next?: AttemptLogs } | undefined {
  const own = attempts.filter((a) => a.container === container);
  const index = own.length - (previous ? 2 : 1);
  if (index < 0) {
    if (previous) throw new SelectionError(`previous terminated container "${container}" in pod "${run}" not found`);
    return undefined;
  }
  // The next attempt of any container bounds a Lambda invocation's search; its own next one is enough.
  return { attempt: own[index]!, ...(own[index + 1] && { next: own[index + 1] }) };
}

const UNITS_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** A Go duration as kubectl's --since takes it (`5s`, `2m`, `1h30m`), in milliseconds; undefined if it is not one. */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of text.matchAll(/(\d+(\.\d+)?)(ns|us|µs|ms|s|m|h)/g))
    total += Number(amount) * UNITS_MS[unit!]!;
  return total;
}
