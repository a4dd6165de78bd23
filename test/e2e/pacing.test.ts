/**
 * A burst against a cloud that enforces its limits (EC2's token buckets, on the real clock): Peerlink paces itself,
 * so every peering runs and the cloud (almost) never answers RequestLimitExceeded; another tenant's two peerings,
 * submitted after the burst, are not kept waiting behind it. Without pacing the same burst is throttled.
 *
 * The buckets are EC2's, shrunk (the peering actions and CreateRoute refill at 1 a second) and given to both
 * Peerlink and the simulator: pacing must be what bounds the burst even on a slow, busy machine, where EC2's own
 * 5 a second would refill faster than the harness can step. The documented limits are tested in
 * test/clouds/pacing.test.ts and measured at full size by `npm run bench -- --only=paced`.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { awsSimulation, type AwsFixture } from '../../src/clouds/aws/simulation.js';
import { awsLimits } from '../../src/clouds/aws/limits.js';
import { bucket, type RateLimits } from '../../src/clouds/rate-limits.js';
import { startHarness, OPERATOR_TOKEN, type Harness } from '../support/harness.js';

type P = { id: string; status: string };
const BURST = 10; // five times the capacity of the accept and mutating buckets below

const tight: RateLimits = {
  ...awsLimits,
  buckets: Object.fromEntries(
    Object.keys(awsLimits.buckets).map((name) => [name, name === 'non-mutating' ? bucket(10, 10) : bucket(2, 1)]),
  ),
};

const harnesses: Harness[] = [];
after(async () => {
  for (const h of harnesses) await h.close();
});

async function setup(pace: boolean) {
  const h = await startHarness(
    // unpaced, a handful of throttling answers within a minute already tells the operator
    { peeringQuota: 200, paceCloudCalls: pace, throttleAlarmCount: 5 },
    { rateLimits: (cloud) => (cloud === 'aws' ? tight : undefined) },
  );
  harnesses.push(h);
  h.sim.faults.setLimits('aws', tight);
  const aws = await h.fixture(awsSimulation);
  // the customer's requests are made before the limits are switched on (they spend the customer's own buckets)
  const pcxs: Array<{ pcx: string; vpc: string }> = [];
  for (let i = 0; i < BURST; i++) {
    const vpc = aws.customerVpc(`172.16.${i}.0/24`);
    pcxs.push({ pcx: await aws.requestPeering(vpc), vpc });
  }
  return { h, aws, pcxs };
}

async function submitAll(h: Harness, aws: AwsFixture, pcxs: Array<{ pcx: string; vpc: string }>) {
  const created = await Promise.all(
    pcxs.map(({ pcx, vpc }) => h.api<P>('POST', '/v1/peerings', aws.submitBody(pcx, { customerVpcId: vpc }))),
  );
  for (const r of created) assert.equal(r.status, 201, JSON.stringify(r.body));
  return created.map((r) => r.body.id);
}

async function running(h: Harness, ids: string[], key?: string): Promise<number> {
  const list = await h.api<{ items: P[] }>('GET', '/v1/peerings?limit=200&status=running', undefined, { key });
  return list.body.items.filter((p) => ids.includes(p.id)).length;
}

test('a burst at the cloud’s limits converges almost unthrottled; another tenant is not starved', async () => {
  const { h, aws, pcxs } = await setup(true);
  // tenant B: a deployment of its own on the same platform account (the same EC2 buckets)
  const b = await h.admin<{ org: { id: string }; apiKey: { key: string } }>('/v1/admin/orgs', { name: 'Small' });
  const accountId = await h.platformAccountOf('aws');
  const vpcB = aws.world.createVpc({ accountId: aws.platformAccountId, region: aws.region }, '10.12.0.0/16');
  const depB = await h.admin<{ id: string }>('/v1/admin/deployments', {
    orgId: b.org.id,
    name: 'small-broker',
    plan: 'dedicated-professional',
    region: aws.region,
    vpcId: vpcB.id,
    vpcCidr: '10.12.0.0/16',
    platformAccountId: accountId,
    routeTableIds: [aws.world.mainRouteTable(vpcB.id).id],
  });
  const smallPcxs: Array<{ pcx: string; vpc: string }> = [];
  for (let i = 0; i < 2; i++) {
    const vpc = aws.customerVpc(`172.17.${i}.0/24`);
    smallPcxs.push({ pcx: await aws.requestPeering(vpc, vpcB.id), vpc });
  }

  h.sim.faults.enforceLimits(true);
  const burst = await submitAll(h, aws, pcxs);
  const small = await Promise.all(
    smallPcxs.map(({ pcx, vpc }) =>
      h.api<P>('POST', '/v1/peerings', aws.submitBody(pcx, { customerVpcId: vpc, deploymentId: depB.id }), {
        key: b.apiKey.key,
      }),
    ),
  );
  for (const r of small) assert.equal(r.status, 201, JSON.stringify(r.body));
  const smallIds = small.map((r) => r.body.id);
  let burstWhenSmallRan = -1;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (burstWhenSmallRan < 0 && (await running(h, smallIds, b.apiKey.key)) === 2)
      burstWhenSmallRan = await running(h, burst);
    if ((await running(h, burst)) === BURST && burstWhenSmallRan >= 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(await running(h, burst), BURST, 'every peering of the burst runs');
  assert.ok(
    burstWhenSmallRan >= 0 && burstWhenSmallRan < BURST,
    `the other tenant’s two ran while the burst was still going (${burstWhenSmallRan} of ${BURST} running then)`,
  );
  // Paced to the documented buckets, with room for calls reaching the cloud later than counted (here the event loop
  // the simulator shares): at most a stray throttled answer or two, where the unpaced burst below draws hundreds.
  const calls = [...h.sim.faults.bucketCalls.values()].reduce((a, b) => a + b, 0);
  const throttled = h.sim.faults.overLimit.get('aws') ?? 0;
  assert.ok(throttled <= calls * 0.02, `${throttled} of ${calls} calls over EC2’s limits`);
  const failed = await h.api<{ items: P[] }>('GET', '/v1/peerings?limit=200&status=failed');
  assert.equal(failed.body.items.length, 0, 'no peering failed');
  const waits = await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } }).then((r) =>
    r.text(),
  );
  const waited = Number(/^peerlink_cloud_call_waits (\d+)/m.exec(waits)?.[1] ?? 0);
  assert.ok(waited > 0, `calls waited for their turn (${waited})`);
});

test('without pacing, the same burst draws throttling answers (the check above can fail)', async () => {
  const { h, aws, pcxs } = await setup(false);
  h.sim.faults.enforceLimits(true);
  const burst = await submitAll(h, aws, pcxs);
  const deadline = Date.now() + 20_000;
  const threshold = () => [...h.sim.faults.bucketCalls.values()].reduce((a, b) => a + b, 0) * 0.1;
  while (Date.now() < deadline && (h.sim.faults.overLimit.get('aws') ?? 0) <= threshold())
    await new Promise((r) => setTimeout(r, 50));
  const throttled = h.sim.faults.overLimit.get('aws') ?? 0;
  assert.ok(throttled > threshold(), `unpaced: ${throttled} RequestLimitExceeded answers, over a tenth of the calls`);
  assert.ok(burst.length === BURST, 'all submitted');
  // sustained throttling of the platform's account is the operator's to hear about (once), never a tenant's
  type Told = { type: string; data: { accountId: string; reason: { code: string } } };
  let told: Told[] = [];
  for (const until = Date.now() + 10_000; told.length === 0 && Date.now() < until;) {
    const r = await h.api<{ items: Told[] }>('GET', '/v1/admin/events', undefined, { key: OPERATOR_TOKEN });
    told = r.body.items.filter((e) => e.type === 'platform.throttled');
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(told.length, 1, `one platform.throttled event: ${JSON.stringify(told)}`);
  assert.equal(told[0].data.accountId, '111111111111', 'the fixture’s platform account');
  assert.equal(told[0].data.reason.code, 'PLATFORM_THROTTLED');
  const mine = await h.api<{ items: Told[] }>('GET', '/v1/events?limit=500');
  assert.ok(!mine.body.items.some((e) => e.type.startsWith('platform.')), 'the tenant does not see it');
});
