/**
 * The seed's Huawei flow (华为云平台对等连接) end to end over HTTP, against the simulated Huawei Cloud through the
 * official SDK: the customer requests a peering to another account, then types its id, its VPC CIDR, VPC ID and
 * project ID; Huawei never reports the requester's CIDR, so a typed CIDR can be corrected and the routes follow.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { awsSimulation, type AwsFixture } from '../../src/clouds/aws/simulation.js';
import {
  huaweiSimulation,
  type HuaweiFixture,
  HW_CUSTOMER_PROJECT,
  HW_PLATFORM_PROJECT,
} from '../../src/clouds/huawei/simulation.js';
import { startHarness, type Harness } from '../support/harness.js';
import { must } from '../support/must.js';

let h: Harness;
let aws: AwsFixture;
let hw: HuaweiFixture;
before(async () => {
  h = await startHarness();
  aws = await h.fixture(awsSimulation);
  hw = await h.fixture(huaweiSimulation);
});
after(() => h.close());

interface P {
  id: string;
  status: string;
  providerPeeringId: string;
  customerCidrs: string[];
  reason: { code: string; message: string } | null;
}
interface Refused {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

const drive = (id: string, until: (p: P) => boolean, stepMs?: number, timeoutMs?: number) =>
  h.drive<P>(id, until, stepMs, timeoutMs);
const platformRoutes = () =>
  must(hw.world.routeTables.get(hw.platformVpc.routeTableId), 'the route table').routes.filter(
    (r) => r.type === 'peering',
  );
const connect = (vpcId: string) =>
  hw.customer.createPeering(vpcId, { vpcId: hw.platformVpc.vpcId, projectId: HW_PLATFORM_PROJECT });
const body = (providerPeeringId: string, customerVpcId: string, cidr: string, over: Record<string, unknown> = {}) => ({
  deploymentId: hw.deploymentId,
  providerPeeringId,
  customerCidrs: [cidr],
  customerVpcId,
  customerAccountId: HW_CUSTOMER_PROJECT,
  ...over,
});
const submit = (b: Record<string, unknown>) => h.api<P & Refused>('POST', '/v1/peerings', b);

test('the seed Huawei flow: facts, request, submit the four values, running, routes both sides, delete', async () => {
  const facts = await h.api<{
    facts: Array<{ key: string; label: string; value: string }>;
    form: Array<{ key: string; label: string }>;
    guidance: { commands: string; terraform: string };
  }>('GET', `/v1/deployments/${hw.deploymentId}/peering-facts`, undefined, { lang: 'zh-CN' });
  const byLabel = Object.fromEntries(facts.body.facts.map((f) => [f.label, f.value]));
  assert.equal(byLabel['部署 VPC ID'], hw.platformVpc.vpcId);
  assert.equal(byLabel['平台账户 ID（对端项目 ID）'], HW_PLATFORM_PROJECT);
  assert.equal(byLabel['部署 VPC 网段'], '10.13.0.0/16');
  assert.deepEqual(
    facts.body.form.map((f) => f.key),
    ['providerPeeringId', 'customerCidrs', 'customerVpcId', 'customerAccountId'],
    'the seed’s four values, in its order',
  );
  assert.match(facts.body.form[1].label, /华为云不向接收方提供/);
  assert.match(
    facts.body.guidance.commands,
    new RegExp(
      `--peering.accept_vpc_info.vpc_id=${hw.platformVpc.vpcId} ` +
        `--peering.accept_vpc_info.tenant_id=${HW_PLATFORM_PROJECT}`,
    ),
  );
  assert.match(facts.body.guidance.terraform, /huaweicloud_vpc_peering_connection/);

  const id = await connect(hw.vpcId);
  const created = await submit(body(id, hw.vpcId, '192.168.0.0/16'));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const running = await drive(created.body.id, (p) => p.status === 'running');
  assert.equal(running.reason, null);
  assert.equal(hw.world.peerings.get(id)?.status, 'ACTIVE');
  // H-3: the accept takes a while to apply (the simulator's conservative default); Peerlink accepted once and polled
  const accepts = h.sim.faults.calls.filter((c) => c.action === 'AcceptVpcPeering' && c.target === id);
  assert.equal(accepts.length, 1, 'accepted once, then polled until ACTIVE');
  assert.deepEqual(
    platformRoutes().map((r) => [r.destination, r.nexthop]),
    [['192.168.0.0/16', id]],
  );
  const detail = await h.api<{ customerSide: { routeDestination: string; guidance: { commands: string } } }>(
    'GET',
    `/v1/peerings/${created.body.id}`,
  );
  assert.equal(detail.body.customerSide.routeDestination, '10.13.0.0/16');
  assert.match(
    detail.body.customerSide.guidance.commands,
    new RegExp(`destination=10.13.0.0/16 --routetable.routes.add.1.nexthop=${id}`),
  );
  await hw.customer.addRoute(hw.routeTableId, '10.13.0.0/16', id); // seed step 7

  assert.equal((await h.api('DELETE', `/v1/peerings/${created.body.id}`)).status, 202);
  await drive(created.body.id, (p) => p.status === 'deleted');
  assert.deepEqual(platformRoutes(), []);
  assert.equal(hw.world.peerings.has(id), false, 'the peering is deleted at the cloud');
});

test(
  'refused at submit: wrong peering ID, request side not matching ' +
    'what was typed, rejected, expired, overlap, reserved, missing CIDR',
  async () => {
    const refused = async (b: Record<string, unknown>, code: string, detail?: RegExp) => {
      const r = await submit(b);
      assert.equal(r.body.code, code, JSON.stringify(r.body));
      if (detail) assert.match(r.body.message, detail);
    };
    const vpc = hw.vpc('172.22.0.0/16');
    const id = await connect(vpc.id);
    await refused(body('00000000-0000-4000-8000-000000000000', vpc.id, '172.22.0.0/16'), 'PEERING_NOT_FOUND');
    await refused(body('not-a-uuid', vpc.id, '172.22.0.0/16'), 'ID_MALFORMED');
    // the refusal says which field does not match, not whose connection it really is
    await refused(body(id, hw.vpcId, '172.22.0.0/16'), 'PEERING_REQUESTER_MISMATCH', /not requested by the VPC/);
    await refused(
      body(id, vpc.id, '172.22.0.0/16', { customerAccountId: 'a'.repeat(32) }),
      'PEERING_REQUESTER_MISMATCH',
      new RegExp(`^(?!.*${HW_CUSTOMER_PROJECT}).*not requested by the account`),
    );
    await refused(body(id, vpc.id, '10.20.0.0/16'), 'CIDR_RESERVED');
    await refused(body(id, vpc.id, '10.13.0.0/24'), 'CIDR_RESERVED');
    const { customerCidrs: _omit, ...noCidr } = body(id, vpc.id, 'x');
    await refused(noCidr, 'FIELD_REQUIRED');

    // a typed CIDR overlapping another live peering of the deployment
    const first = await submit(body(id, vpc.id, '172.22.0.0/16'));
    assert.equal(first.status, 201);
    const second = hw.vpc('172.25.0.0/16');
    await refused(body(await connect(second.id), second.id, '172.22.128.0/17'), 'CIDR_OVERLAPS_PEERING');

    const rejectedVpc = hw.vpc('172.23.0.0/16');
    const rejected = await connect(rejectedVpc.id);
    hw.world.reject({ projectId: HW_PLATFORM_PROJECT, region: 'cn-north-4' }, rejected);
    await refused(body(rejected, rejectedVpc.id, '172.23.0.0/16'), 'PEERING_REJECTED');
    const expiredVpc = hw.vpc('172.24.0.0/16');
    const expired = await connect(expiredVpc.id);
    h.sim.clock.advance(7 * 24 * 3600_000 + 1_000);
    await refused(body(expired, expiredVpc.id, '172.24.0.0/16'), 'PEERING_EXPIRED');
  },
);

test('a CIDR typed wrong is corrected after the fact: the platform routes follow, the old one goes', async () => {
  const vpc = hw.vpc('172.26.0.0/16');
  const id = await connect(vpc.id);
  const created = await submit(body(id, vpc.id, '172.27.0.0/16')); // typo: 27 for 26
  await drive(created.body.id, (p) => p.status === 'running');
  assert.deepEqual(
    platformRoutes()
      .filter((r) => r.nexthop === id)
      .map((r) => r.destination),
    ['172.27.0.0/16'],
  );

  const reserved = await h.api<Refused>('PATCH', `/v1/peerings/${created.body.id}`, {
    customerCidrs: ['10.20.0.0/16'],
  });
  assert.equal(reserved.body.code, 'CIDR_RESERVED', 'the same rules as a submit');
  const res = await h.api<{ id: string }>('POST', '/v1/resources', {
    deploymentId: hw.deploymentId,
    name: 'typo-db',
    address: '172.27.0.9:5432',
  });
  assert.equal(res.status, 201);
  const inUse = await h.api<Refused>('PATCH', `/v1/peerings/${created.body.id}`, { customerCidrs: ['172.26.0.0/16'] });
  assert.equal(inUse.status, 409);
  assert.equal(inUse.body.code, 'PEERING_CIDR_IN_USE');
  assert.equal((await h.api('DELETE', `/v1/resources/${res.body.id}`)).status, 204);

  const fixed = await h.api<P>('PATCH', `/v1/peerings/${created.body.id}`, { customerCidrs: ['172.26.0.0/16'] });
  assert.equal(fixed.status, 200, JSON.stringify(fixed.body));
  assert.deepEqual(fixed.body.customerCidrs, ['172.26.0.0/16']);
  const deadline = Date.now() + 5_000;
  while (
    Date.now() < deadline &&
    platformRoutes()
      .filter((r) => r.nexthop === id)
      .map((r) => r.destination)
      .join() !== '172.26.0.0/16'
  )
    await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(
    platformRoutes()
      .filter((r) => r.nexthop === id)
      .map((r) => r.destination),
    ['172.26.0.0/16'],
  );
  assert.equal((await h.api<P>('GET', `/v1/peerings/${created.body.id}`)).body.status, 'running');
  const events = await h.api<{ items: Array<{ kind: string; note: string }> }>(
    'GET',
    `/v1/peerings/${created.body.id}/events`,
  );
  assert.ok(
    events.body.items.some((e) => e.kind === 'cidrs-changed' && e.note.includes('172.27.0.0/16 -> 172.26.0.0/16')),
  );

  // clouds that report the CIDR themselves do not take a typed correction
  const awsPeering = await h.api<{ items: Array<{ id: string; provider: string }> }>(
    'GET',
    `/v1/peerings?deploymentId=${aws.deploymentId}`,
  );
  if (awsPeering.body.items[0]) {
    const r = await h.api<Refused>('PATCH', `/v1/peerings/${awsPeering.body.items[0].id}`, {
      customerCidrs: ['172.40.0.0/16'],
    });
    assert.equal(r.body.code, 'FIELD_NOT_APPLICABLE');
  }
});

test('a throttling storm delays the accept but never fails the peering', async () => {
  const vpc = hw.vpc('172.28.0.0/16');
  const id = await connect(vpc.id);
  h.sim.faults.add({ kind: 'throttle', provider: 'huawei', action: 'AcceptVpcPeering', times: 4 });
  h.sim.faults.add({ kind: 'throttle', provider: 'huawei', action: 'UpdateRouteTable', times: 2 });
  const created = await submit(body(id, vpc.id, '172.28.0.0/16'));
  assert.equal(created.status, 201);
  const running = await drive(created.body.id, (p) => p.status === 'running', 30_000, 15_000);
  assert.equal(running.reason, null);
  assert.equal(h.sim.faults.calls.filter((c) => c.action === 'AcceptVpcPeering' && c.target === id).length, 5);
  h.sim.faults.clear();
});

test(
  'drift: the customer deletes the peering; one list ' + 'call fails it; delete removes the route left behind',
  async () => {
    const vpc = hw.vpc('172.29.0.0/16');
    const id = await connect(vpc.id);
    const created = await submit(body(id, vpc.id, '172.29.0.0/16'));
    await drive(created.body.id, (p) => p.status === 'running');
    await hw.customer.deletePeering(id);
    // the delete applies (until then Huawei still shows the peering), and a minute on the sweep's list speaks for a
    // peering unchanged for longer than instances' clocks may differ
    h.sim.clock.advance(60_000);
    const lists = h.sim.faults.count('huawei', 'ListVpcPeerings');
    const shows = h.sim.faults.count('huawei', 'ShowVpcPeering');
    await h.peerlink.reconciler.sweep();
    assert.equal(h.sim.faults.count('huawei', 'ListVpcPeerings') - lists, 1);
    assert.equal(h.sim.faults.count('huawei', 'ShowVpcPeering') - shows, 0);
    const failed = await drive(created.body.id, (p) => p.status === 'failed');
    assert.equal(failed.reason?.code, 'PEERING_DELETED_BY_CUSTOMER');
    assert.ok(
      platformRoutes().some((r) => r.nexthop === id),
      'the route to the vanished peering is still there',
    );
    assert.equal((await h.api('DELETE', `/v1/peerings/${created.body.id}`)).status, 202);
    await drive(created.body.id, (p) => p.status === 'deleted');
    assert.equal(
      platformRoutes().some((r) => r.nexthop === id),
      false,
      'and removed with the peering',
    );
  },
);
