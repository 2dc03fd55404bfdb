import { ERRORS } from './errors.js';
import type { ChoiceRule, Retrier, State, StateMachineFragment } from './types.js';

export const DIAGRAM_FORMATS = ['mermaid', 'dot'] as const;
export type DiagramFormat = (typeof DIAGRAM_FORMATS)[number];

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  /** A Catch: the way taken on an error. */
  readonly error: boolean;
}

interface Node {
  readonly id: string;
  readonly name: string;
  readonly state: State;
}

interface Cluster {
  readonly id: string;
  /** The Parallel state's name; empty for the top level and for branches. */
  readonly stateName: string;
  readonly name: string;
  readonly nodes: Node[];
  readonly clusters: Cluster[];
}

/**
 * Any state machine as a diagram to paste into Markdown (Mermaid) or render with Graphviz (dot).
 * A Parallel state is a box holding its branches; its Retry shows on its label.
 */
export function diagram(definition: StateMachineFragment, format: DiagramFormat): string {
  const ids = new Map<string, string>();
  const edges: Edge[] = [];
  const root = walk(definition, 'root', '', ids, edges);
  return format === 'mermaid'
    ? mermaid(root, edges, ids.get(definition.StartAt)!)
    : dot(root, edges, ids.get(definition.StartAt)!);
}

function walk(
  fragment: StateMachineFragment,
  id: string,
  name: string,
  ids: Map<string, string>,
  edges: Edge[],
): Cluster {
  const cluster: Cluster = { id, stateName: '', name, nodes: [], clusters: [] };
  for (const [stateName, state] of Object.entries(fragment.States)) {
    const stateId = `s${ids.size}`;
    ids.set(stateName, stateId);
    if (state.Type === 'Parallel') {
      const inner: Cluster = { id: stateId, stateName, name: label(stateName, state), nodes: [], clusters: [] };
      state.Branches.forEach((branch, i) => {
        inner.clusters.push(walk(branch, `${stateId}_b${i}`, `branch ${i + 1}`, ids, edges));
      });
      cluster.clusters.push(inner);
    } else {
      cluster.nodes.push({ id: stateId, name: stateName, state });
    }
  }
  for (const [stateName, state] of Object.entries(fragment.States)) {
    const from = ids.get(stateName)!;
    if (state.Type === 'Choice') {
      // The first rule that matches wins: with more than one, their order is part of what they say.
      const numbered = state.Choices.length > 1;
      state.Choices.forEach((c, i) => {
        const label = `${numbered ? `(${i + 1}) ` : ''}${condition(c)}`;
        edges.push({ from, to: c.Next as string, label, error: false });
      });
      edges.push({ from, to: state.Default, label: 'default', error: false });
    } else if ('Next' in state && state.Next !== undefined) {
      edges.push({ from, to: state.Next, error: false });
    }
    if ('Catch' in state && state.Catch) {
      for (const c of state.Catch)
        edges.push({ from, to: c.Next, label: `catch ${c.ErrorEquals.join(', ')}`, error: true });
    }
  }
  return cluster;
}

/** A rule's comparison operators, *Path forms included (they compare with another path). */
const COMPARISONS: Readonly<Record<string, string>> = {
  StringEquals: '==',
  NumericEquals: '==',
  BooleanEquals: '==',
  TimestampEquals: '==',
  StringLessThan: '<',
  NumericLessThan: '<',
  TimestampLessThan: '<',
  StringGreaterThan: '>',
  NumericGreaterThan: '>',
  TimestampGreaterThan: '>',
  StringLessThanEquals: '<=',
  NumericLessThanEquals: '<=',
  TimestampLessThanEquals: '<=',
  StringGreaterThanEquals: '>=',
  NumericGreaterThanEquals: '>=',
  TimestampGreaterThanEquals: '>=',
  StringMatches: 'matches',
};
const TYPE_TESTS: Readonly<Record<string, string>> = {
  IsNull: 'null',
  IsString: 'a string',
  IsNumeric: 'a number',
  IsBoolean: 'a boolean',
  IsTimestamp: 'a timestamp',
};

/**
 * A Choice rule as the condition it tests: `Containers[0].ExitCode == 0`, `failure present`. An
 * IsPresent that only guards a comparison of the same path in an And is left out.
 */
export function condition(rule: ChoiceRule): string {
  const compound = (r: ChoiceRule) => (r.And || r.Or ? `(${condition(r)})` : condition(r));
  if (Array.isArray(rule.And)) {
    const rules = rule.And as ChoiceRule[];
    const compared = new Set(rules.filter((r) => r.IsPresent === undefined).map((r) => r.Variable));
    return rules
      .filter((r) => !(r.IsPresent === true && compared.has(r.Variable)))
      .map(compound)
      .join(' and ');
  }
  if (Array.isArray(rule.Or)) return (rule.Or as ChoiceRule[]).map(compound).join(' or ');
  if (rule.Not) {
    const inner = rule.Not as ChoiceRule;
    if (typeof inner.IsPresent === 'boolean') return condition({ ...inner, IsPresent: !inner.IsPresent });
    return `not ${compound(inner)}`;
  }
  const variable = jsonPath(rule.Variable);
  for (const [key, value] of Object.entries(rule)) {
    if (key === 'IsPresent') return `${variable} ${value ? 'present' : 'absent'}`;
    if (key in TYPE_TESTS) return `${variable} is ${value ? '' : 'not '}${TYPE_TESTS[key]}`;
    const byPath = key.endsWith('Path') && key.slice(0, -4) in COMPARISONS;
    const operator = COMPARISONS[byPath ? key.slice(0, -4) : key];
    if (operator) return `${variable} ${operator} ${byPath ? jsonPath(value) : String(value)}`;
  }
  return JSON.stringify(rule);
}

