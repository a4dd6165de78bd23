/**
 * The seed's Alibaba flow (阿里云平台对等连接) end to end over HTTP, against the simulated Alibaba Cloud through the
 * official SDK: the customer's VPC is the initiator, the deployment's the accepter; the customer names only its VPC.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  alibabaSimulation,
  type AlibabaFixture,
  ALI_CUSTOMER_UID,
  ALI_PLATFORM_UID,
  ALI_REGION,
} from '../../src/clouds/alibaba/simulation.js';
import { startHarness, type Harness } from '../support/harness.js';
import { must } from '../support/must.js';

let h: Harness;
let ali: AlibabaFixture;
before(async () => {
  h = await startHarness();
  ali = await h.fixture(alibabaSimulation);
});
after(() => h.close());

interface P {
  id: string;
  status: string;
  providerPeeringId: string | null;
  customerAccountId: string;
  customerCidrs: string[];
  deadlineAt: string | null;
  reason: { code: string; message: string; details: Record<string, unknown> } | null;
}
interface Refused {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

const drive = (id: string, until: (p: P) => boolean, stepMs?: number, timeoutMs?: number) =>
  h.drive<P>(id, until, stepMs, timeoutMs);
const platformRoutes = () =>
  must(ali.world.routeTables.get(ali.platformVpc.routeTableId), 'the deployment route table').entries.filter(
    (e) => e.type === 'Custom',
  );
const submit = (customerVpcId: string, extra: Record<string, unknown> = {}) =>
  h.api<P & Refused>('POST', '/v1/peerings', { deploymentId: ali.deploymentId, customerVpcId, ...extra });
/**
 * What a customer does when Alibaba answers Conflict.Operation ("other peering operations on the requester VPC or
 * accepter VPC, try again later" — here, another customer's connection to the deployment VPC is still changing):
 * waits, and tries again.
 */
async function whenFree<T>(call: () => T | Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await call();
    } catch (err) {
      if ((err as { code?: string }).code !== 'Conflict.Operation' || i >= 30) throw err;
      h.sim.clock.advance(5_000);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
const connect = (vpcId: string, accepter = { uid: ALI_PLATFORM_UID, vpcId: ali.platformVpc.vpcId }) =>
  whenFree(() => ali.customer.createConnection(vpcId, accepter));

test(
  'the seed Alibaba flow: facts, create the peer connection, ' +
    'enter the initiator VPC, running, routes both sides, delete',
  async () => {
    const facts = await h.api<{
      facts: Array<{ key: string; label: string; value: string }>;
      form: Array<{ key: string }>;
      guidance: { commands: string; terraform: string };
    }>('GET', `/v1/deployments/${ali.deploymentId}/peering-facts`, undefined, { lang: 'zh-CN' });
    const byLabel = Object.fromEntries(facts.body.facts.map((f) => [f.label, f.value]));
    assert.equal(byLabel['接收端账号 ID'], ALI_PLATFORM_UID);
    assert.equal(byLabel['接收端实例'], ali.platformVpc.vpcId);
    assert.deepEqual(
      facts.body.form.map((f) => f.key),
      ['customerVpcId'],
      'the customer enters only the initiator instance',
    );
    assert.match(
      facts.body.guidance.commands,
      new RegExp(
        `aliyun vpcpeer CreateVpcPeerConnection .*\\n.*--AcceptingAliUid ${ALI_PLATFORM_UID} --AcceptingRegionId ` +
          `${ALI_REGION} --AcceptingVpcId ${ali.platformVpc.vpcId}`,
      ),
    );
    assert.match(facts.body.guidance.terraform, /alicloud_vpc_peer_connection/);

    const pcc = await connect(ali.vpcId);
    const created = await submit(ali.vpcId);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.providerPeeringId, pcc, 'found from the initiator VPC at once');
    assert.equal(created.body.customerAccountId, ALI_CUSTOMER_UID);
    assert.deepEqual(
      created.body.customerCidrs,
      ['172.31.0.0/16'],
      'the initiator VPC CIDRs are read from the connection',
    );
    const running = await drive(created.body.id, (p) => p.status === 'running');
    assert.equal(running.reason, null);
    assert.equal(ali.world.connections.get(pcc)?.status, 'Activated');
    assert.deepEqual(
      platformRoutes().map((e) => [e.destinationCidrBlock, e.nextHopType, e.nextHopId]),
      [['172.31.0.0/16', 'VpcPeer', pcc]],
    );
    const detail = await h.api<{ customerSide: { routeDestination: string; guidance: { commands: string } } }>(
      'GET',
      `/v1/peerings/${created.body.id}`,
    );
    assert.equal(detail.body.customerSide.routeDestination, '10.12.0.0/16');
    assert.match(
      detail.body.customerSide.guidance.commands,
      new RegExp(`--DestinationCidrBlock 10.12.0.0/16 --NextHopType VpcPeer --NextHopId ${pcc}`),
    );
    // the customer's own route entry, as the seed's step 5 says
    await ali.customer.addRoute(ali.routeTableId, '10.12.0.0/16', pcc);

    const del = await h.api<P>('DELETE', `/v1/peerings/${created.body.id}`);
    assert.equal(del.status, 202);
    await drive(created.body.id, (p) => p.status === 'deleted');
    assert.deepEqual(platformRoutes(), [], 'route entries first');
    assert.ok(
      ['Deleting', 'Deleted'].includes(must(ali.world.connections.get(pcc), 'the connection').status),
      'then the connection',
    );
    const events = await h.api<{ items: Array<{ kind: string; toStatus: string | null; note: string }> }>(
      'GET',
      `/v1/peerings/${created.body.id}/events`,
    );
    assert.deepEqual(
      events.body.items.filter((e) => e.toStatus).map((e) => e.toStatus),
      ['pending', 'running', 'deleting', 'deleted'],
    );
  },
);

