/**
 * The console in a real browser: Peerlink in demo mode (the simulator, the demo's world, the customer-cloud panel) on a
 * temporary SQLite file, and Debian's chromium driven by playwright-core. Screenshots go to test-results/screens/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../../src/clouds/sim/index.js';
import { createPeerlink, type Peerlink } from '../../src/runtime.js';
import { loadConfig } from '../../src/config.js';
import { OPERATOR_TOKEN, testLimits } from './harness.js';
import { alibabaSimulation } from '../../src/clouds/alibaba/simulation.js';
import { seedDemoWorld, type DemoCatalog } from '../../src/demo/seed.js';
import { dictionaries, type Lang, type Strings } from '../../src/console/i18n.js';

export const screensDir = join(process.cwd(), 'test-results', 'screens');

export interface ConsoleEnv {
  url: string;
  key: string;
  sim: Simulator;
  peerlink: Peerlink;
  /** what `peerlink demo` registered: the org's key, the deployments, the README's shell variables */
  cat: DemoCatalog;
  browser: Browser;
  /** a signed-in page in this language (the browser's own language is set to it too) */
  page(lang: Lang, width?: number): Promise<Page>;
  shot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export const strings = (lang: Lang): Strings => dictionaries[lang];

export async function startConsole(): Promise<ConsoleEnv> {
  // the browser first: if it cannot start, nothing else is left running (a test process must not hang on servers)
  const executablePath = process.env.PEERLINK_CHROMIUM ?? '/usr/bin/chromium';
  const browser = await chromium
    .launch({
      executablePath,
      timeout: 30_000,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-dev-shm-usage',
      ],
    })
    .catch((err: unknown) => {
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new Error(
        `chromium could not start (${executablePath}): ${why}. Install it: ` +
          'sudo apt-get install -y --no-install-recommends chromium fonts-wqy-zenhei',
      );
    });
  const sim = await startSimulator();
  const world = seedDemoWorld(sim);
  // shorter than the demo's realistic pauses, so the browser tests run quickly
  Object.assign(sim.world(alibabaSimulation).options, { routePendingMs: 200, updatingMs: 300 });
  const dir = mkdtempSync(join(tmpdir(), 'peerlink-console-'));
  const config = loadConfig(
    {},
    {
      database: join(dir, 'console.db'),
      port: 0,
      operatorToken: OPERATOR_TOKEN,
      ...testLimits,
      logLevel: 'silent',
      tickMs: 50,
      sweepIntervalMs: 3_600_000,
    },
  );
  const peerlink = await createPeerlink(config, { clock: sim.clock, demo: world.panel, schemas: 'eager' });
  const cat = await world.register(peerlink.store);
  const url = await peerlink.listen();
  mkdirSync(screensDir, { recursive: true });
  return {
    url,
    key: cat.key,
    sim,
    peerlink,
    cat,
    browser,
    async page(lang, width = 1280) {
      const context = await browser.newContext({ locale: lang, viewport: { width, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${url}/console/`);
      await page.getByLabel(strings(lang).apiKey).fill(cat.key);
      await page.getByRole('button', { name: strings(lang).signIn }).click();
      await page.getByRole('heading', { name: strings(lang).deployments }).waitFor();
      return page;
    },
    async shot(page, name) {
      await page.screenshot({ path: join(screensDir, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
      await peerlink.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A call to the API from inside the page (same origin, with `key`), its JSON answer typed by the caller. */
export async function inPage<T>(
  page: Page,
  key: string,
  call: { method: string; path: string; body?: unknown; lang?: string },
): Promise<T> {
  const answer: unknown = await page.evaluate(
    async ({ key, call }) => {
      const headers: Record<string, string> = { authorization: `Bearer ${key}` };
      if (call.body !== undefined) headers['content-type'] = 'application/json';
      if (call.lang) headers['accept-language'] = call.lang;
      const body = call.body === undefined ? undefined : JSON.stringify(call.body);
      const res = await fetch(call.path, { method: call.method, headers, body });
      return (await res.json()) as unknown;
    },
    { key, call },
  );
  return answer as T;
}
