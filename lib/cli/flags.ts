import { EXECUTORS } from '../model/executor.js';
import { RUNTIMES } from '../local/runtime.js';
import type { Options } from './verb.js';

/**
 * The flag tables verbs share, in a module that imports nothing heavy: a verb's descriptor (its
 * `--help`) is built from them without loading what the verb does (lib/cli/main.ts says how).
 */

/** The flags every verb that compiles a spec takes. */
export const COMPILE_OPTIONS: Options = {
  name: { type: 'string' },
  executor: { type: 'string' },
};

export const COMPILE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  name: 'the object to use when FILE holds several (its metadata.name)',
  executor:
    `run containers that have no pod2sfn.dev/executor annotation on ${EXECUTORS.join('|')}` +
    ` (default: lambda, or ecs when a container does not fit a Lambda)`,
};

/** The flags that say where a run is: shared by every verb that takes RUN, and by `get pods`. */
export const RUN_OPTIONS: Options = {
  ...COMPILE_OPTIONS,
  file: { type: 'string', short: 'f' },
  stack: { type: 'string' },
  api: { type: 'string' },
  'api-key': { type: 'string' },
};

export const RUN_DESCRIPTIONS: Readonly<Record<string, string>> = {
  ...COMPILE_DESCRIPTIONS,
  file:
    'the pod spec the stack was deployed from: finds its state machine (pod2sfn-<namespace>-<name>), ' +
    'names its containers',
  stack: "the stack pod2sfn deploy made (the pod's name; deploy -o json says it): finds its state machine",
  api: "the stack's runs API (its ApiUrl output, …/runs): requests signed with SigV4, or sent with --api-key",
  'api-key': 'for a stack deployed with -c auth=apiKey',
};

/** The flags of deploy, diff and destroy. */
export const STACK_OPTIONS: Options = {
  ...COMPILE_OPTIONS,
  endpoint: { type: 'string' },
  'cdk-out': { type: 'string' },
};

export const STACK_DESCRIPTIONS: Readonly<Record<string, string>> = {
  ...COMPILE_DESCRIPTIONS,
  endpoint:
    'an AWS-compatible endpoint such as LocalStack (http://127.0.0.1:4566); ' +
    'test credentials unless AWS_* say otherwise',
  'cdk-out': 'where the cloud assembly is written (default ./cdk.out)',
};

/**
 * The `--values-file` / `--secrets-dir` flags of `run` and `agent`: where local Secret and ConfigMap
 * values come from. Not `--env-file`: Node 20 reads that flag itself, wherever it appears (a missing
 * file exits 9; NODE_OPTIONS= inside it runs code in pod2sfn).
 */
export const VALUES_OPTIONS = {
  'values-file': { type: 'string' },
  'secrets-dir': { type: 'string' },
} as const;

export const VALUES_DESCRIPTIONS = {
  'values-file': 'NAME=value lines giving env variables that come from a Secret or ConfigMap',
  'secrets-dir': 'DIR/<name>/<key> files: the Secrets and ConfigMaps the pod reads',
};

/** `--timeline[=mermaid|svg|png]` and `--timeline-file PATH`, as `run` and `status` take them. */
export const TIMELINE_OPTIONS: Options = { timeline: { type: 'string' }, 'timeline-file': { type: 'string' } };
export const TIMELINE_OPTIONAL_VALUES: Readonly<Record<string, string>> = { timeline: 'mermaid' };
export const TIMELINE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  timeline:
    'at the end, a gantt of every container attempt: mermaid (default), or svg/png drawn by Mermaid in Chromium',
  'timeline-file': 'write the timeline to PATH (needed for svg and png; mermaid goes to stdout without it)',
};

/** The container runtimes `--runtime` takes (lib/local/runtime.ts: names only, it loads nothing). */
export { RUNTIMES };