test('not created yet: accepted as pending with what to check, found once it appears, then running', async () => {
  const vpc = ali.vpc('172.22.0.0/16');
  const created = await submit(vpc.id);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.providerPeeringId, null);
  assert.equal(created.body.status, 'pending');
  assert.ok(created.body.deadlineAt);
  assert.equal(created.body.reason?.code, 'PEERING_SEARCHING');
  for (const v of [vpc.id, ali.platformVpc.vpcId, ALI_PLATFORM_UID, ALI_REGION])
    assert.ok(created.body.reason?.message.includes(v), `the hint names ${v}`);
  const zh = await h.api<P>('GET', `/v1/peerings/${created.body.id}`, undefined, { lang: 'zh-CN' });
  assert.match(must(zh.body.reason, 'a reason').message, /接收端账号 ID 为 253460731706911258/);
  // a second submit for the same VPC would race the first for the same connection
  const twice = await submit(vpc.id);
  assert.equal(twice.status, 409);
  assert.equal(twice.body.code, 'CUSTOMER_VPC_ALREADY_PEERED');

  const pcc = await connect(vpc.id);
  const running = await drive(created.body.id, (p) => p.status === 'running');
  assert.equal(running.providerPeeringId, pcc);
  assert.equal(running.customerAccountId, ALI_CUSTOMER_UID);
  const events = await h.api<{ items: Array<{ kind: string; note: string }> }>(
    'GET',
    `/v1/peerings/${created.body.id}/events`,
  );
  assert.ok(events.body.items.some((e) => e.kind === 'located' && e.note.includes(pcc)));
});

test('never created: failed at the deadline, naming region, accepter account and accepter VPC', async () => {
  const vpc = ali.vpc('172.23.0.0/16');
  const created = await submit(vpc.id);
  assert.equal(created.status, 201);
  h.sim.clock.advance(61 * 60_000);
  const failed = await drive(created.body.id, (p) => p.status === 'failed', 10_000);
  assert.equal(failed.reason?.code, 'PEERING_NOT_LOCATED');
  assert.match(
    failed.reason.message,
    new RegExp(`region ${ALI_REGION}, accepter account ${ALI_PLATFORM_UID} and accepter VPC ${ali.platformVpc.vpcId}`),
  );
});

