/**
 * A whole Peerlink for a test: every registered cloud's simulator in-process, Peerlink on a fresh database listening
 * on a loopback port, an organization set up through the operator API, and — on request — a cloud's fixture (its
 * accounts, networks and deployments registered, and the customer's side on the cloud's official SDK).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CloudSimulation } from '../../src/clouds/sim/contract.js';
import { startSimulator, type Simulator } from '../../src/clouds/sim/index.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createPeerlink, type Peerlink, type PeerlinkOptions } from '../../src/runtime.js';
import { freshDatabase } from './databases.js';

export const OPERATOR_TOKEN = 'operator-token-for-tests-only-0123456789';

/** A fixed secret key for tests (PostgreSQL mode needs one given; in production it is the operator's). */
export const TEST_SECRET_KEYS = `test:${Buffer.alloc(32, 7).toString('base64')}`;

/** Limits high enough that the suite's polling never meets them (the trust tests set their own). */
export const testLimits = {
  secretKeys: TEST_SECRET_KEYS,
  rateLimitPerKey: 1_000_000,
  rateLimitPerOrg: 1_000_000,
  rateLimitAnonymous: 1_000_000,
  cloudBudgetPerOrg: 1_000_000,
  authFailuresPerMinute: 1_000_000,
  resyncCooldownSeconds: 0,
};
/** The same, as the environment of a `peerlink serve` process. */
export const testLimitsEnv = {
  PEERLINK_SECRET_KEYS: TEST_SECRET_KEYS,
  PEERLINK_RATE_LIMIT_PER_KEY: '1000000',
  PEERLINK_RATE_LIMIT_PER_ORG: '1000000',
  PEERLINK_RATE_LIMIT_ANONYMOUS: '1000000',
  PEERLINK_CLOUD_BUDGET_PER_ORG: '1000000',
  PEERLINK_AUTH_FAILURES_PER_MINUTE: '1000000',
};

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ApiOptions {
  key?: string | null;
  lang?: string;
  idem?: string;
}

export interface Harness {
  sim: Simulator;
  peerlink: Peerlink;
  url: string;
  dir: string;
  apiKey: string;
  orgId: string;
  /** a cloud's fixture, set up on first use (its accounts, networks and deployments registered) */
  fixture<W, F>(simulation: CloudSimulation<W, F>): Promise<F>;
  /** an operator call that must succeed */
  admin<T>(path: string, body: unknown): Promise<T>;
  /** the id of the platform account registered for a cloud (its fixture registers one) */
  platformAccountOf(provider: string): Promise<string>;
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    opts?: ApiOptions,
  ): Promise<ApiResponse<T>>;
  /** stops Peerlink and starts a new one on the same database (the simulator and its clock go on) */
  restart(): Promise<void>;
  /** another Peerlink instance on the same database (PostgreSQL mode); closed with the harness */
  instance(): Promise<{ url: string; peerlink: Peerlink }>;
  /** the database file or URL */
  database: string;
  waitFor<T>(path: string, until: (body: T) => boolean, timeoutMs?: number): Promise<T>;
  /** polls a peering, moving the shared clock forward each time so waits and backoff pass quickly */
  drive<T = Record<string, unknown>>(
    peeringId: string,
    until: (p: T) => boolean,
    stepMs?: number,
    timeoutMs?: number,
  ): Promise<T>;
  close(): Promise<void>;
}

