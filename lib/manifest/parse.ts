import { CORE_SCHEMA, loadAll, YAMLException, type LoadOptions } from 'js-yaml';
import { error, type Diagnostic } from '../diagnostics.js';
import { occurrences } from '../text.js';

/** Bounds that keep a hostile file from exhausting memory or the stack. */
export const PARSE_LIMITS = {
  /** Larger than any real pod manifest; the API server itself refuses requests over 3 MiB. */
  maxBytes: 3 * 1024 * 1024,
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
  if (occurrences(text, ['\n', ','], PARSE_LIMITS.maxItems) > PARSE_LIMITS.maxItems) {
    return {
      documents: [],
      diagnostics: [error([], `input has more than ${PARSE_LIMITS.maxItems} lines and flow items`)],
    };
  }
  let values: unknown[];
  try {
    values = loadAll(text, null, YAML_OPTIONS);
  } catch (e) {
    const message = tooDeep(e) ? deeperThanLimit : `invalid YAML: ${yamlProblem(e)}`;
    return { documents: [], diagnostics: [error([], message)] };
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
      diagnostics.push(error([], `${where}${deeperThanLimit}`));
    } else documents.push({ index, value });
  });
  return { documents, diagnostics };
}

/**
 * Duplicate keys, unknown tags (`!!python/object`, `!!binary`) and complex keys are errors; the parser
 * stops at the first problem, as kubectl does, and at a node nested too deep before it recurses into it (a
 * million `[` fails at once). Its count of levels runs one or two above treeShape's (the scalar at the
 * bottom, a flow collection at the root), hence the margin: treeShape then measures the exact depth, through
 * aliases too (an alias is the object its anchor names, unexpanded). @types/js-yaml 4.0.9 predates js-yaml
 * 4.3's `maxDepth`.
 */
const YAML_OPTIONS: LoadOptions & { readonly maxDepth: number } = {
  schema: CORE_SCHEMA,
  maxDepth: 2 * PARSE_LIMITS.maxDepth,
};

const deeperThanLimit = `nesting deeper than ${PARSE_LIMITS.maxDepth} levels`;

function tooDeep(e: unknown): boolean {
  return e instanceof YAMLException && e.reason.startsWith('nesting exceeded maxDepth');
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
