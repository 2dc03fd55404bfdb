import { compile, type CompileOptions, type Compiled } from '../compile.js';
import { quote } from '../diagnostics.js';
import { parseExecutor, EXECUTORS, type Executor } from '../model/executor.js';
import { readSpec } from './input.js';
import type { Io } from './io.js';
import { report } from './output.js';
import { UsageError, type Invocation } from './verb.js';

/** FILE (or `-`) → compiled pod; warnings on stderr; bad input throws a DiagnosticError (exit 2). */
export async function compileFile(
  invocation: Invocation,
  io: Io = invocation.io,
  target: CompileOptions['target'] = 'deploy',
): Promise<Compiled & { source: string }> {
  const file = invocation.positionals[0];
  if (file === undefined) throw new UsageError('FILE is required (use - for stdin)');
  if (invocation.positionals.length > 1)
    throw new UsageError(`one FILE at a time; got ${invocation.positionals.length}`);
  const executorFlag = invocation.values.executor as string | undefined;
  let executor: Executor | undefined;
  if (executorFlag !== undefined) {
    executor = parseExecutor(executorFlag);
    if (!executor) throw new UsageError(`unknown executor ${quote(executorFlag)}: use ${EXECUTORS.join(', ')}`);
  }
  const { source, text } = await readSpec(file, io);
  const name = invocation.values.name as string | undefined;
  const result = compile(text, { ...(name !== undefined && { name }), ...(executor && { executor }), target });
  report(result.diagnostics, source, io);
  return { ...result.compiled!, source };
}
