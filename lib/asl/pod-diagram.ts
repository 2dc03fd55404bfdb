import type { PodShape, StepShape } from '../model/pod-shape.js';
import { UNBOUNDED_ATTEMPTS } from '../model/plan.js';
import { mermaidText, type DiagramFormat } from './diagram.js';

interface PodNode {
  readonly id: string;
  readonly step: StepShape;
}

/**
 * The pod as a kubelet runs it, one box per container: init containers in spec order, each native
 * sidecar beside the chain from where it starts, the app containers side by side; each box says
 * its role, its executor and how it restarts. The state-level view (./diagram.ts) shows the ASL.
 */
export function podDiagram(pod: PodShape, format: DiagramFormat): string {
  const init = pod.init.map((step, i): PodNode => ({ id: `c${i}`, step }));
  const app = pod.app.map((step, i): PodNode => ({ id: `c${init.length + i}`, step }));
  return format === 'mermaid' ? mermaid(pod, init, app) : dot(pod, init, app);
}

function lines(step: StepShape): string[] {
  const { role, executor, restart, failurePolicy } = step;
  // A native sidecar always restarts (restartPolicy Always); the others as the pod's policy says.
  const restarts =
    role === 'sidecar'
      ? []
      : [
          !restart
            ? 'no restarts'
            : restart.maxAttempts >= UNBOUNDED_ATTEMPTS
              ? 'restarts unbounded'
              : `restarts ≤ ${restart.maxAttempts}`,
        ];
  return [
    step.container.name,
    `${role} · ${executor}`,
    ...restarts,
    ...(failurePolicy === 'Ignore' ? ['failure ignored'] : []),
  ];
}

/** A Job under restartPolicy Never replaces a failed pod, init containers and all: the pod says so. */
function podLines(pod: PodShape): string[] {
  return [pod.name, ...(pod.podRetry ? [`new pod on failure ≤ ${pod.podRetry.maxAttempts}`] : [])];
}

/** The way through the pod: start, each init container (sidecars hang off it), the app containers, end. */
interface Walk {
  /** [from, to]: the chain, solid. */
  readonly chain: ReadonlyArray<readonly [string, string]>;
  /** [from, sidecar]: where each sidecar starts, dashed. */
  readonly starts: ReadonlyArray<readonly [string, string]>;
}

function walk(init: readonly PodNode[], appGroup: string | undefined): Walk {
  const chain: Array<[string, string]> = [];
  const starts: Array<[string, string]> = [];
  let previous = 'start';
  for (const node of init) {
    if (node.step.role === 'sidecar') starts.push([previous, node.id]);
    else {
      chain.push([previous, node.id]);
      previous = node.id;
    }
  }
  if (appGroup) {
    chain.push([previous, appGroup]);
    previous = appGroup;
  }
  chain.push([previous, 'done']);
  return { chain, starts };
}

function mermaid(pod: PodShape, init: readonly PodNode[], app: readonly PodNode[]): string {
  const label = (step: StepShape) => mermaidText(...lines(step));
  const out = ['flowchart TD', `  start(((${mermaidText(...podLines(pod))})))`];
  for (const node of init)
    out.push(
      node.step.role === 'sidecar' ? `  ${node.id}([${label(node.step)}])` : `  ${node.id}[${label(node.step)}]`,
    );
  if (app.length > 0) {
    out.push(`  subgraph containers[${mermaidText('containers, side by side')}]`, '    direction LR');
    for (const node of app) out.push(`    ${node.id}[${label(node.step)}]`);
    out.push('  end');
  }
  out.push('  done(((end)))');
  const { chain, starts } = walk(init, app.length > 0 ? 'containers' : undefined);
  for (const [from, to] of chain) out.push(`  ${from} --> ${to}`);
  for (const [from, to] of starts) out.push(`  ${from} -.->|${mermaidText('starts, runs beside')}| ${to}`);
  return `${out.join('\n')}\n`;
}

function dot(pod: PodShape, init: readonly PodNode[], app: readonly PodNode[]): string {
  const quote = (s: string) => JSON.stringify(s);
  const label = (step: StepShape) => quote(lines(step).join('\n'));
  const out = [
    'digraph pod {',
    '  rankdir=TB;',
    '  compound=true;',
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
  ];
  out.push(`  start [shape=circle, label=${quote(podLines(pod).join('\n'))}];`);
  for (const node of init)
    out.push(
      `  ${node.id} [label=${label(node.step)}${node.step.role === 'sidecar' ? ', style="rounded,dashed"' : ''}];`,
    );
  if (app.length > 0) {
    out.push('  subgraph cluster_containers {', `    label=${quote('containers, side by side')};`, '    rank=same;');
    for (const node of app) out.push(`    ${node.id} [label=${label(node.step)}];`);
    out.push('  }');
  }
  out.push('  done [shape=circle, label="end"];');
  // Graphviz joins nodes: an edge to or from the app containers' box joins its first node, clipped at the box.
  const first = app[0]?.id;
  const end = (id: string, clip: 'lhead' | 'ltail') =>
    id === 'containers' ? { node: first!, attr: `${clip}=cluster_containers` } : { node: id, attr: '' };
  const { chain, starts } = walk(init, app.length > 0 ? 'containers' : undefined);
  for (const [from, to] of chain) {
    const [a, b] = [end(from, 'ltail'), end(to, 'lhead')];
    const attrs = [a.attr, b.attr].filter(Boolean).join(', ');
    out.push(`  ${a.node} -> ${b.node}${attrs ? ` [${attrs}]` : ''};`);
  }
  for (const [from, to] of starts)
    out.push(`  ${from} -> ${to} [style=dashed, label=${quote('starts, runs beside')}];`);
  out.push('}');
  return `${out.join('\n')}\n`;
}
