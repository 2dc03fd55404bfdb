/**
 * Kubernetes' `$(VAR_NAME)` expansion in command, args and env values
 * (k8s.io/kubernetes/third_party/forked/golang/expansion): a reference to a defined variable becomes
 * its value, `$$` becomes `$` (so `$$(VAR)` stays `$(VAR)`), and anything else — an undefined
 * variable, an unclosed `$(` — is left as written. No shell is involved.
 */
export function expand(text: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '$' || i + 1 >= text.length) {
      out += c;
      continue;
    }
    const next = text[i + 1]!;
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = text.indexOf(')', i + 2);
      if (close < 0) {
        out += '$(';
        i++;
        continue;
      }
      const name = text.slice(i + 2, close);
      out += lookup(name) ?? `$(${name})`;
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

/** The container with `$(VAR)` in its command and args expanded from its environment. */
export function expandCommand<T extends { readonly command: readonly string[]; readonly args: readonly string[] }>(
  container: T,
  env: Readonly<Record<string, string>>,
): T {
  const lookup = (name: string) => (Object.hasOwn(env, name) ? env[name] : undefined);
  return {
    ...container,
    command: container.command.map((s) => expand(s, lookup)),
    args: container.args.map((s) => expand(s, lookup)),
  };
}
