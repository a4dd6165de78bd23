/** Every PRODUCT.md §4 rule, refused over HTTP with its stable code — and nothing written when refused. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { awsSimulation, type AwsFixture } from '../../src/clouds/aws/simulation.js';
import { startHarness, OPERATOR_TOKEN, type Harness } from '../support/harness.js';

let h: Harness;
let aws: AwsFixture;
before(async () => {
  h = await startHarness({ peeringQuota: 3 });
  aws = await h.fixture(awsSimulation);
});
after(() => h.close());

interface Err {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

async function peeringCount(): Promise<number> {
  const r = await h.peerlink.store.db
    .selectFrom('peerings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function refused(body: unknown, code: string, status = 422): Promise<Err> {
  const before = await peeringCount();
  const r = await h.api<Err>('POST', '/v1/peerings', body);
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.body.code, code);
  assert.ok(r.body.message.length > 0);
  assert.equal(await peeringCount(), before, 'a refused request writes nothing');
  return r.body;
}

test('plan gating: trial cannot peer, in both languages', async () => {
  const pcx = await aws.requestPeering(aws.customerVpc('192.168.10.0/24'));
  const e = await refused(aws.submitBody(pcx, { deploymentId: aws.trialDeploymentId }), 'PLAN_NOT_ELIGIBLE');
  assert.equal(e.details.plan, 'trial');
  const zh = await h.api<Err>('POST', '/v1/peerings', aws.submitBody(pcx, { deploymentId: aws.trialDeploymentId }), {
    lang: 'zh-CN',
  });
  assert.match(zh.body.message, /不支持 VPC 对等连接/);
  const facts = await h.api<{ eligible: boolean; refusal: Err }>(
    'GET',
    `/v1/deployments/${aws.trialDeploymentId}/peering-facts`,
  );
  assert.equal(facts.body.eligible, false);
  assert.equal(facts.body.refusal.code, 'PLAN_NOT_ELIGIBLE');
});

test('id shapes are checked before any cloud call', async () => {
  const calls = h.sim.faults.count('aws');
  assert.equal((await refused(aws.submitBody('pcx-NOTHEX'), 'ID_MALFORMED')).details.field, 'Peering connection ID');
  await refused(aws.submitBody('pcx-0123abcd', { customerAccountId: '12345' }), 'ID_MALFORMED');
  await refused(aws.submitBody('pcx-0123abcd', { customerVpcId: 'vpc_1' }), 'ID_MALFORMED');
  assert.equal(h.sim.faults.count('aws'), calls, 'no cloud call for a malformed id');
});

test('verification against the cloud: unknown id, wrong target, requester mismatch, region', async () => {
  await refused(aws.submitBody('pcx-0123abcd'), 'PEERING_NOT_FOUND');
  // a request aimed at another VPC of the platform account
  const otherPlatformVpc = aws.world.createVpc({ accountId: '111111111111', region: 'us-east-1' }, '10.99.0.0/16');
  const vpcA = aws.customerVpc('192.168.20.0/24');
  const wrongTarget = await aws.requestPeering(vpcA, otherPlatformVpc.id);
  const e = await refused(aws.submitBody(wrongTarget, { customerVpcId: vpcA }), 'PEERING_WRONG_TARGET');
  assert.equal(e.details.expectedVpc, aws.platformVpc.vpcId);
  const vpcB = aws.customerVpc('192.168.30.0/24');
  const pcx = await aws.requestPeering(vpcB);
  assert.equal(
    (await refused(aws.submitBody(pcx, { customerVpcId: aws.customer.vpcId }), 'PEERING_REQUESTER_MISMATCH')).details
      .field,
    'VPC',
  );
  assert.equal(
    (
      await refused(
        aws.submitBody(pcx, { customerVpcId: vpcB, customerAccountId: '999999999999' }),
        'PEERING_REQUESTER_MISMATCH',
      )
    ).details.field,
    'account',
  );
  // same region only: a request from eu-west-1 to the us-east-1 deployment
  const euVpc = aws.customerVpc('192.168.40.0/24', 'eu-west-1');
  const cross = await aws.requestPeering(euVpc);
  const r = await refused(aws.submitBody(cross, { customerVpcId: euVpc }), 'REGION_MISMATCH');
  assert.deepEqual([r.details.customerRegion, r.details.deploymentRegion], ['eu-west-1', 'us-east-1']);
});

test('CIDR rules: reserved ranges (both seed lists), deployment overlap, overlap with a live peering', async () => {
  for (const [cidr, range] of [
    ['10.20.0.0/16', '10.10.0.0/24–10.64.255.0/24'],
    ['100.64.0.0/16', '100.0.0.0/8'],
    ['101.1.0.0/16', '101.0.0.0/8'],
  ]) {
    const vpc = aws.customerVpc(cidr);
    const e = await refused(aws.submitBody(await aws.requestPeering(vpc), { customerVpcId: vpc }), 'CIDR_RESERVED');
    assert.equal(e.details.range, range);
  }
  // a customer VPC that overlaps the deployment CIDR: EC2 itself fails the request (overlap), we say why
  const overlapping = aws.customerVpc('10.11.0.0/24');
  const failedAtCloud = await aws.requestPeering(overlapping);
  const hidden = await refused(aws.submitBody(failedAtCloud, { customerVpcId: overlapping }), 'PEERING_NOT_FOUND');
  // the cloud hides a request that failed on an overlap: the message names that likely cause and the CIDR
  assert.match(hidden.message, /overlaps 10\.11\.0\.0\/16 or a reserved range/);
  // overlap with another live peering of the same deployment names that peering
  const first = aws.customerVpc('172.20.0.0/16');
  const ok = await h.api<{ id: string; providerPeeringId: string }>(
    'POST',
    '/v1/peerings',
    aws.submitBody(await aws.requestPeering(first), { customerVpcId: first }),
  );
  assert.equal(ok.status, 201);
  const second = aws.customerVpc('172.20.5.0/24');
  const e = await refused(
    aws.submitBody(await aws.requestPeering(second), { customerVpcId: second }),
    'CIDR_OVERLAPS_PEERING',
  );
  assert.equal(e.details.peeringId, ok.body.id, 'the details keep the id, for a link');
  // the message names the other peering the way the customer knows it: by its connection id, never Peerlink's own
  assert.match(e.message, new RegExp(ok.body.providerPeeringId));
  assert.doesNotMatch(e.message, /pr_/);
  await h.waitFor<{ status: string }>(`/v1/peerings/${ok.body.id}`, (p) => p.status === 'running');
});

test('typed CIDRs (where a cloud does not report them) are checked too', async () => {
  const vpc = aws.customerVpc('172.21.0.0/16');
  const pcx = await aws.requestPeering(vpc);
  await refused(aws.submitBody(pcx, { customerVpcId: vpc, customerCidrs: ['172.21.0.7/16'] }), 'CIDR_NOT_NETWORK');
  await refused(aws.submitBody(pcx, { customerVpcId: vpc, customerCidrs: ['10.11.1.0/24'] }), 'CIDR_RESERVED');
  await refused(aws.submitBody(pcx, { customerVpcId: vpc, customerCidrs: ['nonsense'] }), 'CIDR_INVALID');
});

test(
  'a peering still in flight can be cancelled (the platform ' +
    'rejects the request); resources only inside a running one',
  async () => {
    const vpc = aws.customerVpc('172.25.0.0/16');
    const pcx = await aws.requestPeering(vpc);
    // hold the submit's step on the cloud so the cancel arrives while the peering is pending
    h.sim.faults.add({ kind: 'latency', action: 'DescribeVpcPeeringConnections', ms: 400, times: 2 });
    const p = await h.api<{ id: string; status: string }>(
      'POST',
      '/v1/peerings',
      aws.submitBody(pcx, { customerVpcId: vpc }),
    );
    assert.equal(p.status, 201, JSON.stringify(p.body));
    const d = await h.api<{ status: string; actions: { delete: boolean } }>('DELETE', `/v1/peerings/${p.body.id}`);
    assert.equal(d.status, 202);
    assert.equal(d.body.status, 'deleting');
    assert.equal(d.body.actions.delete, false);
    // a second delete is the same request again
    assert.equal((await h.api('DELETE', `/v1/peerings/${p.body.id}`)).status, 202);
    await h.waitFor<{ status: string }>(`/v1/peerings/${p.body.id}`, (x) => x.status === 'deleted');
    // the request is gone from the cloud too, whichever way (rejected while pending, or deleted once accepted)
    assert.ok(
      ['rejected', 'deleted'].includes(aws.world.peerings.get(pcx)?.code ?? ''),
      aws.world.peerings.get(pcx)?.code,
    );
    const bad = await h.api<Err>('POST', '/v1/resources', {
      deploymentId: aws.deploymentId,
      name: 'x',
      address: 'db.internal:5432',
    });
    assert.equal(bad.body.code, 'RESOURCE_ADDRESS_INVALID');
  },
);

test('a provider id is registered once; the quota of live peerings holds', async () => {
  const vpc = aws.customerVpc('172.22.0.0/16');
  const pcx = await aws.requestPeering(vpc);
  const first = await h.api<{ id: string }>('POST', '/v1/peerings', aws.submitBody(pcx, { customerVpcId: vpc }));
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const dup = await refused(aws.submitBody(pcx, { customerVpcId: vpc }), 'PROVIDER_ID_TAKEN', 409);
  assert.equal(dup.details.peeringId, first.body.id);
  const third = aws.customerVpc('172.23.0.0/16');
  const r3 = await h.api(
    'POST',
    '/v1/peerings',
    aws.submitBody(await aws.requestPeering(third), { customerVpcId: third }),
  );
  assert.equal(r3.status, 201);
  const fourth = aws.customerVpc('172.24.0.0/16');
  const q = await refused(
    aws.submitBody(await aws.requestPeering(fourth), { customerVpcId: fourth }),
    'PEERING_QUOTA_EXCEEDED',
  );
  assert.equal(q.details.quota, 3);
});

test('tenancy: another organization sees 404 for every object; viewers cannot write', async () => {
  const other = await h.api<{ apiKey: { key: string }; org: { id: string } }>(
    'POST',
    '/v1/admin/orgs',
    { name: 'Other' },
    { key: OPERATOR_TOKEN },
  );
  const key = other.body.apiKey.key;
  const list = await h.api<{ items: Array<{ id: string }> }>('GET', '/v1/peerings');
  const someone = list.body.items[0].id;
  for (const path of [
    `/v1/peerings/${someone}`,
    `/v1/peerings/${someone}/events`,
    `/v1/deployments/${aws.deploymentId}`,
    `/v1/deployments/${aws.deploymentId}/peering-facts`,
  ]) {
    const r = await h.api<Err>('GET', path, undefined, { key });
    assert.equal(r.status, 404, path);
    assert.equal(r.body.code, 'NOT_FOUND');
  }
  assert.equal((await h.api<Err>('DELETE', `/v1/peerings/${someone}`, undefined, { key })).status, 404);
  assert.equal((await h.api<{ items: unknown[] }>('GET', '/v1/peerings', undefined, { key })).body.items.length, 0);
  assert.equal(
    (await h.api<Err>('POST', '/v1/peerings', aws.submitBody('pcx-0123abcd'), { key })).body.code,
    'NOT_FOUND',
  );

  const viewer = await h.api<{ key: string }>(
    'POST',
    `/v1/admin/orgs/${h.orgId}/api-keys`,
    { name: 'ro', role: 'viewer' },
    { key: OPERATOR_TOKEN },
  );
  assert.equal((await h.api('GET', '/v1/peerings', undefined, { key: viewer.body.key })).status, 200);
  const w = await h.api<Err>('DELETE', `/v1/peerings/${someone}`, undefined, { key: viewer.body.key });
  assert.equal(w.status, 403);
  assert.equal(w.body.code, 'FORBIDDEN');
  assert.equal((await h.api<Err>('GET', '/v1/peerings', undefined, { key: null })).body.code, 'UNAUTHENTICATED');
  assert.equal(
    (await h.api<Err>('GET', '/v1/peerings', undefined, { key: 'plk_key_x.yyyyyyyyyyyyyyyyyyyy' })).status,
    401,
  );
  // the operator credential is not an org key, and org keys are not operator credentials
  assert.equal((await h.api('GET', '/v1/peerings', undefined, { key: OPERATOR_TOKEN })).status, 401);
  assert.equal((await h.api('GET', '/v1/admin/orgs')).status, 401);
  // only the hash of a key is stored
  const rows = await h.peerlink.store.db.selectFrom('api_keys').select('secret_hash').execute();
  assert.ok(rows.every((r) => !key.includes(r.secret_hash)));
});

test('Idempotency-Key: a repeat replays, a different body under the same key is refused', async () => {
  const vpc = aws.customerVpc('172.26.0.0/16');
  const pcx = await aws.requestPeering(vpc);
  // make room under the quota
  const live = await h.api<{ items: Array<{ id: string; status: string }> }>('GET', '/v1/peerings?status=running');
  for (const p of live.body.items) await h.api('DELETE', `/v1/peerings/${p.id}`);
  for (const p of live.body.items)
    await h.waitFor<{ status: string }>(`/v1/peerings/${p.id}`, (x) => x.status === 'deleted');
  const pending = await h.api<{ items: Array<{ id: string; status: string }> }>('GET', '/v1/peerings?status=running');
  assert.equal(pending.body.items.length, 0);
  const body = aws.submitBody(pcx, { customerVpcId: vpc });
  const a = await h.api<{ id: string }>('POST', '/v1/peerings', body, { idem: 'abc-1' });
  const b = await h.api<{ id: string }>('POST', '/v1/peerings', body, { idem: 'abc-1' });
  assert.equal(a.status, 201, JSON.stringify(a.body));
  assert.equal(b.status, 201);
  assert.equal(b.body.id, a.body.id);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  const c = await h.api<Err>('POST', '/v1/peerings', { ...body, customerVpcId: aws.customer.vpcId }, { idem: 'abc-1' });
  assert.equal(c.status, 422);
  assert.equal(c.body.code, 'IDEMPOTENCY_KEY_REUSED');
});

test('pagination walks every peering once', async () => {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const r: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await h.api(
      'GET',
      `/v1/peerings?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
    );
    seen.push(...r.body.items.map((p) => p.id));
    cursor = r.body.nextCursor;
  } while (cursor);
  const all = await h.api<{ items: Array<{ id: string }> }>('GET', '/v1/peerings?limit=200');
  assert.deepEqual(
    seen,
    all.body.items.map((p) => p.id),
  );
  assert.equal(new Set(seen).size, seen.length);
  assert.equal((await h.api<Err>('GET', '/v1/peerings?cursor=garbage')).body.code, 'VALIDATION_FAILED');
});
