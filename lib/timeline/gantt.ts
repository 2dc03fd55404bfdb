import type { PodShape } from '../model/pod-shape.js';
import type { PodEvent } from '../status/events.js';
import { timeline, type Bar, type BarOutcome, type Lane, type Timeline } from './bars.js';

/** Mermaid's gantt tags: a failure is `crit`, what still runs is `active`; a wait has none. */
const TAGS: Readonly<Record<BarOutcome, string>> = {
  succeeded: 'done',
  stopped: 'done',
  failed: 'crit',
  running: 'active',
  waiting: '',
};

/** Section titles are drawn left of the bars in 11px type: room for the longest, in Mermaid's units. */
const TITLE_PX_PER_CHAR = 6.5;
const TITLE_MARGIN_PX = 20;
const MIN_LEFT_PADDING_PX = 75;
/** Under this span, ticks come less than a second apart: they show milliseconds. */
const SHORT_RUN_MS = 10_000;

/**
 * A pod run as a Mermaid gantt: a section per container (init containers and sidecars in spec order,
 * then the app containers), each attempt its own bar on its own row (a short bar's label is drawn
 * beside it, where a bar on the same row would cover it), the waits between attempts visible. Pure
 * and deterministic: the same events (and `now`, for a run still going) give the same text.
 */
export function timelineMermaid(shape: PodShape, events: readonly PodEvent[], now: Date): string {
  return gantt(shape.name, timeline(shape, events, now));
}

function gantt(name: string, { pod, lanes }: Timeline): string {
  const titles = lanes.map(sectionTitle);
  const leftPadding = Math.max(
    MIN_LEFT_PADDING_PX,
    Math.ceil(Math.max(0, ...titles.map((t) => t.length)) * TITLE_PX_PER_CHAR) + TITLE_MARGIN_PX,
  );
  const lines = [
    '---',
    'config:',
    '  gantt:',
    `    leftPadding: ${leftPadding}`,
    '---',
    'gantt',
    `  title ${text(name)}`,
    '  dateFormat x',
    `  axisFormat ${span(pod, lanes) < SHORT_RUN_MS ? '%H:%M:%S.%L' : '%H:%M:%S'}`,
    '  todayMarker off',
  ];
  if (pod) {
    const outcome: BarOutcome = pod.phase === 'Succeeded' ? 'succeeded' : pod.phase === 'Failed' ? 'failed' : 'running';
    lines.push('  section pod', task(podText(pod.phase, pod.reason), outcome, 'pod', pod.start, pod.end));
  }
  lanes.forEach((lane, i) => {
    lines.push(`  section ${titles[i]}`);
    for (const bar of lane.bars) lines.push(task(barText(bar), bar.outcome, barId(lane, bar), bar.start, bar.end));
  });
  return `${lines.join('\n')}\n`;
}

function span(pod: Timeline['pod'], lanes: readonly Lane[]): number {
  const times = [pod?.start, pod?.end, ...lanes.flatMap((l) => l.bars.flatMap((b) => [b.start, b.end]))]
    .filter((t) => t !== undefined)
    .map((t) => t.getTime());
  return times.length === 0 ? 0 : Math.max(...times) - Math.min(...times);
}

function sectionTitle(lane: Lane): string {
  return `${lane.step.container.name} (${lane.step.role}, ${lane.step.executor})`;
}

/** `attempt-<container>-<n>` / `wait-<container>-<n>`: what a rendered SVG's bars are found by. */
function barId(lane: Lane, bar: Bar): string {
  return `${bar.kind}-${lane.step.container.name}-${bar.number}`;
}

function barText(bar: Bar): string {
  return bar.kind === 'attempt' ? `attempt ${bar.number} · ${text(bar.label)}` : text(bar.label);
}

function podText(phase: string, reason: string | undefined): string {
  return reason ? `${phase} (${text(reason)})` : phase;
}

function task(name: string, outcome: BarOutcome, id: string, start: Date, end: Date): string {
  const tags = TAGS[outcome];
  return `    ${name} :${tags ? `${tags}, ` : ''}${id}, ${start.getTime()}, ${end.getTime()}`;
}

/** What the gantt grammar reads as syntax (`:` ends a task's name, `#` and `;` start entities and comments). */
function text(s: string): string {
  return s
    .replace(/[:;#\r\n]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
