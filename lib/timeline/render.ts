import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

export const RENDER_FORMATS = ['svg', 'png'] as const;
export type RenderFormat = (typeof RENDER_FORMATS)[number];

/** Where Debian, Ubuntu, Fedora and Google put a Chromium or Chrome; POD2SFN_CHROMIUM goes first. */
const CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
];

/**
 * The renderer's packages, found by what rendering loads of them. They are optional peers of
 * pod2sfn (devDependencies here): a user who never asks for an SVG installs no browser driver and
 * none of Mermaid's hundred packages.
 */
const MERMAID_BUNDLE = 'mermaid/dist/mermaid.min.js';
const ENTRIES: Readonly<Record<string, string>> = { 'playwright-core': 'playwright-core', mermaid: MERMAID_BUNDLE };

/**
 * Chromium as a renderer on a machine with no network and maybe as root: no sandbox (it cannot
 * start as root with one), nothing that phones home, and a fresh profile (launchPersistentContext's
 * directory, made and removed here).
 */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Gantt bars are laid out to the page's width: wide enough for a run of many attempts. */
const PAGE = { width: 1200, height: 800 };

const require = createRequire(import.meta.url);

export function findChromium(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const wanted = env.POD2SFN_CHROMIUM;
  if (wanted) return existsSync(wanted) ? wanted : undefined;
  return CHROMIUM_PATHS.find((path) => existsSync(path));
}

/**
 * What rendering needs and this machine lacks, each with what to do about it; undefined when all
 * is there. Finds the packages without loading them.
 */
export function rendererMissing(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const missing: string[] = [];
  if (env.POD2SFN_CHROMIUM && findChromium(env) === undefined)
    missing.push(`POD2SFN_CHROMIUM=${env.POD2SFN_CHROMIUM}: no such file`);
  else if (findChromium(env) === undefined) {
    missing.push(
      'no Chromium or Chrome found: install one (Debian/Ubuntu: apt-get install chromium) or set POD2SFN_CHROMIUM',
    );
  }
  const absent = Object.keys(ENTRIES).filter((name) => !resolvable(ENTRIES[name]!));
  if (absent.length > 0) {
    const manifest = readFileSync(join(packageRoot(), 'package.json'), 'utf8');
    const peers = (JSON.parse(manifest) as { peerDependencies: Record<string, string> }).peerDependencies;
    const specs = absent.map((name) => `${name}@${peers[name]}`).join(' ');
    missing.push(`${absent.join(' and ')} not installed: npm install --save-exact ${specs}`);
  }
  return missing.length === 0 ? undefined : missing.join('; ');
}

function resolvable(specifier: string): boolean {
  try {
    require.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

/** Mermaid in a headless Chromium, loaded once for any number of diagrams. */
export interface MermaidRenderer {
  render(text: string, format: RenderFormat): Promise<Buffer>;
  close(): Promise<void>;
}

/** Mermaid text → SVG or PNG, drawn by Mermaid itself in headless Chromium (no hand-made SVG). */
export async function renderMermaid(text: string, format: RenderFormat, executablePath: string): Promise<Buffer> {
  const renderer = await openRenderer(executablePath);
  try {
    return await renderer.render(text, format);
  } finally {
    await renderer.close();
  }
}

/** Starts Chromium and loads Mermaid into a page; loads playwright-core only when called. */
export async function openRenderer(executablePath: string): Promise<MermaidRenderer> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'pod2sfn-chromium-'));
  const removeProfile = () => rmSync(profile, { recursive: true, force: true });
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_FLAGS,
      offline: true,
      viewport: PAGE,
      // A PNG for a PR comment: twice the pixels, so it stays sharp on a high-density screen.
      deviceScaleFactor: 2,
    });
  } catch (e) {
    removeProfile();
    throw e;
  }
  const close = async () => {
    await context.close();
    removeProfile();
  };
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setContent(
      '<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0"></body></html>',
    );
    await page.addScriptTag({ path: require.resolve(MERMAID_BUNDLE) });
    // deterministicIds: the same text gives the same SVG, ids included.
    const config = {
      startOnLoad: false,
      deterministicIds: true,
      deterministicIDSeed: 'pod2sfn',
      securityLevel: 'strict',
    };
    // Strings, not functions, run in the page: this project compiles without the DOM's types.
    await page.evaluate(`mermaid.initialize(${JSON.stringify(config)})`);
    return {
      async render(text, format) {
        // A fresh <pre> each time: Mermaid marks what it has drawn and would not draw it again.
        await page.evaluate(`(() => {
          const pre = document.createElement('pre');
          pre.id = 'diagram';
          pre.style.margin = '0';
          pre.textContent = ${JSON.stringify(text)};
          document.body.replaceChildren(pre);
          // Mermaid throws plain objects, which reach Node as "Object": say what it said.
          return mermaid.run({ nodes: [pre] }).catch((e) => {
            throw new Error('Mermaid could not draw the diagram: ' + ((e && e.message) || e));
          });
        })()`);
        if (format === 'png') return await page.locator('#diagram > svg').screenshot({ type: 'png' });
        return Buffer.from(`${await page.locator('#diagram').innerHTML()}\n`, 'utf8');
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