export async function startHarness(
  overrides: Partial<Config> = {},
  options: {
    database?: string;
    startReconciler?: boolean;
    log?: Logger;
    /** limits Peerlink paces by instead of the clouds' own (give the simulator the same: faults.setLimits) */
    rateLimits?: PeerlinkOptions['rateLimits'];
  } = {},
): Promise<Harness> {
  const sim = await startSimulator();
  const dir = mkdtempSync(join(tmpdir(), 'peerlink-test-'));
  const database = await freshDatabase(dir);
  const config = loadConfig(
    {},
    {
      database: options.database ?? database.url,
      port: 0,
      operatorToken: OPERATOR_TOKEN,
      logLevel: 'silent',
      tickMs: 50,
      sweepIntervalMs: 3_600_000,
      ...testLimits,
      ...overrides,
    },
  );
  // Peerlink and the simulated clouds share one clock, so tests can move time (expiry, deadlines, backoff).
  const start = () =>
    createPeerlink(config, {
      clock: sim.clock,
      startReconciler: options.startReconciler,
      log: options.log,
      schemas: 'eager',
      rateLimits: options.rateLimits,
    });
  let peerlink = await start();
  let url = await peerlink.listen();

  async function api<T>(method: string, path: string, body?: unknown, opts: ApiOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    const key = opts.key === undefined ? h.apiKey : opts.key;
    if (key) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (opts.lang) headers['accept-language'] = opts.lang;
    if (opts.idem) headers['idempotency-key'] = opts.idem;
    const res = await fetch(`${url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
  }

  async function admin<T>(path: string, body: unknown): Promise<T> {
    const r = await api<T>('POST', path, body, { key: OPERATOR_TOKEN });
    if (r.status < 200 || r.status > 299)
      throw new Error(`harness: POST ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async function platformAccountOf(provider: string): Promise<string> {
    type Accounts = { items: Array<{ id: string; provider: string }> };
    const r = await api<Accounts>('GET', '/v1/admin/platform-accounts', undefined, { key: OPERATOR_TOKEN });
    const account = r.body.items.find((a) => a.provider === provider);
    if (!account) throw new Error(`harness: no ${provider} platform account`);
    return account.id;
  }

  const fixtures = new Map<string, Promise<unknown>>();
  const others: Peerlink[] = [];
  const h: Harness = {
    sim,
    peerlink,
    url,
    dir,
    apiKey: '',
    orgId: '',
    fixture<W, F>(simulation: CloudSimulation<W, F>): Promise<F> {
      let f = fixtures.get(simulation.name);
      if (!f) {
        const ctx = { world: sim.world(simulation), endpoint: sim.endpoint(simulation), orgId: h.orgId, admin };
        f = simulation.fixture(ctx);
        fixtures.set(simulation.name, f);
      }
      return f as Promise<F>;
    },
    admin,
    platformAccountOf,
    api,
    database: config.database,
    async instance() {
      const other = await start();
      others.push(other);
      return { url: await other.listen(), peerlink: other };
    },
    async restart() {
      await peerlink.close();
      peerlink = await start();
      url = await peerlink.listen();
      h.peerlink = peerlink;
      h.url = url;
    },
    async waitFor<T>(path: string, until: (body: T) => boolean, timeoutMs = 5_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      let last: T | undefined;
      while (Date.now() < deadline) {
        const r = await api<T>('GET', path);
        last = r.body;
        if (r.status === 200 && until(r.body)) return r.body;
        await new Promise((res) => setTimeout(res, 20));
      }
      throw new Error(`timed out waiting on ${path}; last: ${JSON.stringify(last)}`);
    },
    async drive<T>(peeringId: string, until: (p: T) => boolean, stepMs = 2_000, timeoutMs = 10_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      let last: T | undefined;
      while (Date.now() < deadline) {
        last = (await api<T>('GET', `/v1/peerings/${peeringId}`)).body;
        if (until(last)) return last;
        sim.clock.advance(stepMs);
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`peering ${peeringId} never got there; last: ${JSON.stringify(last)}`);
    },
    async close() {
      for (const other of others) await other.close();
      await peerlink.close();
      await sim.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const org = await admin<{ org: { id: string }; apiKey: { key: string } }>('/v1/admin/orgs', { name: 'Acme' });
  h.apiKey = org.apiKey.key;
  h.orgId = org.org.id;
  return h;
}
