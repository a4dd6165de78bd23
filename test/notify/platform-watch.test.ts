/**
 * Operator-only events (src/notify/platform-watch.ts): which cloud answers are the platform's own trouble, for every
 * registered cloud, and how often the operator is told — once per account and region per quiet period, throttling
 * only when it keeps coming.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ProviderError, type PlatformTarget } from '../../src/clouds/provider.js';
import { clouds, cloudOf } from '../../src/clouds/registry.js';
import { PlatformWatch, troubleOf } from '../../src/notify/platform-watch.js';
import { openStore, type Store } from '../../src/store/db.js';

const err = (code: string) => new ProviderError('permanent', 'Op', code, `${code} at https://ec2.internal:443`);

test('every cloud: its platform refusals are credentials trouble, its throttling codes throttling', () => {
  for (const cloud of clouds) {
    assert.ok(cloud.platformRefusals.length > 0, `${cloud.name} declares how it refuses the platform account`);
    for (const code of cloud.platformRefusals) {
      if (cloud.customerErrors[code]) continue;
      assert.equal(troubleOf(cloud, err(code)), 'credentials', `${cloud.name} ${code}`);
      assert.equal(troubleOf(cloud, err(`${code}.Detail`)), 'credentials', `${cloud.name} ${code}.Detail (family)`);
    }
    for (const code of cloud.rateLimits.throttleCodes)
      assert.equal(troubleOf(cloud, err(code)), 'throttled', `${cloud.name} ${code}`);
    for (const code of Object.keys(cloud.customerErrors))
      assert.equal(troubleOf(cloud, err(code)), null, `${cloud.name} ${code} is the customer's`);
    assert.equal(troubleOf(cloud, err('InvalidParameterValue')), null, `${cloud.name}: an ordinary refusal`);
  }
  // the codes each simulator (and the real cloud) answers a wrong key with
  const wrongKey: Record<string, string> = {
    aws: 'AuthFailure',
    alibaba: 'InvalidAccessKeyId.NotFound',
    huawei: 'APIGW.0301',
    tencent: 'AuthFailure.SecretIdNotFound',
    gcp: 'authError',
    azure: 'AADSTS7000215',
  };
  for (const cloud of clouds)
    assert.equal(troubleOf(cloud, err(wrongKey[cloud.name] ?? '?')), 'credentials', `${cloud.name} wrong key`);
  assert.equal(troubleOf(cloudOf('gcp'), err('invalidCredentials')), 'credentials', 'Google: a key that cannot sign');
  assert.equal(troubleOf(cloudOf('azure'), err('AuthorizationFailed')), null, 'Azure: the missing delegation');
});

const dirs: string[] = [];
const stores: Store[] = [];
after(async () => {
  for (const s of stores) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function watched() {
  const dir = mkdtempSync(join(tmpdir(), 'peerlink-watch-'));
  dirs.push(dir);
  const store = await openStore(join(dir, 'w.db'));
  stores.push(store);
  let now = Date.parse('2026-12-02T10:00:00.000Z');
  const watch = new PlatformWatch(store.db, () => new Date(now), pino({ level: 'silent' }), {
    throttledInWindow: 5,
    windowMs: 60_000,
    quietMs: 15 * 60_000,
  });
  const events = async () => {
    await watch.written; // the watch writes without waiting; the test waits for its latest write
    return store.db.selectFrom('events').selectAll().orderBy('id').execute();
  };
  return { watch, events, advance: (ms: number) => (now += ms) };
}

const target: PlatformTarget = { provider: 'aws', region: 'us-east-1', accountId: '111111111111', credentials: {} };

test('a refused credential is told once per account and region per quiet period, to the operator only', async () => {
  const { watch, events, advance } = await watched();
  const aws = cloudOf('aws');
  for (let i = 0; i < 10; i++) watch.heard(aws, target, 'DescribeVpcPeeringConnections', err('AuthFailure'));
  watch.heard(aws, { ...target, region: 'eu-west-1' }, 'DescribeVpcPeeringConnections', err('AuthFailure'));
  watch.heard(aws, target, 'DescribeVpcPeeringConnections', null);
  watch.heard(aws, undefined, 'DescribeVpcPeeringConnections', err('AuthFailure'));
  let rows = await events();
  assert.equal(rows.length, 2, 'one per account and region');
  for (const r of rows) {
    assert.equal(r.audience, 'operator');
    assert.equal(r.org_id, null, 'never an organization’s');
    assert.equal(r.type, 'platform.credentials_refused');
  }
  const reason = rows[0].data.reason as { code: string; params: Record<string, unknown> };
  assert.equal(reason.code, 'PLATFORM_CREDENTIALS_REFUSED');
  assert.equal(reason.params.providerCode, 'AuthFailure');
  assert.equal(reason.params.providerMessage, 'AuthFailure at [endpoint]', 'the platform’s endpoint taken out');
  advance(14 * 60_000);
  watch.heard(aws, target, 'AcceptVpcPeeringConnection', err('AuthFailure'));
  assert.equal((await events()).length, 2, 'still quiet');
  advance(2 * 60_000);
  watch.heard(aws, target, 'AcceptVpcPeeringConnection', err('AuthFailure'));
  rows = await events();
  assert.equal(rows.length, 3, 'told again after the quiet period');
});

test('throttling is told when it keeps coming: the count within the window, then quiet', async () => {
  const { watch, events, advance } = await watched();
  const aws = cloudOf('aws');
  const throttled = new ProviderError('transient', 'CreateRoute', 'RequestLimitExceeded', 'slow down');
  for (let i = 0; i < 4; i++) {
    watch.heard(aws, target, 'CreateRoute', throttled);
    advance(20_000); // 4 in 80 s: never 5 within a minute
  }
  assert.equal((await events()).length, 0, 'occasional throttling is the pacer’s business, not the operator’s');
  for (let i = 0; i < 5; i++) watch.heard(aws, target, i % 2 ? 'CreateRoute' : 'AcceptVpcPeeringConnection', throttled);
  const rows = await events();
  assert.equal(rows.length, 1);
  assert.equal(rows[0].type, 'platform.throttled');
  const reason = rows[0].data.reason as { code: string; params: Record<string, unknown> };
  assert.equal(reason.code, 'PLATFORM_THROTTLED');
  assert.ok(Number(reason.params.count) >= 5, `count ${String(reason.params.count)}`);
  assert.equal(reason.params.operations, 'AcceptVpcPeeringConnection, CreateRoute');
  for (let i = 0; i < 20; i++) watch.heard(aws, target, 'CreateRoute', throttled);
  assert.equal((await events()).length, 1, 'quiet for 15 minutes');
});
