/**
 * No tenant can hurt another tenant or the platform (the trust issue): the rules hold for concurrent submits (across
 * three instances on PostgreSQL), a pending request is closed the way the cloud allows, customer CIDRs stay in private
 * space, a network one tenant peers cannot be joined by another, refusals name only what the caller owns, secrets are
 * encrypted at rest, keys are managed and expire, idempotency keys expire, and every change is in the audit log.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { awsSimulation, type AwsFixture } from '../../src/clouds/aws/simulation.js';
import {
  HW_CUSTOMER_PROJECT,
  HW_PLATFORM_PROJECT,
  huaweiSimulation,
  type HuaweiFixture,
} from '../../src/clouds/huawei/simulation.js';
import {
  TC_CUSTOMER_UIN,
  TC_PLATFORM_UIN,
  TC_REGION,
  tencentSimulation,
  type TencentFixture,
} from '../../src/clouds/tencent/simulation.js';
import { SecretBox, isEnvelope } from '../../src/store/secrets.js';
import { PlatformRepo } from '../../src/store/platform.js';
import { reposOf } from '../../src/store/repos.js';
import { OPERATOR_TOKEN, TEST_SECRET_KEYS, startHarness, type Harness } from '../support/harness.js';
import { must } from '../support/must.js';

let h: Harness;
let aws: AwsFixture;
let hw: HuaweiFixture;
let tc: TencentFixture;
const onPostgres = !!process.env.PEERLINK_TEST_PG;

before(async () => {
  h = await startHarness({ peeringQuota: 20 });
  aws = await h.fixture(awsSimulation);
  hw = await h.fixture(huaweiSimulation);
  tc = await h.fixture(tencentSimulation);
});
after(() => h.close());

interface P {
  id: string;
  status: string;
  reason: { code: string; message: string } | null;
  retry: { lastError: string } | null;
}
interface Err {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** Where submits go: this instance, or (PostgreSQL) three instances sharing the database, round-robin. */
async function instances(): Promise<string[]> {
  if (!onPostgres) return [h.url];
  return [h.url, (await h.instance()).url, (await h.instance()).url];
}

function post<T>(url: string, path: string, body: unknown): Promise<{ status: number; body: T }> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as T }));
}

