/**
 * The simulator's HTTP server: each cloud's wire protocol under its own path prefix (/<cloud>), and a JSON
 * control API under /_sim for tests, the demo and the `peerlink sim` helpers. Loopback only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SimClock } from './clock.js';
import { type FaultPlan, type FaultRule } from './faults.js';

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface SimRequest {
  method: string;
  path: string;
  /** the raw query string, without '?' */
  query: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** One cloud's simulator: its wire handler and its control operations. */
export interface CloudSim {
  readonly prefix: string;
  handle(req: SimRequest): Promise<WireResponse>;
  control(op: string, body: Record<string, unknown>): unknown;
  snapshot(): unknown;
  /**
   * SDKs that post to the endpoint's root are recognized by their headers (their action and version) instead of a
   * path prefix
   */
  claims?(req: SimRequest): boolean;
}

export interface SimulatorHandle {
  url: string;
  clock: SimClock;
  faults: FaultPlan;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

async function control(
  path: string,
  query: URLSearchParams,
  method: string,
  body: string,
  clouds: CloudSim[],
  clock: SimClock,
  faults: FaultPlan,
): Promise<[number, unknown]> {
  const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
  if (path === '/_sim/clock' && method === 'GET') return [200, { now: clock.now().toISOString() }];
  if (path === '/_sim/clock' && method === 'POST')
    return [200, { now: clock.advance(Number(input.advanceMs ?? 0)).toISOString() }];
  if (path === '/_sim/faults' && method === 'POST') {
    faults.add(input as unknown as FaultRule);
    return [200, { ok: true }];
  }
  if (path === '/_sim/faults' && method === 'DELETE') {
    faults.clear();
    return [200, { ok: true }];
  }
  // the clouds' documented request limits, enforced from now on (or not), and what they counted
  if (path === '/_sim/rate-limits' && method === 'POST') {
    faults.enforceLimits(input.enabled === true);
    return [200, { enabled: faults.enforcingLimits }];
  }
  if (path === '/_sim/rate-limits' && method === 'GET') {
    const calls = Object.fromEntries(faults.bucketCalls);
    return [200, { enabled: faults.enforcingLimits, calls, throttled: Object.fromEntries(faults.overLimit) }];
  }
  if (path === '/_sim/calls' && method === 'GET') {
    const action = query.get('action');
    return [200, { calls: action ? faults.calls.filter((c) => c.action === action) : faults.calls.slice(-1000) }];
  }
  const m = /^\/_sim\/(\w+)(?:\/([\w-]+))?$/.exec(path);
  const cloud = m && clouds.find((c) => c.prefix === `/${m[1]}`);
  if (!cloud) return [404, { error: `no control endpoint ${method} ${path}` }];
  if (method === 'GET' && !m[2]) return [200, cloud.snapshot()];
  if (method === 'POST' && m[2]) return [200, cloud.control(m[2], input)];
  return [404, { error: `no control endpoint ${method} ${path}` }];
}

export async function serveSimulator(
  clouds: CloudSim[],
  clock: SimClock,
  faults: FaultPlan,
  port = 0,
  host = '127.0.0.1',
): Promise<SimulatorHandle> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0];
      const body = await readBody(req);
      if (path.startsWith('/_sim')) {
        try {
          const [status, value] = await control(
            path,
            new URLSearchParams((req.url ?? '').split('?')[1] ?? ''),
            req.method ?? 'GET',
            body,
            clouds,
            clock,
            faults,
          );
          sendJson(res, status, value);
        } catch (err) {
          sendJson(res, 400, { error: (err as Error).message });
        }
        return;
      }
      const query = (req.url ?? '').split('?')[1] ?? '';
      const byPrefix = clouds.find((c) => path === c.prefix || path.startsWith(`${c.prefix}/`));
      const simReq = {
        method: req.method ?? 'GET',
        path: byPrefix ? path.slice(byPrefix.prefix.length) || '/' : path,
        query,
        headers: req.headers,
        body,
      };
      const cloud = byPrefix ?? clouds.find((c) => c.claims?.(simReq));
      if (!cloud) return sendJson(res, 404, { error: `no simulated cloud at ${path}` });
      const out = await cloud.handle(simReq);
      res.writeHead(out.status, out.headers);
      res.end(out.body);
    })().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: String(err) });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    clock,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