function jsonPath(path: unknown): string {
  return String(path).replace(/^\$\./, '');
}

function label(name: string, state: State): string {
  // Restarts (a container's, or a Job's whole pod), not the quick retries of transient errors.
  const isRestart = (r: Retrier) =>
    r.ErrorEquals.includes(ERRORS.containerFailed) || (r.ErrorEquals.includes('States.ALL') && r.IntervalSeconds >= 10);
  const restarts = 'Retry' in state && state.Retry ? state.Retry.find(isRestart) : undefined;
  return restarts ? `${name} (restarts ≤ ${restarts.MaxAttempts})` : name;
}

function nodeLabel(node: Node): string {
  return label(node.name, node.state);
}

function mermaid(root: Cluster, edges: readonly Edge[], start: string): string {
  const lines = ['flowchart TD', '  start(((start)))'];
  const quote = (s: string) => mermaidText(s);
  const emit = (cluster: Cluster, indent: string): void => {
    for (const node of cluster.nodes) {
      const text = quote(nodeLabel(node));
      const shape =
        node.state.Type === 'Choice'
          ? `{${text}}`
          : node.state.Type === 'Fail' || node.state.Type === 'Succeed'
            ? `([${text}])`
            : `[${text}]`;
      lines.push(`${indent}${node.id}${shape}`);
    }
    for (const inner of cluster.clusters) {
      lines.push(`${indent}subgraph ${inner.id}[${quote(inner.name)}]`);
      emit(inner, `${indent}  `);
      lines.push(`${indent}end`);
    }
  };
  emit(root, '  ');
  const ids = stateIds(root);
  lines.push(`  start --> ${start}`);
  for (const e of edges) {
    const arrow = e.error ? '-.->' : '-->';
    lines.push(`  ${e.from} ${arrow}${e.label ? `|${quote(e.label)}|` : ''} ${ids.get(e.to)!.id}`);
  }
  return `${lines.join('\n')}\n`;
}

function dot(root: Cluster, edges: readonly Edge[], start: string): string {
  const lines = [
    'digraph pod {',
    '  rankdir=TB;',
    '  compound=true;',
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  start [shape=circle, label="start"];',
  ];
  const quote = (s: string) => JSON.stringify(s);
  const emit = (cluster: Cluster, indent: string): void => {
    for (const node of cluster.nodes) {
      const shape =
        node.state.Type === 'Choice'
          ? 'diamond'
          : node.state.Type === 'Fail' || node.state.Type === 'Succeed'
            ? 'ellipse'
            : 'box';
      lines.push(`${indent}${node.id} [label=${quote(nodeLabel(node))}, shape=${shape}];`);
    }
    for (const inner of cluster.clusters) {
      lines.push(`${indent}subgraph cluster_${inner.id} {`, `${indent}  label=${quote(inner.name)};`);
      emit(inner, `${indent}  `);
      lines.push(`${indent}}`);
    }
  };
  emit(root, '  ');
  // Graphviz edges join nodes: an edge to or from a Parallel joins its first inner node, clipped at the box.
  const ids = new Map([...stateIds(root).values()].map((s) => [s.id, s]));
  const end = (id: string, clip: 'lhead' | 'ltail') => {
    const target = ids.get(id);
    return target?.anchor ? { node: target.anchor, attr: `${clip}=cluster_${id}` } : { node: id, attr: '' };
  };
  lines.push(`  start -> ${end(start, 'lhead').node};`);
  for (const e of edges) {
    const from = end(e.from, 'ltail');
    const to = end(stateIds(root).get(e.to)!.id, 'lhead');
    const attrs = [e.label ? `label=${quote(e.label)}` : '', e.error ? 'style=dashed' : '', from.attr, to.attr]
      .filter(Boolean)
      .join(', ');
    lines.push(`  ${from.node} -> ${to.node}${attrs ? ` [${attrs}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A quoted Mermaid label of one line or more: entity codes for what its grammar or HTML would read as syntax. */
export function mermaidText(...lines: string[]): string {
  const escape = (s: string) => s.replaceAll('"', '#quot;').replaceAll('<', '#lt;').replaceAll('>', '#gt;');
  return `"${lines.map(escape).join('<br/>')}"`;
}

/** State name → its id, and for a Parallel (drawn as a box) the first node inside it. */
function stateIds(root: Cluster): Map<string, { id: string; anchor?: string }> {
  const out = new Map<string, { id: string; anchor?: string }>();
  const visit = (cluster: Cluster): string | undefined => {
    let first: string | undefined;
    for (const node of cluster.nodes) {
      out.set(node.name, { id: node.id });
      first ??= node.id;
    }
    for (const inner of cluster.clusters) {
      const anchor = visit(inner);
      if (inner.stateName !== '') out.set(inner.stateName, { id: inner.id, ...(anchor && { anchor }) });
      first ??= anchor;
    }
    return first;
  };
  visit(root);
  return out;
}
