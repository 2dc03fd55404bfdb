// Module hooks (node --import): appends every resolved module URL to $POD2SFN_TRACE_FILE.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.POD2SFN_TRACE_FILE, `${result.url}\n`);
  return result;
}
