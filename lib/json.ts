/**
 * JSON from outside (causes, task outputs, secret strings) read without throwing. Never rethrows
 * JSON.parse's error: its message quotes the text, which may be a secret value.
 */
export function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The JSON object in `text`, or undefined when it is not one. */
export function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  return asRecord(parseJson(text));
}
