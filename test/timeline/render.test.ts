import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium as browsers, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagram } from '../../lib/asl/diagram.js';
import { podDiagram } from '../../lib/asl/pod-diagram.js';
import { compile } from '../../lib/compile.js';
import { timelineMermaid } from '../../lib/timeline/gantt.js';
import { findChromium, openRenderer, type MermaidRenderer } from '../../lib/timeline/render.js';
import { timelineCase } from './fixture.js';

/**
 * The timeline drawn by Mermaid in headless Chromium, then opened in Chromium as a user would.
 * Needs a Chromium (Debian: apt-get install chromium; or POD2SFN_CHROMIUM): without one these
 * tests are skipped, and say why in their name.
 */
const CHROMIUM = findChromium(process.env);
const SKIPPED = CHROMIUM ? '' : ' [SKIPPED: no Chromium; apt-get install chromium, or set POD2SFN_CHROMIUM]';
if (!CHROMIUM) console.warn(`test/timeline/render.test.ts:${SKIPPED}`);

describe.skipIf(!CHROMIUM)(`the rendered timeline${SKIPPED}`, () => {
  const { workflow, events } = timelineCase('restart-and-failure');
  const text = timelineMermaid(workflow, events, new Date());
  let renderer: MermaidRenderer;
  let viewer: Browser;

  // Mermaid loads once for every test here; the viewer is another browser, as a user's would be.
  beforeAll(async () => {
    [renderer, viewer] = await Promise.all([
      openRenderer(CHROMIUM!),
      browsers.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox', '--disable-gpu'] }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([renderer?.close(), viewer?.close()]);
  });

  it('is an SVG with one bar per attempt and one per wait, each of some width', async () => {
    // GIVEN the timeline of a pod with a restart and a failure, rendered to SVG
    const svg = (await renderer.render(text, 'svg')).toString('utf8');
    // WHEN opened in a browser
    const page = await viewer.newPage();
    await page.setContent(`<!doctype html><html><body>${svg}</body></html>`);
    // THEN it shows something: a drawing of some size with the pod's name as its title
    const box = await page.locator('svg').first().boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    expect(box!.height).toBeGreaterThan(100);
    await expect(page.locator('svg .titleText').textContent()).resolves.toBe('restart-and-failure');
    // AND one task bar per attempt (five starts) and per back-off or wait (two), as rect elements
    const attempts = page.locator('svg rect.task[id*="-attempt-"]');
    expect(await attempts.count()).toBe(events.filter((e) => e.type === 'ContainerStarted').length);
    expect(await page.locator('svg rect.task[id*="-wait-"]').count()).toBe(2);
    for (const rect of await attempts.all()) expect(Number(await rect.getAttribute('width'))).toBeGreaterThan(0);
    // AND the failures are drawn as critical
    expect(await page.locator('svg rect.task[id$="-attempt-flaky-1"]').getAttribute('class')).toMatch(/\bcrit\d/);
    await page.close();
  });

  it('is the same SVG every time', async () => {
    // GIVEN the same timeline / WHEN rendered twice / THEN byte-identical (deterministic ids)
    expect((await renderer.render(text, 'svg')).equals(await renderer.render(text, 'svg'))).toBe(true);
  });

  it('renders a PNG for a PR comment', async () => {
    // GIVEN the timeline / WHEN rendered as PNG
    const png = await renderer.render(text, 'png');
    // THEN a PNG (its signature), at twice the page's pixels
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBeGreaterThan(1000);
  });

  it.each([
    ['the state view of a Job with a pod failure policy', 'job-pod-failure-policy', 'state'],
    ['the pod view of a pod with sidecars', 'native-sidecar-ecs', 'pod'],
  ])("parses graph's Mermaid too: %s", async (_what, fixture, view) => {
    // GIVEN a graph whose labels hold ==, [0], and, <br/>
    const yaml = readFileSync(join(import.meta.dirname, '../fixtures/asl', fixture, 'input.yaml'), 'utf8');
    const compiled = compile(yaml).compiled!;
    const source = view === 'pod' ? podDiagram(compiled.workflow, 'mermaid') : diagram(compiled.definition, 'mermaid');
    // WHEN Mermaid draws it / THEN it parses (a syntax error would throw) into a flowchart
    const svg = (await renderer.render(source, 'svg')).toString('utf8');
    expect(svg).toMatch(/^<svg [^>]*aria-roledescription="flowchart/);
  });
});
