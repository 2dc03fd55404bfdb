import { ERRORS } from './errors.js';
import type { Retrier, State, StateMachineFragment } from './types.js';

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
  return format === 'mermaid' ? mermaid(root, edges, ids.get(definition.StartAt)!) : dot(root, edges, ids.get(definition.StartAt)!);
}

function walk(fragment: StateMachineFragment, id: string, name: string, ids: Map<string, string>, edges: Edge[]): Cluster {
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
      state.Choices.forEach((c, i) => edges.push({ from, to: c.Next as string, label: `rule ${i + 1}`, error: false }));
      edges.push({ from, to: state.Default, label: 'default', error: false });
    } else if ('Next' in state && state.Next !== undefined) {
      edges.push({ from, to: state.Next, error: false });
    }
    if ('Catch' in state && state.Catch) {
      for (const c of state.Catch) edges.push({ from, to: c.Next, label: `catch ${c.ErrorEquals.join(', ')}`, error: true });
    }
  }
  return cluster;
}

function label(name: string, state: State): string {
  // Restarts (a container's, or a Job's whole pod), not the quick retries of transient errors.
  const isRestart = (r: Retrier) => r.ErrorEquals.includes(ERRORS.containerFailed) || (r.ErrorEquals.includes('States.ALL') && r.IntervalSeconds >= 10);
  const restarts = 'Retry' in state && state.Retry ? state.Retry.find(isRestart) : undefined;
  return restarts ? `${name} (restarts ≤ ${restarts.MaxAttempts})` : name;
}

function nodeLabel(node: Node): string {
  return label(node.name, node.state);
}

function mermaid(root: Cluster, edges: readonly Edge[], start: string): string {
  const lines = ['flowchart TD', '  start(((start)))'];
  const quote = (s: string) => `"${s.replaceAll('"', '#quot;')}"`;
  const emit = (cluster: Cluster, indent: string): void => {
    for (const node of cluster.nodes) {
      const text = quote(nodeLabel(node));
      const shape = node.state.Type === 'Choice' ? `{${text}}` : node.state.Type === 'Fail' || node.state.Type === 'Succeed' ? `([${text}])` : `[${text}]`;
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
  const lines = ['digraph pod {', '  rankdir=TB;', '  compound=true;', '  node [shape=box, style=rounded, fontname="Helvetica"];', '  start [shape=circle, label="start"];'];
  const quote = (s: string) => JSON.stringify(s);
  const emit = (cluster: Cluster, indent: string): void => {
    for (const node of cluster.nodes) {
      const shape = node.state.Type === 'Choice' ? 'diamond' : node.state.Type === 'Fail' || node.state.Type === 'Succeed' ? 'ellipse' : 'box';
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
    const attrs = [e.label ? `label=${quote(e.label)}` : '', e.error ? 'style=dashed' : '', from.attr, to.attr].filter(Boolean).join(', ');
    lines.push(`  ${from.node} -> ${to.node}${attrs ? ` [${attrs}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
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
