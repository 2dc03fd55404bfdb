import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { error, DiagnosticError } from '../diagnostics.js';
import { PARSE_LIMITS } from '../manifest/parse.js';
import type { Io } from './io.js';

export interface SpecInput {
  /** What messages call it: the path as given, or `-` for stdin. */
  readonly source: string;
  readonly text: string;
}

/** Reads FILE, or stdin for `-`, refusing more than the parser would take. */
export async function readSpec(file: string, io: Io): Promise<SpecInput> {
  if (file === '-') return { source: '<stdin>', text: await readStdin(io) };
  return { source: file, text: readSpecFile(file, io.cwd) };
}

/** FILE's text; a file that cannot be read is a DiagnosticError naming it (the CLI and the CDK app share it). */
export function readSpecFile(file: string, cwd: string): string {
  const path = resolve(cwd, file);
  try {
    const info = statSync(path);
    if (info.isDirectory()) throw new DiagnosticError([error([], `${file}: is a directory`)]);
    if (info.size > PARSE_LIMITS.maxBytes)
      throw new DiagnosticError([error([], `${file}: larger than ${PARSE_LIMITS.maxBytes} bytes`)]);
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new DiagnosticError([error([], `${file}: ${why}`)]);
  }
}

async function readStdin(io: Io): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > PARSE_LIMITS.maxBytes)
      throw new DiagnosticError([error([], `<stdin>: larger than ${PARSE_LIMITS.maxBytes} bytes`)]);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
