/**
 * Helpers for the browser tests of issue 15: screenshots for a person to look at, axe-core run inside
 * the page, a peering created through the demo's customer side and the API, and a page in a chosen time zone.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { inPage, screensDir, strings, type ConsoleEnv } from './browser.js';
import type { Lang } from '../../src/console/i18n.js';

/** A screenshot beside the other browser tests' (test-results/screens/), for a person to look at. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(screensDir, { recursive: true });
  await page.screenshot({ path: join(screensDir, `${name}.png`), fullPage: true });
}

// evaluated rather than injected as a <script>: the console's CSP (script-src 'self') rightly refuses inline scripts
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/** axe-core's serious and critical findings on the page as it is now (WCAG 2.1 A/AA and best practice). */
export async function axeSerious(page: Page): Promise<string[]> {
  if (!(await page.evaluate('"axe" in window'))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: unknown[] }> } })
      .axe;
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    if ((r as unknown as { passes: unknown[] }).passes.length === 0) throw new Error('axe checked nothing');
    return r.violations;
  });
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

export interface Created {
  id: string;
  providerPeeringId: string | null;
  customerCidrs: string[];
  status: string;
}

/** The demo's customer creates its side of `deployment`, then the peering is submitted through the API. */
export async function createPeering(env: ConsoleEnv, page: Page, deployment: string): Promise<Created> {
  const made = await inPage<{ values: Record<string, unknown> }>(page, env.key, {
    method: 'POST',
    path: `/v1/demo/deployments/${deployment}/actions/request`,
    body: {},
  });
  const created = await inPage<Created & { code?: string; message?: string }>(page, env.key, {
    method: 'POST',
    path: '/v1/peerings',
    body: { deploymentId: deployment, ...made.values },
  });
  if (!created.id) throw new Error(`the submit was refused: ${created.code} ${created.message}`);
  return created;
}

/**
 * A signed-in page like env.page, in a time zone of the test's choosing (to see times turned into local time);
 * `clock`: the page's timers are the test's to stop and run (Playwright's clock).
 */
export async function pageIn(
  env: ConsoleEnv,
  lang: Lang,
  timezoneId?: string,
  options: { width?: number; clock?: boolean } = {},
): Promise<Page> {
  const viewport = { width: options.width ?? 1280, height: 900 };
  const context = await env.browser.newContext({ locale: lang, timezoneId, viewport });
  if (options.clock) await context.clock.install();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${env.url}/console/`);
  await page.getByLabel(strings(lang).apiKey).fill(env.key);
  await page.getByRole('button', { name: strings(lang).signIn }).click();
  await page.getByRole('heading', { name: strings(lang).deployments }).waitFor();
  return page;
}

/** Opens a console route by its hash and waits for its one h1 to take focus (every page moves focus to it). */
export async function open(page: Page, env: ConsoleEnv, hash: string): Promise<void> {
  await page.goto(`${env.url}/console/#/${hash}`);
  await page.locator('h1').first().waitFor();
}

/** Requests to `path` the page makes from now on. */
export function counter(page: Page, path: string): { count(): number } {
  let n = 0;
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === path) n += 1;
  });
  return { count: () => n };
}
