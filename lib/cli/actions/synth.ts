import { definitionJson } from '../../compile.js';
import { EXIT } from '../io.js';
import { compileFile } from '../compile-file.js';
import { outputFormat, render } from '../output.js';
import type { Invocation } from '../verb.js';

/** `pod2sfn synth` (its flags and help: lib/cli/verbs/synth.ts). */
export async function run(invocation: Invocation): Promise<number> {
  const format = outputFormat(invocation.values.output);
  // The JSON text that deploys (placeholders as `${Key}`, a user's `${` escaped); YAML is read back from it.
  const json = definitionJson(await compileFile(invocation));
  invocation.io.stdout.write(format === 'json' ? json : render(JSON.parse(json), format));
  return EXIT.ok;
}