test(
  'refused at submit with nothing stored: expired, rejected, ' + 'overlapping, reserved, wrong region, wrong fields',
  async () => {
    const before = (await h.api<{ items: unknown[] }>('GET', `/v1/peerings?deploymentId=${ali.deploymentId}&limit=200`))
      .body.items.length;
    const refused = async (res: Promise<{ status: number; body: Refused }>, code: string) => {
      const r = await res;
      assert.equal(r.body.code, code, JSON.stringify(r.body));
      assert.ok(r.status >= 400);
    };
    const expired = ali.vpc('172.24.0.0/16');
    await connect(expired.id);
    h.sim.clock.advance(7 * 24 * 3600_000 + 1_000);
    await refused(submit(expired.id), 'PEERING_EXPIRED');

    const rejected = ali.vpc('172.25.0.0/16');
    const pcc = await connect(rejected.id);
    h.sim.clock.advance(5_000); // Creating, then Accepting
    // someone at the platform rejected it in the console
    ali.world.reject({ uid: ALI_PLATFORM_UID, region: ALI_REGION }, pcc);
    await refused(submit(rejected.id), 'PEERING_REJECTED');

    const first = ali.vpc('172.30.0.0/16');
    await connect(first.id);
    const live = await submit(first.id);
    assert.equal(live.status, 201);
    const overlapping = ali.vpc('172.30.128.0/17');
    await connect(overlapping.id);
    await refused(submit(overlapping.id), 'CIDR_OVERLAPS_PEERING');
    const reserved = ali.vpc('10.20.0.0/16');
    await connect(reserved.id);
    await refused(submit(reserved.id), 'CIDR_RESERVED');

    const shanghai = ali.vpc('172.26.0.0/16', 'cn-shanghai');
    await whenFree(() =>
      ali.world.createConnection(
        { uid: ALI_CUSTOMER_UID, region: 'cn-shanghai' },
        {
          vpcId: shanghai.id,
          acceptingAliUid: ALI_PLATFORM_UID,
          acceptingRegionId: ALI_REGION,
          acceptingVpcId: ali.platformVpc.vpcId,
        },
      ),
    );
    await refused(submit(shanghai.id), 'REGION_MISMATCH');

    await refused(submit('vpc-NOT_A_VPC'), 'ID_MALFORMED');
    await refused(h.api('POST', '/v1/peerings', { deploymentId: ali.deploymentId }), 'FIELD_REQUIRED');
    await refused(submit(ali.vpc('172.27.0.0/16').id, { providerPeeringId: 'pcc-abcdefghij' }), 'FIELD_NOT_APPLICABLE');
    const after = (await h.api<{ items: unknown[] }>('GET', `/v1/peerings?deploymentId=${ali.deploymentId}&limit=200`))
      .body.items.length;
    assert.equal(after, before + 1, 'nothing but the one accepted peering was stored');
  },
);

test('a throttling storm delays the accept but never fails the peering', async () => {
  const vpc = ali.vpc('172.28.0.0/16');
  const pcc = await connect(vpc.id);
  // this connection's accepts only: another test's peering still settling must not spend the four
  const accept = { provider: 'alibaba', action: 'AcceptVpcPeerConnection', target: pcc };
  h.sim.faults.add({ kind: 'throttle', ...accept, times: 4 });
  h.sim.faults.add({ kind: 'throttle', provider: 'alibaba', action: 'CreateRouteEntry', times: 2 });
  const created = await submit(vpc.id);
  assert.equal(created.status, 201);
  const running = await drive(created.body.id, (p) => p.status === 'running', 30_000, 15_000);
  assert.equal(running.reason, null);
  assert.equal(
    h.sim.faults.calls.filter((c) => c.action === 'AcceptVpcPeerConnection' && c.target === running.providerPeeringId)
      .length,
    5,
  );
  const events = await h.api<{ items: Array<{ kind: string; note: string }> }>(
    'GET',
    `/v1/peerings/${created.body.id}/events`,
  );
  assert.ok(events.body.items.some((e) => e.kind === 'retrying' && e.note.includes('Throttling.User')));
  h.sim.faults.clear();
});

