import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { error, type Diagnostic } from '../diagnostics.js';

/** Bounds that keep a hostile file from exhausting memory or the stack. */
export const PARSE_LIMITS = {
  /** Larger than any real pod manifest; the API server itself refuses requests over 3 MiB. */
  maxBytes: 3 * 1024 * 1024,
  /** Aliases expanded per document; enough for the corpus' `&cmd`/`*cmd`, far from a billion laughs. */
  maxAliasCount: 100,
  /** Collections inside collections. */
  maxDepth: 64,
  /**
   * Lines plus flow-collection commas: a bound on the number of nodes, counted in one pass before the
   * YAML parser (about a microsecond per node) runs. The largest corpus manifest has 250 lines.
   */
  maxItems: 50_000,
} as const;

export interface ParsedDocument {
  /** 0-based position in a multi-document stream. */
  readonly index: number;
  readonly value: unknown;
}

export interface ParseResult {
  readonly documents: readonly ParsedDocument[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * YAML 1.2 (core schema) or JSON, one or many documents. No custom tags: a tag such as
 * `!!python/object` is an error rather than a silently stringified value.
 */
export function parseDocuments(text: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  if (Buffer.byteLength(text, 'utf8') > PARSE_LIMITS.maxBytes) {
    return { documents: [], diagnostics: [error([], `input is larger than ${PARSE_LIMITS.maxBytes} bytes`)] };
  }
  if (countItems(text, PARSE_LIMITS.maxItems) > PARSE_LIMITS.maxItems) {
    return {
      documents: [],
      diagnostics: [error([], `input has more than ${PARSE_LIMITS.maxItems} lines and flow items`)],
    };
  }
  // The parser recurses per level and takes seconds to fail on a million `[` (issue 14 §5): refuse before.
  if (nestingEstimate(text) > 4 * PARSE_LIMITS.maxDepth) {
    return { documents: [], diagnostics: [error([], `nesting deeper than ${PARSE_LIMITS.maxDepth} levels`)] };
  }
  const documents: ParsedDocument[] = [];
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, {
    version: '1.2',
    schema: 'core',
    resolveKnownTags: false,
    // The library compares every key with every other (quadratic: 15 s on 40,000 keys); duplicateKeys is linear.
    uniqueKeys: false,
    prettyErrors: true,
    lineCounter,
  });
  const list = Array.isArray(parsed) ? parsed : [];
  list.forEach((doc, index) => {
    const where = list.length > 1 ? `document ${index + 1}: ` : '';
    const problems = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')].map((p) =>
      firstLine(p.message),
    );
    if (problems.length === 0) problems.push(...duplicateKeys(doc, lineCounter));
    if (problems.length > 0) {
      for (const p of problems) diagnostics.push(error([], `${where}invalid YAML: ${p}`));
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: PARSE_LIMITS.maxAliasCount });
    } catch (e) {
      diagnostics.push(error([], `${where}invalid YAML: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    if (value === null || value === undefined) return; // empty document, e.g. a trailing `---`
    if (depth(value) > PARSE_LIMITS.maxDepth) {
      diagnostics.push(error([], `${where}nesting deeper than ${PARSE_LIMITS.maxDepth} levels`));
      return;
    }
    documents.push({ index, value });
  });
  return { documents, diagnostics };
}

/** Lines and commas, counted up to one past `limit`: indexOf finds each, faster than a loop per character. */
function countItems(text: string, limit: number): number {
  let n = 0;
  for (const c of ['\n', ',']) {
    for (let i = text.indexOf(c); i >= 0 && n <= limit; i = text.indexOf(c, i + 1)) n++;
  }
  return n;
}

/**
 * How deep the input nests, roughly and from above, in one pass: open flow brackets plus the compact
 * `- - -` sequences that begin a line. Quoted scalars and comments are skipped, so brackets in text do
 * not count; an unbalanced bracket in a plain scalar does, hence the caller's fourfold margin.
 */
function nestingEstimate(text: string): number {
  // The engine's regular expressions find the characters that matter: a loop per character is slow while
  // V8 has not compiled it, as at the one parse of a CLI run.
  let max = 0;
  let brackets = 0;
  for (let i = 0; i <= text.length;) {
    // A line's indentation and `- ` indicators.
    LINE_START.lastIndex = i;
    LINE_START.test(text);
    let dashes = 0;
    for (let d = i; d < LINE_START.lastIndex; d++) if (text.charCodeAt(d) === 45) dashes++; // '-'
    if (brackets + dashes > max) max = brackets + dashes;
    // The rest of the line: brackets, and the comments and quoted scalars whose brackets do not count.
    for (i = LINE_START.lastIndex; ;) {
      NOTABLE.lastIndex = i;
      if (!NOTABLE.test(text)) return max;
      const at = NOTABLE.lastIndex - 1;
      const c = text[at]!;
      i = at + 1;
      if (c === '\n') break;
      if (c === '[' || c === '{') {
        brackets++;
        if (brackets + dashes > max) max = brackets + dashes;
      } else if (c === ']' || c === '}') {
        if (brackets > 0) brackets--;
      } else if (tokenStart(text, at)) {
        i = c === '#' ? skipTo(text, at, '\n') : skipQuoted(text, at, c) + 1;
      }
    }
  }
  return max;
}

/** Indentation and `- ` indicators at the start of a line. */
const LINE_START = /(?:[ \t]|-[ \t])*/y;
/** What nestingEstimate looks at after them. */
const NOTABLE = /[\n[\]{}#"']/g;

/** Whether text[i] begins a token: it follows whitespace or an indicator (asked only of `#` and quotes). */
function tokenStart(text: string, i: number): boolean {
  return i === 0 || ' \t\n[{,:'.includes(text[i - 1]!);
}

function skipTo(text: string, from: number, c: string): number {
  const at = text.indexOf(c, from);
  return at < 0 ? text.length : at;
}

/** The index of the closing quote (`\"` escapes in double quotes, `''` in single ones). */
function skipQuoted(text: string, open: number, quote: string): number {
  for (let i = open + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return text.length;
}

/**
 * The YAML library's "Map keys must be unique" check, with a Set per map, in document order. A walk of
 * its own: the library's `visit` costs several times more per node (bench: synth of 1,000 containers).
 */
function duplicateKeys(doc: Document, lines: LineCounter): string[] {
  const out: string[] = [];
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isPair(node)) pending.push(node.value, node.key);
    else if (isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) pending.push(node.items[i]);
    else if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue; // as the library: a collection key equals only itself
        const key = pair.key.value;
        if (!seen.has(key)) {
          seen.add(key);
          continue;
        }
        const at = pair.key.range ? lines.linePos(pair.key.range[0]) : undefined;
        out.push(`Map keys must be unique${at ? ` at line ${at.line}, column ${at.col}` : ''}`);
        if (out.length >= 10) return out;
      }
      for (let i = node.items.length - 1; i >= 0; i--) pending.push(node.items[i]);
    }
  }
  return out;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function depth(value: unknown): number {
  // Iterative, so that measuring a deep value cannot itself overflow the stack.
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > PARSE_LIMITS.maxDepth) return max;
    if (v !== null && typeof v === 'object') {
      for (const child of Object.values(v)) stack.push([child, d + 1]);
    }
  }
  return max;
}