test('B1: the quota holds for concurrent submits (three instances on PostgreSQL)', async () => {
  const urls = await instances();
  for (let i = 0; i < 16; i++) {
    const vpc = aws.customerVpc(`10.200.${i}.0/24`);
    const r = await h.api(
      'POST',
      '/v1/peerings',
      aws.submitBody(await aws.requestPeering(vpc), { customerVpcId: vpc }),
    );
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const bodies = await Promise.all(
    Array.from({ length: 7 }, async (_, i) => {
      const vpc = aws.customerVpc(`10.201.${i}.0/24`);
      return aws.submitBody(await aws.requestPeering(vpc), { customerVpcId: vpc });
    }),
  );
  const answers = await Promise.all(bodies.map((b, i) => post<Err>(urls[i % urls.length] ?? h.url, '/v1/peerings', b)));
  const created = answers.filter((a) => a.status === 201).length;
  const refused = answers.filter((a) => a.body.code === 'PEERING_QUOTA_EXCEEDED').length;
  assert.equal(created, 4, `20 live at most: ${JSON.stringify(answers.map((a) => a.status))}`);
  assert.equal(refused, 3);
  const live = await h.peerlink.store.db
    .selectFrom('peerings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('deployment_id', '=', aws.deploymentId)
    .where('status', 'not in', ['failed', 'deleted'])
    .executeTakeFirstOrThrow();
  assert.equal(Number(live.n), 20);
  // make room for the tests that follow
  await h.peerlink.store.db.updateTable('peerings').set({ status: 'deleted' }).execute();
});

test('B1: overlapping customer CIDRs submitted together: one is accepted, the other refused at once', async () => {
  const urls = await instances();
  for (let round = 0; round < 5; round++) {
    const a = aws.customerVpc(`192.168.${100 + round}.0/24`);
    const b = aws.customerVpc(`192.168.${100 + round}.0/25`);
    const [pa, pb] = [await aws.requestPeering(a), await aws.requestPeering(b)];
    const answers = await Promise.all([
      post<Err>(urls[0] ?? h.url, '/v1/peerings', aws.submitBody(pa, { customerVpcId: a })),
      post<Err>(urls[1 % urls.length] ?? h.url, '/v1/peerings', aws.submitBody(pb, { customerVpcId: b })),
    ]);
    const statuses = answers.map((x) => x.status).sort();
    assert.deepEqual(statuses, [201, 422], `round ${round}: ${JSON.stringify(answers.map((x) => x.body.code))}`);
    assert.ok(
      answers.some((x) => x.body.code === 'CIDR_OVERLAPS_PEERING'),
      'the refusal names the overlap, before anything is stored',
    );
  }
  await h.peerlink.store.db.updateTable('peerings').set({ status: 'deleted' }).execute();
});

test('B2: deleting a peering that failed before acceptance ends: the request is rejected, not deleted', async () => {
  const vpc = aws.customerVpc('192.168.120.0/24');
  const pcx = await aws.requestPeering(vpc);
  // a peering that failed while its request was still pending acceptance (say, a rule found broken later)
  const p = await reposOf(h.peerlink.store).peerings.create(
    {
      orgId: h.orgId,
      deploymentId: aws.deploymentId,
      provider: 'aws',
      providerPeeringId: pcx,
      customerAccountId: aws.customer.accountId,
      customerVpcId: vpc,
      customerCidrs: ['192.168.120.0/24'],
      region: 'us-east-1',
      deadlineAt: null,
      hint: null,
    },
    'test',
    h.sim.clock.now(),
  );
  await h.peerlink.store.db
    .updateTable('peerings')
    .set({ status: 'failed', next_attempt_at: null })
    .where('id', '=', p.id)
    .execute();
  const deletes = h.sim.faults.count('aws', 'DeleteVpcPeeringConnection');
  assert.equal((await h.api('DELETE', `/v1/peerings/${p.id}`)).status, 202);
  await h.drive<P>(p.id, (x) => x.status === 'deleted');
  assert.equal(aws.world.peerings.get(pcx)?.code, 'rejected');
  assert.equal(h.sim.faults.count('aws', 'DeleteVpcPeeringConnection'), deletes, 'no delete the cloud refuses');
});

test('F3: a CIDR correction to public or special-purpose space is refused, on every path', async () => {
  const vpc = hw.vpc('172.30.0.0/16');
  const id = await hw.customer.createPeering(vpc.id, { vpcId: hw.platformVpc.vpcId, projectId: HW_PLATFORM_PROJECT });
  const created = await h.api<P>('POST', '/v1/peerings', {
    deploymentId: hw.deploymentId,
    providerPeeringId: id,
    customerCidrs: ['172.30.0.0/16'],
    customerVpcId: vpc.id,
    customerAccountId: HW_CUSTOMER_PROJECT,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  for (const [cidr, code] of [
    ['128.0.0.0/1', 'CIDR_SPECIAL_PURPOSE'],
    ['0.0.0.0/5', 'CIDR_SPECIAL_PURPOSE'],
    ['8.0.0.0/7', 'CIDR_NOT_ALLOWED'],
    ['127.0.0.0/8', 'CIDR_SPECIAL_PURPOSE'],
  ] as const) {
    const r = await h.api<Err>('PATCH', `/v1/peerings/${created.body.id}`, { customerCidrs: [cidr] });
    assert.equal(r.body.code, code, cidr);
  }
  // at submit too
  const other = hw.vpc('172.29.0.0/16');
  const second = await hw.customer.createPeering(other.id, {
    vpcId: hw.platformVpc.vpcId,
    projectId: HW_PLATFORM_PROJECT,
  });
  const r = await h.api<Err>('POST', '/v1/peerings', {
    deploymentId: hw.deploymentId,
    providerPeeringId: second,
    customerCidrs: ['8.8.8.0/24'],
    customerVpcId: other.id,
    customerAccountId: HW_CUSTOMER_PROJECT,
  });
  assert.equal(r.body.code, 'CIDR_NOT_ALLOWED');
});

test('F4: a customer network one tenant peers cannot be joined by another tenant', async () => {
  const ccn = await tc.customer.createCcn('shared', tc.vpc('172.28.0.0/16'));
  const mine = await h.api<P>('POST', '/v1/peerings', {
    deploymentId: tc.deploymentId,
    providerPeeringId: ccn,
    customerAccountId: TC_CUSTOMER_UIN,
    customerCidrs: ['172.28.0.0/16'],
  });
  assert.equal(mine.status, 201, JSON.stringify(mine.body));
  // tenant B, with a deployment of its own on the same platform account, names the same CCN and owner
  const b = await h.admin<{ org: { id: string }; apiKey: { key: string } }>('/v1/admin/orgs', { name: 'Intruder' });
  const accountId = await h.platformAccountOf('tencent');
  const vpc = tc.world.createVpc({ uin: TC_PLATFORM_UIN, region: TC_REGION }, '10.16.0.0/16');
  const dep = await h.admin<{ id: string }>('/v1/admin/deployments', {
    orgId: b.org.id,
    name: 'b-broker',
    plan: 'dedicated-professional',
    region: TC_REGION,
    vpcId: vpc.id,
    vpcCidr: '10.16.0.0/16',
    platformAccountId: accountId,
    routeTableIds: [],
  });
  const theirs = await h.api<Err>(
    'POST',
    '/v1/peerings',
    {
      deploymentId: dep.id,
      providerPeeringId: ccn,
      customerAccountId: TC_CUSTOMER_UIN,
      customerCidrs: ['172.28.0.0/16'],
    },
    { key: b.apiKey.key },
  );
  assert.equal(theirs.status, 409);
  assert.equal(theirs.body.code, 'PROVIDER_ID_TAKEN');
  assert.equal(theirs.body.details.peeringId, '(another organization)', 'the other tenant’s peering is not named');
});

test('F13: refusals name only what the caller owns; cloud errors shown to customers carry no endpoint', async () => {
  // a request aimed at another deployment network of the platform account: that network is not named
  const other = aws.world.createVpc({ accountId: aws.platformAccountId, region: 'us-east-1' }, '10.98.0.0/16');
  const vpc = aws.customerVpc('192.168.130.0/24');
  const pcx = await aws.requestPeering(vpc, other.id);
  const r = await h.api<Err>('POST', '/v1/peerings', aws.submitBody(pcx, { customerVpcId: vpc }));
  assert.equal(r.body.code, 'PEERING_WRONG_TARGET');
  assert.ok(!JSON.stringify(r.body).includes(other.id), 'the other network is not named');
  // a platform account whose endpoint does not answer: the retry shown to the customer does not name it
  const acct = await h.admin<{ id: string }>('/v1/admin/platform-accounts', {
    provider: 'aws',
    region: 'us-west-2',
    accountId: '111111111112',
    endpoint: 'http://127.0.0.1:9/aws',
    credentials: { accessKeyId: 'AKIAUNREACHABLE00000', secretAccessKey: 'x' },
  });
  const dep = await h.admin<{ id: string }>('/v1/admin/deployments', {
    orgId: h.orgId,
    name: 'unreachable',
    plan: 'dedicated-professional',
    region: 'us-west-2',
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidr: '10.97.0.0/16',
    platformAccountId: acct.id,
    routeTableIds: ['rtb-0123456789abcdef0'],
  });
  const p = await h.api<P>('POST', '/v1/peerings', {
    deploymentId: dep.id,
    providerPeeringId: 'pcx-0123456789abcdef0',
    customerAccountId: '222222222222',
    customerVpcId: 'vpc-0fedcba9876543210',
  });
  assert.equal(p.status, 201, 'an unreachable cloud is verified later, not refused');
  const retrying = await h.waitFor<P>(`/v1/peerings/${p.body.id}`, (x) => x.retry !== null);
  const text = JSON.stringify(retrying);
  assert.ok(!text.includes('127.0.0.1'), `no platform address in ${text}`);
});

test('F7: platform secrets are encrypted at rest and re-wrapped by a rotation; files are private', async () => {
  const rows = await h.peerlink.store.db.selectFrom('platform_accounts').select('credentials').execute();
  assert.ok(rows.length > 0, 'accounts were registered');
  for (const r of rows) {
    assert.ok(isEnvelope(r.credentials), 'stored as an envelope');
    assert.ok(
      !JSON.stringify(r.credentials).includes(aws.world.accounts.values().next().value?.secretAccessKey ?? '?'),
    );
  }
  // rotation: a new key in front wraps from now on; the old one can then go
  const old = SecretBox.parse(TEST_SECRET_KEYS);
  const rotated = SecretBox.parse(`next:${Buffer.alloc(32, 9).toString('base64')},${TEST_SECRET_KEYS}`);
  const done = await new PlatformRepo(h.peerlink.store.db, rotated).sealAll();
  assert.equal(done.rewrapped, rows.length);
  const onlyNew = SecretBox.parse(`next:${Buffer.alloc(32, 9).toString('base64')}`);
  const accounts = await h.peerlink.store.db.selectFrom('platform_accounts').select('id').execute();
  for (const a of accounts) {
    const read = await new PlatformRepo(h.peerlink.store.db, onlyNew).getAccount(a.id);
    assert.ok(read?.credentials.accessKeyId, 'readable with the new key alone');
  }
  // and back, so the running instance (holding the old key) keeps working
  await new PlatformRepo(
    h.peerlink.store.db,
    SecretBox.parse(`${TEST_SECRET_KEYS},next:${Buffer.alloc(32, 9).toString('base64')}`),
  ).sealAll();
  assert.ok(old.has('test'), 'the old key');
  if (!onPostgres) {
    assert.equal(statSync(h.database).mode & 0o077, 0, 'the database file is its owner’s only');
  }
});

test('F7: an embedded database gets a private key file beside it when no key is given', async () => {
  const { secretsOf, loadConfig } = await import('../../src/config.js');
  const db = join(h.dir, 'embedded', 'x.db');
  const box = secretsOf(loadConfig({}, { database: db }));
  assert.ok(box.activeKid, 'a key');
  assert.equal(statSync(join(h.dir, 'embedded', 'peerlink.keys')).mode & 0o077, 0, 'the key file is private');
  assert.throws(() => secretsOf(loadConfig({}, { database: 'postgres://x@127.0.0.1/none' })), /PostgreSQL mode needs/);
});

test('F8: organization admins create, list and revoke keys; keys expire; the operator manages any org’s', async () => {
  type Key = { id: string; key: string; role: string; lastUsedAt: string | null; expiresAt: string | null };
  const expires = new Date(h.sim.clock.now().getTime() + 60 * 60_000).toISOString();
  const made = await h.api<Key>('POST', '/v1/api-keys', { name: 'ci', role: 'viewer', expiresAt: expires });
  assert.equal(made.status, 201);
  assert.match(made.body.key, /^plk_key_/);
  const viewer = made.body.key;
  assert.equal((await h.api('GET', '/v1/deployments', undefined, { key: viewer })).status, 200);
  assert.equal((await h.api('POST', '/v1/api-keys', { name: 'x', role: 'admin' }, { key: viewer })).status, 403);
  const list = await h.api<{ items: Key[] }>('GET', '/v1/api-keys');
  const listed = must(
    list.body.items.find((k) => k.id === made.body.id),
    'the new key listed',
  );
  assert.ok(listed.lastUsedAt, 'its last use recorded');
  assert.ok(!JSON.stringify(list.body).includes(viewer.split('.')[1] ?? '?'), 'no secret listed');
  // expiry
  h.sim.clock.advance(61 * 60_000);
  assert.equal((await h.api('GET', '/v1/deployments', undefined, { key: viewer })).status, 401, 'expired');
  // revocation, by the org's admin and by the operator
  const second = await h.api<Key>('POST', '/v1/api-keys', { name: 'tmp', role: 'viewer' });
  assert.equal((await h.api('DELETE', `/v1/api-keys/${second.body.id}`)).status, 204);
  assert.equal((await h.api('GET', '/v1/deployments', undefined, { key: second.body.key })).status, 401);
  const third = await h.api<Key>('POST', '/v1/api-keys', { name: 'tmp2', role: 'viewer' });
  const op = { key: OPERATOR_TOKEN };
  const opList = await h.api<{ items: Key[] }>('GET', `/v1/admin/orgs/${h.orgId}/api-keys`, undefined, op);
  assert.ok(
    opList.body.items.some((k) => k.id === third.body.id),
    'the operator lists any org’s keys',
  );
  assert.equal(
    (await h.api('DELETE', `/v1/admin/orgs/${h.orgId}/api-keys/${third.body.id}`, undefined, op)).status,
    204,
  );
  assert.equal((await h.api('GET', '/v1/deployments', undefined, { key: third.body.key })).status, 401);
  assert.equal((await h.api('DELETE', `/v1/api-keys/key_nope`)).status, 404);
});

test('F8: a key revoked by another instance is refused here within the verification cache’s bound', async () => {
  const { OrgRepo } = await import('../../src/store/orgs.js');
  const now = h.sim.clock.now();
  const here = new OrgRepo(h.peerlink.store.db, 200);
  const elsewhere = new OrgRepo(h.peerlink.store.db);
  const { key, info } = await elsewhere.issueKey(h.orgId, 'cached', 'viewer', now);
  assert.equal((await here.authenticate(key, now))?.id, info.id, 'verified, and remembered');
  assert.equal(await here.authenticate(`${key}x`, now), undefined, 'a different secret is not the remembered key');
  assert.ok(await elsewhere.authenticate(key, now), 'remembered by the other instance too');
  assert.ok(await elsewhere.revokeKey(h.orgId, info.id, now));
  assert.equal((await here.authenticate(key, now))?.id, info.id, 'trusted for at most the bound');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await here.authenticate(key, now), undefined, 'refused once the bound has passed');
  assert.equal(await elsewhere.authenticate(key, now), undefined, 'the revoking instance forgot it at once');
});

test('F5: an idempotency claim left by a crash expires, and stored replies do after a day', async () => {
  const op = { key: OPERATOR_TOKEN, idem: 'org-once' };
  const first = await h.api<{ org: { id: string } }>('POST', '/v1/admin/orgs', { name: 'Once' }, op);
  const again = await h.api<{ org: { id: string } }>('POST', '/v1/admin/orgs', { name: 'Once' }, op);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.body.org.id, first.body.org.id);
  h.sim.clock.advance(25 * 3_600_000);
  const later = await h.api<{ org: { id: string } }>('POST', '/v1/admin/orgs', { name: 'Once' }, op);
  assert.equal(later.status, 201);
  assert.notEqual(later.body.org.id, first.body.org.id, 'a day later the key is free again');
  // a claim whose request never finished (its instance died) blocks only for a minute
  await h.peerlink.store.db
    .insertInto('idempotency_keys')
    .values({
      scope: 'operator',
      key: 'stuck',
      // the hash of the request below: the same request, whose first attempt died mid-way
      request_hash: createHash('sha256')
        .update(`POST /v1/admin/orgs\n${JSON.stringify({ name: 'Stuck' })}`)
        .digest('hex'),
      status_code: null,
      response: null,
      created_at: h.sim.clock.now().toISOString(),
    })
    .execute();
  const stuck = await h.api<Err>('POST', '/v1/admin/orgs', { name: 'Stuck' }, { ...op, idem: 'stuck' });
  assert.equal(stuck.body.code, 'IDEMPOTENCY_IN_PROGRESS');
  h.sim.clock.advance(61_000);
  assert.equal((await h.api('POST', '/v1/admin/orgs', { name: 'Stuck' }, { ...op, idem: 'stuck' })).status, 201);
});

test('audit log: every change, who, what, the answer; an organization reads its own, the operator all', async () => {
  type Entries = { items: Array<{ actor: string; action: string; outcome: number; code: string | null }> };
  const mine = await h.api<Entries>('GET', '/v1/audit-log?limit=500');
  assert.equal(mine.status, 200);
  const actions = mine.body.items.map((e) => `${e.action} ${e.outcome}`);
  assert.ok(actions.includes('POST /v1/peerings 201'), 'a submit');
  assert.ok(actions.includes('DELETE /v1/peerings/:id 202'), 'a delete');
  assert.ok(
    mine.body.items.some((e) => e.action === 'POST /v1/peerings' && e.code === 'PEERING_WRONG_TARGET'),
    'a refused submit, with its code',
  );
  assert.ok(
    mine.body.items.every((e) => e.actor.startsWith('key:')),
    'only this organization’s keys',
  );
  assert.ok(!mine.body.items.some((e) => e.action.startsWith('POST /v1/admin')), 'not the operator’s');
  const all = await h.api<Entries>('GET', '/v1/admin/audit-log?limit=500', undefined, { key: OPERATOR_TOKEN });
  assert.ok(all.body.items.some((e) => e.action === 'POST /v1/admin/platform-accounts' && e.actor === 'operator'));
  const stored = JSON.stringify(await h.peerlink.store.db.selectFrom('audit_log').selectAll().execute());
  assert.ok(!stored.includes('AKIAUNREACHABLE00000'), 'no credential in the audit log');
  const viewerOnly = await h.api<Err>('GET', '/v1/audit-log', undefined, { key: null });
  assert.equal(viewerOnly.status, 401);
});
