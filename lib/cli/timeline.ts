import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PodShape } from '../model/pod-shape.js';
import type { PodEvent } from '../status/events.js';
import { timelineMermaid } from '../timeline/gantt.js';
import { findChromium, renderMermaid, rendererMissing, type RenderFormat } from '../timeline/render.js';
import type { Io } from './io.js';
import { UsageError, type Invocation } from './verb.js';

/** The formats of `--timeline[=mermaid|svg|png]` (its flags: lib/cli/flags.ts). */
export const TIMELINE_FORMATS = ['mermaid', 'svg', 'png'] as const;
export type TimelineFormat = (typeof TIMELINE_FORMATS)[number];

export interface TimelineRequest {
  readonly format: TimelineFormat;
  /** Absolute; stdout when absent (mermaid only). */
  readonly file?: string;
}

/**
 * The timeline flags, checked before anything runs: a run must not go for an hour and then find
 * no browser to draw it. `stdoutTaken`: -o already prints the Pod there.
 */
export function timelineRequest({ values, io }: Invocation, stdoutTaken: boolean): TimelineRequest | undefined {
  const format = values.timeline as string | undefined;
  const file = values['timeline-file'] as string | undefined;
  if (format === undefined) {
    if (file !== undefined) throw new UsageError('--timeline-file needs --timeline[=mermaid|svg|png]');
    return undefined;
  }
  if (!(TIMELINE_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(
      `--timeline=${format}: use --timeline, --timeline=svg or --timeline=png (--timeline=mermaid is the default)`,
    );
  }
  if (file === undefined && format !== 'mermaid')
    throw new UsageError(`--timeline=${format} needs --timeline-file PATH`);
  if (file === undefined && stdoutTaken)
    throw new UsageError('--timeline with -o needs --timeline-file PATH: -o prints the Pod on stdout');
  if (format !== 'mermaid') {
    const missing = rendererMissing(io.env);
    if (missing) throw new UsageError(`--timeline=${format} draws with Mermaid in a headless Chromium: ${missing}`);
  }
  if (file === undefined) return { format: format as TimelineFormat };
  const path = resolve(io.cwd, file);
  const parent = dirname(path);
  if (!existsSync(parent) || !statSync(parent).isDirectory())
    throw new UsageError(`--timeline-file ${file}: no such directory ${parent}`);
  return { format: format as TimelineFormat, file: path };
}

/** Draws the run's timeline where it was asked for; the browser driver loads only for svg and png. */
export async function writeTimeline(
  request: TimelineRequest,
  shape: PodShape,
  events: readonly PodEvent[],
  now: Date,
  io: Io,
): Promise<void> {
  const text = timelineMermaid(shape, events, now);
  if (request.format === 'mermaid') {
    if (request.file === undefined) io.stdout.write(text);
    else writeFileSync(request.file, text);
    return;
  }
  writeFileSync(request.file!, await renderMermaid(text, request.format as RenderFormat, findChromium(io.env)!));
}
