/**
 * Bounded requests and work (the trust issue's F1, F2, F6, F9–F12): slow clients are cut, every caller has its rate
 * limits and a tenant at its limit does not take another's, the history is paged and resyncs coalesce, refused submits
 * do not spend the platform's cloud budget, failed authentication is capped, NUL characters are refused, anonymous
 * callers learn nothing of a route's schema, and the answers carry security headers.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { awsSimulation, type AwsFixture } from '../../src/clouds/aws/simulation.js';
import { OPERATOR_TOKEN, startHarness, type Harness } from '../support/harness.js';

/** the suite's usual limits (high), short request timeouts, and resyncs coalesced */
let h: Harness;
let aws: AwsFixture;
/** low limits, to reach them */
let low: Harness;
let lowAws: AwsFixture;
before(async () => {
  h = await startHarness({ requestTimeoutMs: 2_000, headersTimeoutMs: 1_000, resyncCooldownSeconds: 10 });
  aws = await h.fixture(awsSimulation);
  low = await startHarness({
    rateLimitPerKey: 30,
    rateLimitPerOrg: 45,
    rateLimitAnonymous: 20,
    cloudBudgetPerOrg: 6,
    authFailuresPerMinute: 5,
  });
  lowAws = await low.fixture(awsSimulation);
});
after(async () => {
  await h.close();
  await low.close();
});

interface Err {
  code: string;
  details: Record<string, unknown>;
}

/** Another organization (in the low-limits Peerlink) with an admin key. */
async function otherOrg(name: string): Promise<string> {
  const o = await low.admin<{ apiKey: { key: string } }>('/v1/admin/orgs', { name });
  return o.apiKey.key;
}

/**
 * Opens a connection that sends an authenticated request's headers and then its body one byte at a time; when it was
 * closed, and what it was answered.
 */
function slowBody(port: number, key: string, byteEveryMs: number): Promise<{ closedAfterMs: number; answer: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => {
      const head = ['POST /v1/peerings HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json'];
      head.push(`Authorization: Bearer ${key}`);
      socket.write(`${head.join('\r\n')}\r\nContent-Length: 1000\r\n\r\n`);
    });
    const drip = setInterval(() => socket.writable && socket.write('{'), byteEveryMs);
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(drip);
      resolve({ closedAfterMs: Date.now() - started, answer });
    });
  });
}

test('F1: a body sent a byte at a time is cut at the request timeout; meanwhile others are served', async () => {
  const port = Number(new URL(h.url).port);
  const slow = Array.from({ length: 50 }, () => slowBody(port, h.apiKey, 200));
  // while fifty slow clients hold their connections, a normal request goes through at once
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await h.api('GET', '/v1/deployments')).status, 200);
  const results = await Promise.all(slow);
  for (const r of results) {
    assert.ok(r.closedAfterMs < 8_000, `cut after ${r.closedAfterMs} ms (timeout 2 s, checked every second)`);
    assert.match(r.answer, /^HTTP\/1\.1 408|^$/, 'a 408, or the connection closed');
  }
});

test('F2: the per-key limit answers 429 with Retry-After; another tenant is not affected', async () => {
  const tenantB = await otherOrg('Busy');
  let limited: Response | undefined;
  for (let i = 0; i < 40 && !limited; i++) {
    const r = await fetch(`${low.url}/v1/deployments`, { headers: { authorization: `Bearer ${tenantB}` } });
    if (r.status === 429) limited = r;
    else assert.equal(r.status, 200);
  }
  assert.ok(limited, 'tenant B reached its limit');
  const body = (await limited.json()) as Err;
  assert.equal(body.code, 'RATE_LIMITED');
  assert.equal(body.details.scope, 'api-key');
  assert.ok(Number(limited.headers.get('retry-after')) > 0, 'Retry-After');
  assert.equal(limited.headers.get('x-ratelimit-limit'), '30');
  // tenant A, meanwhile, is served as usual, with its own budget left
  const a = await low.api('GET', '/v1/deployments');
  assert.equal(a.status, 200);
  assert.ok(Number(a.headers.get('x-ratelimit-remaining')) > 0, 'tenant A has its own window');
});

