import { parseArgs } from 'node:util';
import { DiagnosticError, formatDiagnostic, printable, quote } from '../diagnostics.js';
import { packageVersion } from '../package-root.js';
import { EXIT, processIo, type Io } from './io.js';
import { UsageError, withOptionalValues, type LazyVerb, type VerbDescriptor } from './verb.js';

/**
 * The verb table: each entry loads a verb's descriptor, and only when that verb is asked for, so that
 * `validate` never pays for what `deploy` needs (aws-cdk-lib costs seconds to load), and `--help` and
 * `--version` load no verb at all. lib/cli/verbs/VERB.ts exports `verb: LazyVerb` (name, summary, usage,
 * options, descriptions, optionalValues, details), importing nothing but lib/cli/flags.ts and
 * lib/cli/verb.ts; its `implementation()` is `() => import('../actions/VERB.js')`, a module exporting
 * `run(invocation)`. `VERB --help` loads the descriptor only; the implementation is loaded to run.
 * Flag tables that several verbs share live in lib/cli/flags.ts.
 *
 * A new verb also gets its line in SUMMARIES below (the top-level help reads no verb module).
 */
const VERBS: Readonly<Record<string, () => Promise<{ verb: LazyVerb }>>> = {
  validate: () => import('./verbs/validate.js'),
  synth: () => import('./verbs/synth.js'),
  graph: () => import('./verbs/graph.js'),
  run: () => import('./verbs/run.js'),
  start: () => import('./verbs/start.js'),
  status: () => import('./verbs/status.js'),
  logs: () => import('./verbs/logs.js'),
  get: () => import('./verbs/get.js'),
  describe: () => import('./verbs/describe.js'),
  delete: () => import('./verbs/delete.js'),
  deploy: () => import('./verbs/deploy.js'),
  diff: () => import('./verbs/diff.js'),
  destroy: () => import('./verbs/destroy.js'),
  agent: () => import('./verbs/agent.js'),
};

const SUMMARIES: Readonly<Record<string, string>> = {
  validate: 'check a pod spec; warnings for what pod2sfn ignores, errors by field path',
  synth: 'print the Step Functions definition (ASL) a pod spec compiles to',
  graph: 'draw the state machine as a Mermaid or Graphviz diagram',
  run: 'run a pod spec on this machine (embedded engine, real processes) with live kubectl-style status',
  start: 'start a run of a deployed pod (Step Functions or the runs API)',
  status: 'print the Pod status of a deployed run from its execution history',
  logs: "print a container's logs of a deployed run (kubectl logs), from CloudWatch Logs",
  get: 'list the runs of a deployed pod as kubectl get pods does (newest first; -w follows)',
  describe: 'describe a deployed run as kubectl describe pod does: containers, conditions, events',
  delete: 'stop a deployed run and its running containers (kubectl delete pod)',
  deploy: 'deploy a pod spec as a CloudFormation stack (AWS, or LocalStack with --endpoint); prints the runs API URL',
  diff: "show what deploy would change in the pod's stack (exit 1 when something would)",
  destroy: "delete the pod's stack, also one a failed deploy left behind",
  agent: "run the activity executor's containers on this machine (pod2sfn's kubelet)",
};

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const wanted = first === 'help' ? rest[0] : undefined;
    if (wanted !== undefined && wanted in VERBS) return printVerbHelp((await VERBS[wanted]!()).verb, io);
    io.stdout.write(topHelp());
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`pod2sfn ${packageVersion()}\n`);
    return EXIT.ok;
  }
  const load = VERBS[first];
  if (!load) {
    io.stderr.write(`pod2sfn: unknown command ${quote(first)}\nRun 'pod2sfn --help' for the list of commands.\n`);
    return EXIT.usage;
  }
  const { verb } = await load();
  try {
    if (rest.includes('--help') || rest.includes('-h')) return printVerbHelp(verb, io);
    const args = withOptionalValues(rest, verb.optionalValues);
    const { values, positionals } = parseArgs({ args, options: verb.options, allowPositionals: true, strict: true });
    const { run } = await verb.implementation();
    return await run({ values, positionals, io });
  } catch (e) {
    return reportFailure(e, verb, io);
  }
}

function reportFailure(e: unknown, verb: VerbDescriptor, io: Io): number {
  if (e instanceof DiagnosticError) {
    for (const d of e.diagnostics) io.stderr.write(`${formatDiagnostic(d, e.source)}\n`);
    return EXIT.usage;
  }
  if (e instanceof UsageError || isParseArgsError(e)) {
    io.stderr.write(
      `pod2sfn ${verb.name}: ${printableLines((e as Error).message)}\nUsage: ` +
        `${verb.usage}\nRun 'pod2sfn ${verb.name} --help' for more.\n`,
    );
    return EXIT.usage;
  }
  // Not the user's input: say what happened without a stack trace, unless asked for one.
  const message = e instanceof Error ? e.message : String(e);
  io.stderr.write(`pod2sfn ${verb.name}: ${printableLines(message)}\n`);
  if (io.env.POD2SFN_DEBUG && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
  return EXIT.internal;
}

/** A message that may quote what the user typed (a flag, a name): each line made printable, none unbounded. */
function printableLines(message: string): string {
  return message.split('\n').map(printable).join('\n');
}

function isParseArgsError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function printVerbHelp(verb: VerbDescriptor, io: Io): number {
  const flags = Object.entries(verb.options).map(([name, option]) => {
    const short = option.short ? `-${option.short}, ` : '    ';
    const optional = verb.optionalValues !== undefined && Object.hasOwn(verb.optionalValues, name);
    const value = option.type === 'string' ? (optional ? '[=VALUE]' : ' VALUE') : '';
    return `  ${short}--${name}${value}`.padEnd(30) + ` ${verb.descriptions[name] ?? ''}`;
  });
  io.stdout.write(
    [
      `Usage: ${verb.usage}`,
      '',
      verb.summary,
      '',
      'Flags:',
      ...flags,
      `      --help`.padEnd(30) + ' show this help',
      ...(verb.details ? ['', verb.details] : []),
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

function topHelp(): string {
  const width = Math.max(...Object.keys(SUMMARIES).map((k) => k.length));
  return [
    'pod2sfn compiles a Kubernetes Pod, Job or workload pod template into an AWS Step Functions state',
    'machine, with the semantics a kubelet gives it, and runs it locally, on LocalStack or on AWS.',
    '',
    'Usage: pod2sfn COMMAND [FLAGS] FILE',
    '',
    'Commands:',
    ...Object.entries(SUMMARIES).map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`),
    '',
    "Run 'pod2sfn COMMAND --help' for a command's flags. FILE may be - for stdin.",
    'Exit codes: 0 ok; 1 the pod failed; 2 invalid input or usage; 130 interrupted.',
    '',
  ].join('\n');
}
