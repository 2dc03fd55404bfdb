import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { condition, diagram } from '../../lib/asl/diagram.js';
import { podDiagram } from '../../lib/asl/pod-diagram.js';
import { compile } from '../../lib/compile.js';
import { cli } from '../helpers/cli.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/asl');
const input = (name: string) => join(FIXTURES, name, 'input.yaml');

function compiled(name: string) {
  const result = compile(readFileSync(input(name), 'utf8'));
  if (!result.compiled) throw new Error(JSON.stringify(result.diagnostics));
  return result.compiled;
}

/** `c0["a<br/>b"]` → { c0: 'a / b' }: each node's label lines, whatever its shape. */
function mermaidNodes(text: string): Map<string, string> {
  const nodes = new Map<string, string>();
  for (const match of text.matchAll(/^\s*(c\d+)[[(]+"(.*)"[\])]+$/gm))
    nodes.set(match[1]!, match[2]!.split('<br/>').join(' / '));
  return nodes;
}

describe('Choice edge labels', () => {
  it.each([
    [{ Variable: '$.failure', IsPresent: true }, 'failure present'],
    [{ Not: { Variable: '$.Containers[0].ExitCode', IsPresent: true } }, 'Containers[0].ExitCode absent'],
    [{ Variable: '$.Containers[0].ExitCode', NumericEquals: 0 }, 'Containers[0].ExitCode == 0'],
    [{ Variable: '$.ecsError.Error', StringEquals: 'States.TaskFailed' }, 'ecsError.Error == States.TaskFailed'],
    [{ Variable: '$.ecsError.Error', StringMatches: 'States.*' }, 'ecsError.Error matches States.*'],
    [{ Variable: '$.a', NumericLessThanEqualsPath: '$.b' }, 'a <= b'],
    [{ Variable: '$.a', IsNull: false }, 'a is not null'],
    [{ Not: { Variable: '$.a', NumericGreaterThan: 3 } }, 'not a > 3'],
    [
      {
        And: [
          { Variable: '$.x', IsPresent: true },
          { Variable: '$.x', NumericEquals: 42 },
          { Variable: '$.c', StringEquals: 'worker' },
        ],
      },
      'x == 42 and c == worker',
    ],
    [
      {
        Or: [
          { Variable: '$.a', BooleanEquals: true },
          {
            And: [
              { Variable: '$.b', IsPresent: true },
              { Variable: '$.c', IsPresent: false },
            ],
          },
        ],
      },
      'a == true or (b present and c absent)',
    ],
  ])('%j reads %s', (rule, expected) => {
    // GIVEN a Choice rule / WHEN it labels an edge / THEN the label is the condition it tests
    expect(condition(rule)).toBe(expected);
  });

  it('labels the edges of the ECS exit-code check with their conditions, in the order they are tried', () => {
    // GIVEN a pod on ECS, whose Task result goes through an exit-code Choice
    const text = diagram(compiled('native-sidecar-ecs').definition, 'mermaid');
    // WHEN drawn / THEN the Choice's edges say what each tests, numbered since the first match wins
    expect(text).toContain('s9 -->|"(1) container[0].ExitCode absent"| s14');
    expect(text).toContain('s9 -->|"(2) container[0].ExitCode == 0"| s10');
    expect(text).toContain('s9 -->|"default"| s11');
    expect(text).not.toMatch(/rule \d/);
  });

  it('quotes what Mermaid would read as markup', () => {
    // GIVEN a comparison with < / WHEN drawn as Mermaid / THEN it is an entity, not an HTML tag
    const text = diagram(
      {
        StartAt: 'c',
        States: {
          c: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 3, Next: 'd' }], Default: 'd' },
          d: { Type: 'Succeed' },
        },
      },
      'mermaid',
    );
    expect(text).toContain('|"n #lt; 3"|');
  });
});

