import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./trace-hooks.mjs', import.meta.url);

// A CommonJS load (require, createRequire) does not pass the hooks above: traced here, as the same URLs.
const Module = createRequire(import.meta.url)('node:module');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  let url = request;
  try {
    const file = Module._resolveFilename(request, parent, isMain);
    url = Module.isBuiltin(file) ? `node:${file.replace(/^node:/, '')}` : pathToFileURL(file).href;
  } catch {
    // unresolvable: the load below throws and says why
  }
  appendFileSync(process.env.POD2SFN_TRACE_FILE, `${url}\n`);
  return load.apply(this, arguments);
};
