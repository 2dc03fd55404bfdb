import { definitionJson } from '../../compile.js';
import { EXIT } from '../io.js';
import { compileFile } from '../compile-file.js';
import { outputFormat, render } from '../output.js';
import type { Invocation } from '../verb.js';

/** `pod2sfn synth` (its flags and help: lib/cli/verbs/synth.ts). */
export async function run(invocation: Invocation): Promise<number> {
  const format = outputFormat(invocation.values.output);
  // The JSON text that deploys (placeholders as `${Key}`, a user's `${` escaped), indented for reading;
  // YAML is read back from it.
  const compiled = await compileFile(invocation);
  invocation.io.stdout.write(
    format === 'json'
      ? `${definitionJson(compiled, 'indented')}\n`
      : render(JSON.parse(definitionJson(compiled)), format),
  );
  return EXIT.ok;
}