test(
  'drift: the customer deletes the connection on its side; ' +
    'one batched sweep fails the peering, delete then cleans up',
  async () => {
    const vpc = ali.vpc('172.29.0.0/16');
    const pcc = await connect(vpc.id);
    const created = await submit(vpc.id);
    await drive(created.body.id, (p) => p.status === 'running');
    await ali.customer.deleteConnection(pcc);
    // a minute on: the sweep's list speaks for a peering unchanged for longer than instances' clocks may differ
    h.sim.clock.advance(60_000);
    const lists = h.sim.faults.count('alibaba', 'ListVpcPeerConnections');
    const gets = h.sim.faults.count('alibaba', 'GetVpcPeerConnectionAttribute');
    const stats = await h.peerlink.reconciler.sweep();
    assert.ok(stats.attention >= 1);
    assert.equal(
      h.sim.faults.count('alibaba', 'ListVpcPeerConnections') - lists,
      1,
      'one list call for the whole account',
    );
    assert.equal(h.sim.faults.count('alibaba', 'GetVpcPeerConnectionAttribute') - gets, 0, 'no per-peering describe');
    const failed = await drive(created.body.id, (p) => p.status === 'failed');
    assert.equal(failed.reason?.code, 'PEERING_DELETED_BY_CUSTOMER');
    assert.equal((await h.api('DELETE', `/v1/peerings/${created.body.id}`)).status, 202);
    await drive(created.body.id, (p) => p.status === 'deleted');
    assert.equal(
      platformRoutes().some((e) => e.nextHopId === pcc),
      false,
      'our route entry to the dead connection is removed',
    );
  },
);

test(
  'A-1, A-4: a customer VPC with two CIDRs and a second customer at the same moment — every route entry is added ' +
    'one at a time, both run, both delete',
  async () => {
    const two = ali.vpc('172.16.0.0/16');
    ali.world.addCidr(two.id, '172.17.0.0/16');
    const other = ali.vpc('172.18.0.0/16');
    const [pccTwo, pccOther] = [await connect(two.id), await connect(other.id)];
    const [a, b] = await Promise.all([submit(two.id), submit(other.id)]);
    assert.equal(a.status, 201, JSON.stringify(a.body));
    assert.equal(b.status, 201, JSON.stringify(b.body));
    assert.deepEqual(a.body.customerCidrs, ['172.16.0.0/16', '172.17.0.0/16'], 'both blocks of the initiator VPC');
    const running = (p: P) => p.status === 'running';
    const [ra, rb] = await Promise.all([
      drive(a.body.id, running, 2_000, 20_000),
      drive(b.body.id, running, 2_000, 20_000),
    ]);
    assert.equal(ra.reason, null);
    assert.equal(rb.reason, null);
    const mine = (pcc: string) =>
      platformRoutes()
        .filter((e) => e.nextHopId === pcc)
        .map((e) => [e.destinationCidrBlock, e.status]);
    assert.deepEqual(mine(pccTwo), [
      ['172.16.0.0/16', 'Available'],
      ['172.17.0.0/16', 'Available'],
    ]);
    assert.deepEqual(mine(pccOther), [['172.18.0.0/16', 'Available']]);
    const events = await h.api<{ items: Array<{ kind: string; note: string }> }>(
      'GET',
      `/v1/peerings/${a.body.id}/events`,
    );
    assert.equal(
      events.body.items.filter((e) => e.kind === 'action' && e.note.startsWith('create-routes')).length,
      2,
      'two route entries, added one after the other (a table busy with the other customer’s is tried again)',
    );
    for (const p of [a, b]) assert.equal((await h.api('DELETE', `/v1/peerings/${p.body.id}`)).status, 202);
    const deleted = (p: P) => p.status === 'deleted';
    await Promise.all([drive(a.body.id, deleted, 2_000, 20_000), drive(b.body.id, deleted, 2_000, 20_000)]);
    assert.deepEqual(mine(pccTwo), []);
    assert.deepEqual(mine(pccOther), []);
  },
);