describe('the pod-level view', () => {
  it.each(readdirSync(FIXTURES).sort())(
    '%s: every container once, in spec order, app containers side by side',
    (name) => {
      // GIVEN a fixture pod
      const { workflow } = compiled(name);
      // WHEN drawn at pod level
      const text = podDiagram(workflow, 'mermaid');
      // THEN each container is one box naming its role and executor, init containers first in spec order
      const nodes = [...mermaidNodes(text).values()];
      const steps = [...workflow.init, ...workflow.app];
      expect(nodes.map((n) => n.split(' / ')[0])).toEqual(steps.map((s) => s.container.name));
      steps.forEach((step, i) => expect(nodes[i]!.split(' / ')[1]).toBe(`${step.role} · ${step.executor}`));
      // AND the app containers are together in one left-to-right box
      const group = text.slice(text.indexOf('subgraph containers'), text.indexOf('  end'));
      expect(group).toContain('direction LR');
      for (const step of workflow.app) expect(group).toContain(`"${step.container.name}<br/>`);
    },
  );

  it('chains the init containers and hangs each sidecar off the step it starts after', () => {
    // GIVEN proxy (sidecar), migrate (init), logs (sidecar), then app
    const text = podDiagram(compiled('native-sidecar-ecs').workflow, 'mermaid');
    const edges = text.split('\n').filter((l) => l.includes('->'));
    // WHEN drawn / THEN the chain is start → migrate → the app containers → end, solid
    expect(edges.filter((e) => e.includes('-->'))).toEqual([
      '  start --> c1',
      '  c1 --> containers',
      '  containers --> done',
    ]);
    // AND proxy starts first, logs after migrate, dashed, beside the chain
    expect(edges.filter((e) => e.includes('-.->'))).toEqual([
      '  start -.->|"starts, runs beside"| c0',
      '  c1 -.->|"starts, runs beside"| c2',
    ]);
    expect(text).toContain('c0(["proxy<br/>sidecar · ecs"])');
  });

  it('says how each container restarts', () => {
    // GIVEN pods with bounded restarts, none, and an ignored failure / WHEN drawn / THEN each box says so
    expect([...mermaidNodes(podDiagram(compiled('onfailure-max-restarts').workflow, 'mermaid')).values()]).toEqual([
      'wait-for-db / init · lambda / restarts ≤ 4',
      'api / app · lambda / restarts ≤ 4',
      'worker / app · lambda / restarts ≤ 4',
    ]);
    expect(mermaidNodes(podDiagram(compiled('ignore-failure').workflow, 'mermaid')).get('c0')).toBe(
      'warm-cache / init · lambda / no restarts / failure ignored',
    );
    expect(mermaidNodes(podDiagram(compiled('activity-executor').workflow, 'mermaid')).get('c0')).toMatch(
      /^fetch \/ init · activity \/ restarts /,
    );
  });

  it("says that a Job's failed pod is replaced, up to its backoffLimit", () => {
    // GIVEN a Job with restartPolicy Never and backoffLimit 2 / WHEN drawn at pod level, both ways
    const { workflow } = compiled('job-pod-failure-policy');
    // THEN the pod's own node says so, and its containers do not restart by themselves
    expect(podDiagram(workflow, 'mermaid')).toContain('start((("report-job<br/>new pod on failure ≤ 2")))');
    expect(podDiagram(workflow, 'dot')).toContain('start [shape=circle, label="report-job\\nnew pod on failure ≤ 2"];');
    expect(mermaidNodes(podDiagram(workflow, 'mermaid')).get('c0')).toBe('fetch-input / init · lambda / no restarts');
  });

  it('as dot: the app containers in one cluster on one rank, joined to the chain at the box', () => {
    // GIVEN a pod with an init container and two app containers / WHEN drawn as dot
    const text = podDiagram(compiled('onfailure-max-restarts').workflow, 'dot');
    // THEN the app containers share a cluster and a rank, and the chain's edges clip at the cluster
    expect(text).toMatch(
      /subgraph cluster_containers \{\n {4}label="containers, side by side";\n {4}rank=same;\n {4}c1 .*\n {4}c2 /,
    );
    expect(text).toContain('c0 -> c1 [lhead=cluster_containers];');
    expect(text).toContain('c1 -> done [ltail=cluster_containers];');
    expect(text).toContain('c0 [label="wait-for-db\\ninit · lambda\\nrestarts ≤ 4"];');
  });
});

describe('pod2sfn graph --view', () => {
  it('draws the pod with --view pod and the state machine by default', async () => {
    // GIVEN the seed pod / WHEN graphed both ways
    const pod = await cli(['graph', input('seed'), '--view', 'pod']);
    const state = await cli(['graph', input('seed')]);
    // THEN --view pod prints the pod-level view, and no flag the state-level one
    expect(pod.code).toBe(0);
    expect(pod.stdout).toBe(podDiagram(compiled('seed').workflow, 'mermaid'));
    expect(state.stdout).toBe(diagram(compiled('seed').definition, 'mermaid'));
  });

  it('refuses an unknown view with exit 2', async () => {
    // GIVEN a view that does not exist / WHEN asked for / THEN usage error naming the views
    const { code, stderr } = await cli(['graph', input('seed'), '--view', 'nodes']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown view "nodes": use state or pod/);
  });
});
