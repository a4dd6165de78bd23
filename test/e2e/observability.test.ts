/** Logs carry request ids and never a secret; /metrics and /readyz say what an operator needs. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { awsSimulation, type AwsFixture } from '../../src/clouds/aws/simulation.js';
import { startHarness, OPERATOR_TOKEN, type Harness } from '../support/harness.js';
import { logRedaction } from '../../src/runtime.js';

const lines: string[] = [];
let h: Harness;
let aws: AwsFixture;
before(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  h = await startHarness(
    {},
    { log: pino({ level: 'trace', redact: { paths: logRedaction, censor: '[redacted]' } }, sink) },
  );
  aws = await h.fixture(awsSimulation);
});
after(() => h.close());

test('no secret ever reaches a log line, and every request line has its request id', async () => {
  const secret = 'super-secret-access-key-0123456789';
  const reg = await h.api<{ id: string }>(
    'POST',
    '/v1/admin/platform-accounts',
    {
      provider: 'aws',
      region: 'eu-west-1',
      accountId: '333333333333',
      credentials: { accessKeyId: 'AKIAEXAMPLE000000000', secretAccessKey: secret },
    },
    { key: OPERATOR_TOKEN },
  );
  assert.equal(reg.status, 201);
  // a failing request, a refused one, a successful flow with cloud calls, an unknown route
  await h.api(
    'POST',
    '/v1/admin/platform-accounts',
    {
      provider: 'aws',
      region: 'eu-west-1',
      accountId: '333333333333',
      credentials: { accessKeyId: 'AKIAEXAMPLE000000000', secretAccessKey: secret },
    },
    { key: OPERATOR_TOKEN },
  );
  await h.api('POST', '/v1/peerings', aws.submitBody('pcx-0123abcd'));
  const pcx = await aws.requestPeering();
  const p = await h.api<{ id: string }>('POST', '/v1/peerings', aws.submitBody(pcx), { idem: 'obs-1' });
  await h.waitFor<{ status: string }>(`/v1/peerings/${p.body.id}`, (x) => x.status === 'running');
  await h.api('GET', '/v1/nowhere');
  const res = await fetch(`${h.url}/v1/peerings`, {
    headers: { authorization: `Bearer ${h.apiKey}`, 'x-request-id': 'trace-me-42' },
  });
  assert.equal(res.headers.get('x-request-id'), 'trace-me-42');

  assert.ok(lines.length > 10);
  const platformSecret = [...aws.world.accounts.values()].map((a) => a.secretAccessKey);
  const keySecret = h.apiKey.split('.')[1];
  for (const line of lines) {
    for (const s of [secret, OPERATOR_TOKEN, keySecret, ...platformSecret])
      assert.ok(!line.includes(s), `a secret in: ${line}`);
  }
  const requestLines = lines.map((l) => JSON.parse(l) as { reqId?: string; req?: unknown }).filter((l) => l.req);
  assert.ok(requestLines.length > 0 && requestLines.every((l) => typeof l.reqId === 'string'));
  assert.ok(lines.some((l) => l.includes('trace-me-42')));
});

test('/metrics exposes peerings by state, step latency, provider calls, sweeps and lease takeovers', async () => {
  await h.peerlink.reconciler.sweep();
  // only the operator (or the metrics credential) reads the metrics
  assert.equal((await fetch(`${h.url}/metrics`)).status, 401);
  assert.equal((await h.api('GET', '/metrics')).status, 401, 'an organization key does not read them');
  const headers = { authorization: `Bearer ${OPERATOR_TOKEN}` };
  const text = await fetch(`${h.url}/metrics`, { headers }).then((r) => r.text());
  for (const name of [
    'peerlink_peerings{cloud="aws",status="running"}',
    'peerlink_reconcile_step_seconds_bucket',
    'peerlink_provider_calls_total{cloud="aws",action="AcceptVpcPeeringConnection",outcome="ok"}',
    'peerlink_sweep_duration_seconds_count',
    'peerlink_lease_takeovers_total',
    'peerlink_transitions_total',
    'peerlink_process_resident_memory_bytes',
  ]) {
    assert.ok(text.includes(name), name);
  }
});

test('/readyz: ready when the database answers and migrations are current', async () => {
  const ok = await h.api<{ status: string; migrations: string }>('GET', '/readyz', undefined, { key: null });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.migrations, 'current');
  const health = await h.api<{ status: string; instance: string }>('GET', '/healthz', undefined, { key: null });
  assert.equal(health.body.instance, h.peerlink.reconciler.owner);
});
