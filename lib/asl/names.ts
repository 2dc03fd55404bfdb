import { createHash } from 'node:crypto';

/** Step Functions' limit on a state name (docs/design.md §3). */
export const MAX_STATE_NAME = 80;

/**
 * Hands out state names that are unique across the whole definition (Parallel branches included)
 * and at most 80 characters: a long name keeps its start and ends in a short hash of the whole.
 */
export class StateNames {
  private readonly used = new Set<string>();

  take(wanted: string): string {
    let name = wanted.length <= MAX_STATE_NAME ? wanted : shorten(wanted);
    for (let n = 2; this.used.has(name); n++) name = shorten(`${wanted} #${n}`, true);
    this.used.add(name);
    return name;
  }
}

function shorten(name: string, always = false): string {
  if (!always && name.length <= MAX_STATE_NAME) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_STATE_NAME - hash.length - 1)}~${hash}`;
}