test('F2: the per-organization limit holds across its keys', async () => {
  const admin = await otherOrg('Many keys');
  const keys: string[] = [];
  for (let i = 0; i < 3; i++) {
    const k = await fetch(`${low.url}/v1/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `k${i}`, role: 'viewer' }),
    });
    keys.push(((await k.json()) as { key: string }).key);
  }
  let scope: unknown;
  for (let i = 0; i < 60 && !scope; i++) {
    const key = keys[i % keys.length] ?? '';
    const r = await fetch(`${low.url}/v1/deployments`, { headers: { authorization: `Bearer ${key}` } });
    if (r.status === 429) scope = ((await r.json()) as Err).details.scope;
  }
  assert.equal(scope, 'organization', 'three keys at 20 each pass no key’s limit but the org’s 45');
});

test('F2: the history is paged, and resyncs coalesce into one entry per cooldown', async () => {
  const vpc = aws.customerVpc('192.168.70.0/24');
  const pcx = await aws.requestPeering(vpc);
  const p = await h.api<{ id: string }>('POST', '/v1/peerings', aws.submitBody(pcx, { customerVpcId: vpc }));
  assert.equal(p.status, 201, JSON.stringify(p.body));
  await h.waitFor<{ status: string }>(`/v1/peerings/${p.body.id}`, (x) => x.status === 'running');
  for (let i = 0; i < 10; i++) assert.equal((await h.api('POST', `/v1/peerings/${p.body.id}/resync`)).status, 202);
  type Events = { items: Array<{ id: string; kind: string }>; nextCursor: string | null };
  const all = await h.api<Events>('GET', `/v1/peerings/${p.body.id}/events?limit=500`);
  assert.equal(all.body.items.filter((e) => e.kind === 'resync').length, 1, 'ten resyncs, one entry');
  const first = await h.api<Events>('GET', `/v1/peerings/${p.body.id}/events?limit=2`);
  assert.equal(first.body.items.length, 2);
  assert.ok(first.body.nextCursor, 'a cursor to the next page');
  const second = await h.api<Events>('GET', `/v1/peerings/${p.body.id}/events?limit=2&cursor=${first.body.nextCursor}`);
  assert.equal(second.body.items[0]?.id, all.body.items[2]?.id, 'the next page follows on');
  const bad = await h.api<Err>('GET', `/v1/peerings/${p.body.id}/events?cursor=nonsense`);
  assert.equal(bad.status, 400);
});

test('F6: a refused submit repeated is answered without another cloud call', async () => {
  const body = aws.submitBody('pcx-0badc0de');
  const before = h.sim.faults.count('aws', 'DescribeVpcPeeringConnections');
  const codes: string[] = [];
  for (let i = 0; i < 6; i++) codes.push((await h.api<Err>('POST', '/v1/peerings', body)).body.code);
  assert.deepEqual(new Set(codes), new Set(['PEERING_NOT_FOUND']));
  assert.equal(h.sim.faults.count('aws', 'DescribeVpcPeeringConnections') - before, 1, 'one look at the cloud');
});

test('F6: the commands that make Peerlink call a cloud have a budget per organization', async () => {
  let over: Err | undefined;
  for (let i = 0; i < 10 && !over; i++) {
    const r = await low.api<Err>('POST', '/v1/peerings', lowAws.submitBody(`pcx-0badc0${i}0`));
    if (r.status === 429) over = r.body;
    else assert.equal(r.body.code, 'PEERING_NOT_FOUND');
  }
  assert.equal(over?.details.scope, 'cloud-budget', 'refused past 6 a minute');
});

test('F10: a NUL character anywhere is a 400 with a stable code', async () => {
  for (const path of ['/v1/peerings/pr_%00x', '/v1/peerings?deploymentId=%00', '/v1/peerings?cursor=a%00b']) {
    const r = await h.api<Err>('GET', path);
    assert.equal(r.status, 400, path);
    assert.equal(r.body.code, 'VALIDATION_FAILED', path);
  }
  const r = await h.api<Err>('POST', '/v1/admin/orgs', { name: 'a\u0000b' }, { key: OPERATOR_TOKEN });
  assert.equal(r.status, 400);
});

test('F11: an anonymous caller is refused before its body is read: no schema is revealed', async () => {
  const r = await h.api<Err>('POST', '/v1/peerings', { nonsense: true }, { key: null });
  assert.equal(r.status, 401);
  assert.equal(r.body.code, 'UNAUTHENTICATED');
  const admin = await h.api<Err>('POST', '/v1/admin/orgs', { name: 1 }, { key: null });
  assert.equal(admin.status, 401);
});

test('F12: security headers on every answer; a strict Content-Security-Policy on the console', async () => {
  const api = await h.api('GET', '/v1/clouds');
  assert.equal(api.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(api.headers.get('x-frame-options'), 'framing refused');
  assert.ok(api.headers.get('referrer-policy'), 'a referrer policy');
  const consolePage = await fetch(`${h.url}/console/`);
  if (consolePage.status === 200) {
    const csp = consolePage.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
  }
});

test('F2: callers without a key are limited per address', async () => {
  let limited = false;
  for (let i = 0; i < 30 && !limited; i++) limited = (await fetch(`${low.url}/healthz`)).status === 429;
  assert.ok(limited, 'an anonymous flood is refused');
  // and an organization's key is counted on its own
  assert.equal((await low.api('GET', '/v1/clouds')).status, 200);
});

test('F9: failed authentications are capped per address', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++)
    statuses.push(
      (await low.api('GET', '/v1/deployments', undefined, { key: `plk_key_0guess${i}.${'x'.repeat(32)}` })).status,
    );
  assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
  assert.deepEqual(statuses.slice(5), [429, 429], 'then refused before the key is even looked up');
  // from this address, for the rest of the minute, even a good key
  assert.equal((await low.api('GET', '/v1/deployments')).status, 429);
});
