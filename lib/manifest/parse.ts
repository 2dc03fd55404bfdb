import { CORE_SCHEMA, loadAll, YAMLException } from 'js-yaml';
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
  let values: unknown[];
  try {
    // Duplicate keys, unknown tags (`!!python/object`, `!!binary`) and complex keys are errors; the parser
    // counts aliases itself, and stops at the first problem, as kubectl does. Nesting is measured below,
    // through aliases too (nestingEstimate keeps the parser's own recursion short).
    values = loadAll(text, { schema: CORE_SCHEMA, maxAliases: PARSE_LIMITS.maxAliasCount });
  } catch (e) {
    return { documents: [], diagnostics: [error([], `invalid YAML: ${yamlProblem(e)}`)] };
  }
  const documents: ParsedDocument[] = [];
  values.forEach((value, index) => {
    if (value === null || value === undefined) return; // empty document, e.g. a trailing `---`
    // An alias is the very object it names: a few of them can make a small text a huge tree (a billion laughs).
    const shape = treeShape(value);
    const where = values.length > 1 ? `document ${index + 1}: ` : '';
    if (shape.cycle) {
      diagnostics.push(error([], `${where}invalid YAML: an alias inside the node its anchor names`));
    } else if (shape.nodes > PARSE_LIMITS.maxItems) {
      diagnostics.push(error([], `${where}invalid YAML: aliases expand it past ${PARSE_LIMITS.maxItems} nodes`));
    } else if (shape.depth > PARSE_LIMITS.maxDepth) {
      diagnostics.push(error([], `${where}nesting deeper than ${PARSE_LIMITS.maxDepth} levels`));
    } else documents.push({ index, value });
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

/** The parser's reason and where it stopped, 1-based as an editor counts (its own message adds a snippet). */
function yamlProblem(e: unknown): string {
  if (!(e instanceof YAMLException)) return e instanceof Error ? e.message : String(e);
  const at = e.mark ? ` at line ${e.mark.line + 1}, column ${e.mark.column + 1}` : '';
  return `${e.reason}${at}`;
}

/** What treeShape finds of a node: how deep under it, how many nodes; `cycle` for an alias inside its anchor. */
interface Shape {
  readonly depth: number;
  readonly nodes: number;
  readonly cycle?: true;
}

/**
 * How deep the value nests and how many nodes it has once its aliases are expanded, each object measured
 * once (an alias shares its object): time in the size of the text, not of the expanded tree. An alias
 * inside the node it names makes a cycle, which nothing after the parser could walk.
 */
function treeShape(value: unknown): Shape {
  const shapes = new Map<object, Shape>();
  const open = new Set<object>();
  const measure = (v: unknown, level: number): Shape => {
    if (v === null || typeof v !== 'object') return LEAF;
    if (open.has(v)) return { depth: 0, nodes: 1, cycle: true };
    // Deeper than any limit: no need to look further (and the recursion stays bounded).
    if (level > PARSE_LIMITS.maxDepth) return { depth: 1, nodes: 1 };
    const known = shapes.get(v);
    if (known) return known;
    open.add(v);
    let depth = 0;
    let nodes = 1;
    let cycle = false;
    for (const child of Object.values(v)) {
      const shape = measure(child, level + 1);
      depth = Math.max(depth, shape.depth + 1);
      nodes += shape.nodes;
      cycle ||= shape.cycle === true;
    }
    open.delete(v);
    const shape: Shape = { depth, nodes, ...(cycle && { cycle: true }) };
    shapes.set(v, shape);
    return shape;
  };
  return measure(value, 0);
}

const LEAF: Shape = { depth: 0, nodes: 1 };
