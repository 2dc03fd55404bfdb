import type { ParseArgsConfig } from 'node:util';
import type { Io } from './io.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** What a verb's `run` gets: parsed flags and positionals (node:util parseArgs, strict). */
export interface Invocation {
  readonly values: Readonly<Record<string, string | boolean | Array<string | boolean> | undefined>>;
  readonly positionals: readonly string[];
  readonly io: Io;
}

/** One `pod2sfn VERB` as its help shows it: what `--help` prints and what parseArgs needs, nothing it runs. */
export interface VerbDescriptor {
  readonly name: string;
  /** One line for `pod2sfn --help`. */
  readonly summary: string;
  /** `pod2sfn synth FILE [--executor lambda|ecs|activity] [-o json|yaml]` */
  readonly usage: string;
  /** The flags, each with a one-line description for `--help`. */
  readonly options: Options;
  readonly descriptions: Readonly<Record<string, string>>;
  /**
   * Flags whose value may be left out, with the value they then take (`--timeline` is
   * `--timeline=mermaid`). A value is then given with `=`, as GNU tools take optional arguments.
   */
  readonly optionalValues?: Readonly<Record<string, string>>;
  /** Longer help: examples, what the exit codes mean. */
  readonly details?: string;
}

/** What a verb does with its invocation. Returns the exit code. */
export type VerbRun = (invocation: Invocation) => Promise<number>;

/**
 * A verb: its module holds only its descriptor; `implementation` loads what it does (a module that
 * exports `run`) when it runs, never for its help.
 */
export interface LazyVerb extends VerbDescriptor {
  implementation(): Promise<{ run: VerbRun }>;
}

/** parseArgs wants a value for every string flag: a bare `--flag` whose value is optional becomes `--flag=value`. */
export function withOptionalValues(args: readonly string[], optional: Readonly<Record<string, string>> = {}): string[] {
  const end = args.indexOf('--');
  return args.map((arg, i) => {
    const name = arg.slice(2);
    const bare = (end === -1 || i < end) && arg.startsWith('--') && Object.hasOwn(optional, name);
    return bare ? `${arg}=${optional[name]}` : arg;
  });
}

/** Bad usage (unknown flag, missing FILE): printed with the verb's usage line, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
