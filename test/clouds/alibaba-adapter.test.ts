/**
 * Alibaba Cloud's quirks, the adapter against its simulator through the official SDK: asynchronous connections and
 * route entries, one route change per VPC at a time, VpcPeer's "try again later", a delete refused while route entries
 * point at the connection, RegionId only where the API takes it, ClientToken on mutations. The audit rows (A-n) are
 * those of shared/reference/cloud-fidelity-audit.md; docs/CLOUDS.md gives each behaviour's source.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../src/clouds/sim/index.js';
import { alibabaAdapter } from '../../src/clouds/alibaba/adapter.js';
import { AliCustomer } from '../../src/clouds/alibaba/customer.js';
import { classifyAlibabaError, routeDuplicateCodes } from '../../src/clouds/alibaba/errors.js';
import { aliClient, aliRuntime, callVpcPeer } from '../../src/clouds/alibaba/sdk.js';
import { routeDuplicateCodes as simDuplicateCodes, type AliWorld } from '../../src/clouds/alibaba/sim-world.js';
import { alibabaSimulation } from '../../src/clouds/alibaba/simulation.js';
import { applyMode } from '../../src/clouds/sim/contract.js';
import { ProviderError, type ConnectionRef, type PlatformTarget } from '../../src/clouds/provider.js';

const adapter = alibabaAdapter();
const region = 'cn-hangzhou';
// 18 digits: more than a double holds exactly; must survive the wire and the SDK as written
const platformUid = '253460731706911258';
const customerUid = '1210123456123456';

interface Cloud {
  sim: Simulator;
  world: AliWorld;
  platform: PlatformTarget;
  customer: AliCustomer;
  platformVpc: { id: string; routeTableId: string };
  customerVpc: { id: string; routeTableId: string };
  settle(ms?: number): void;
  ref(connectionId: string, customerVpcId?: string): ConnectionRef;
  request(vpcId?: string): Promise<string>;
  /** a customer connection to the deployment VPC, accepted and Activated */
  active(vpcId?: string): Promise<string>;
}

const clouds: Simulator[] = [];
after(async () => {
  for (const s of clouds) await s.close();
});

/** A fresh simulated Alibaba Cloud with a platform and a customer account, in strict mode unless asked. */
async function cloud(mode: 'strict' | 'permissive' = 'strict'): Promise<Cloud> {
  const sim = await startSimulator();
  clouds.push(sim);
  const world = sim.world(alibabaSimulation);
  applyMode(alibabaSimulation, world, mode);
  const p = world.createAccount(platformUid);
  const c = world.createAccount(customerUid);
  const platformVpc = world.createVpc({ uid: p.uid, region }, '10.11.0.0/16');
  const customerVpc = world.createVpc({ uid: c.uid, region }, '172.31.0.0/16');
  const platform: PlatformTarget = {
    provider: 'alibaba',
    region,
    accountId: platformUid,
    endpoint: sim.endpoint(alibabaSimulation),
    credentials: { accessKeyId: p.accessKeyId, secretAccessKey: p.accessKeySecret },
  };
  const customer = new AliCustomer({
    endpoint: sim.endpoint(alibabaSimulation),
    region,
    accessKeyId: c.accessKeyId,
    accessKeySecret: c.accessKeySecret,
    signature: 'v2',
  });
  const ref = (connectionId: string, customerVpcId = customerVpc.id): ConnectionRef => ({
    connectionId,
    deploymentVpcId: platformVpc.id,
    customerAccountId: customerUid,
    customerVpcId,
    customerCidrs: [],
  });
  const settle = (ms = 30_000) => sim.clock.advance(ms);
  const request = (vpcId = customerVpc.id) =>
    customer.createConnection(vpcId, { uid: platformUid, vpcId: platformVpc.id });
  return {
    sim,
    world,
    platform,
    customer,
    platformVpc,
    customerVpc,
    settle,
    ref,
    request,
    async active(vpcId = customerVpc.id) {
      const id = await request(vpcId);
      settle();
      await adapter.acceptor.accept(platform, ref(id, vpcId));
      settle();
      return id;
    },
  };
}

const kindOf = (kind: string, code?: string) => (e: unknown) =>
  e instanceof ProviderError && e.kind === kind && (!code || e.providerCode === code);

test('A-10: the lifecycle is asynchronous, with durations in the order of Terraform’s waiters', async () => {
  const c = await cloud();
  c.sim.clock.freeze();
  const id = await c.request();
  const status = async () => (await adapter.connections.observe(c.platform, c.ref(id)))?.providerStatus;
  assert.equal(await status(), 'Creating');
  await assert.rejects(adapter.acceptor.accept(c.platform, c.ref(id)), kindOf('conflict', 'IncorrectStatus.VpcPeer'));
  c.settle(5_000);
  assert.equal(await status(), 'Accepting');
  await adapter.acceptor.accept(c.platform, c.ref(id));
  assert.equal(await status(), 'Updating');
  assert.equal((await adapter.connections.observe(c.platform, c.ref(id)))?.phase, 'accepting');
  c.settle(10_000);
  assert.equal(await status(), 'Activated');
  const route = { tableId: c.platformVpc.routeTableId, cidr: '172.31.0.0/16' };
  await adapter.routes.create(c.platform, id, [route]);
  assert.deepEqual(await adapter.routes.observe(c.platform, id, [route.tableId]), [{ ...route, state: 'pending' }]);
  c.settle(5_000);
  assert.deepEqual(await adapter.routes.observe(c.platform, id, [route.tableId]), [{ ...route, state: 'active' }]);
  const active = await adapter.connections.observe(c.platform, c.ref(id));
  assert.ok(active, 'observed');
  await adapter.routes.remove(c.platform, id, [route]);
  await adapter.connections.close(c.platform, c.ref(id), active);
  c.settle(1_000);
  assert.equal(await status(), 'Deleting');
  c.settle(10_000);
  assert.equal(await status(), 'Deleted');
  c.settle(3_600_001);
  assert.equal(await status(), undefined, 'deleted connections disappear after a while');
});

test('A-1: route entries are added one at a time per VPC; a change while one is Pending is refused', async () => {
  const c = await cloud();
  c.world.addCidr(c.customerVpc.id, '172.30.0.0/16');
  const id = await c.active();
  const routes = ['172.31.0.0/16', '172.30.0.0/16'].map((cidr) => ({ tableId: c.platformVpc.routeTableId, cidr }));
  const creates = () => c.sim.faults.count('alibaba', 'CreateRouteEntry');
  const before = creates();
  await adapter.routes.create(c.platform, id, routes);
  assert.equal(creates() - before, 1, 'one CreateRouteEntry per call');
  assert.deepEqual(
    (await adapter.routes.observe(c.platform, id, [c.platformVpc.routeTableId])).map((r) => r.state),
    ['pending'],
  );
  // asked again while the first is Pending: the table is not settled, nothing is sent, the reconciler looks again
  await assert.rejects(adapter.routes.create(c.platform, id, routes), kindOf('conflict', 'IncorrectRouteEntryStatus'));
  assert.equal(creates() - before, 1, 'no concurrent CreateRouteEntry in one VPC');
  // the cloud itself refuses a concurrent change: in the same table, and in another table of the same VPC
  const vtb = c.platformVpc.routeTableId;
  assert.throws(() => c.world.createRouteEntry({ uid: platformUid, region }, vtb, '172.30.0.0/16', 'VpcPeer', id), {
    code: 'IncorrectRouteEntryStatus',
  });
  const t = c.world.routeTables.get(vtb);
  assert.ok(t, 'the deployment table');
  c.world.routeTables.set('vtb-bp1second0000000000', { ...t, id: 'vtb-bp1second0000000000', entries: [] });
  assert.throws(
    () =>
      c.world.createRouteEntry({ uid: platformUid, region }, 'vtb-bp1second0000000000', '172.30.0.0/16', 'VpcPeer', id),
    { code: 'TaskConflict' },
  );
  c.world.routeTables.delete('vtb-bp1second0000000000');
  c.settle(5_000);
  await adapter.routes.create(c.platform, id, routes);
  c.settle(5_000);
  await adapter.routes.create(c.platform, id, routes); // both there: nothing to do
  assert.equal(creates() - before, 2);
  assert.deepEqual(await adapter.routes.observe(c.platform, id, [vtb]), [
    { ...routes[0], state: 'active' },
    { ...routes[1], state: 'active' },
  ]);
});

test('A-2: route entries are deleted asynchronously; a Deleting entry is pending and not deleted again', async () => {
  const c = await cloud();
  c.world.addCidr(c.customerVpc.id, '172.30.0.0/16');
  const id = await c.active();
  const vtb = c.platformVpc.routeTableId;
  const routes = ['172.31.0.0/16', '172.30.0.0/16'].map((cidr) => ({ tableId: vtb, cidr }));
  for (let i = 0; i < 2; i++) {
    await adapter.routes.create(c.platform, id, routes);
    c.settle(5_000);
  }
  const deletes = () => c.sim.faults.count('alibaba', 'DeleteRouteEntry');
  const before = deletes();
  await adapter.routes.remove(c.platform, id, routes);
  assert.equal(deletes() - before, 1, 'one DeleteRouteEntry per call');
  const seen = await adapter.routes.observe(c.platform, id, [vtb]);
  assert.deepEqual(
    seen.map((r) => [r.cidr, r.state]),
    [
      ['172.31.0.0/16', 'pending'],
      ['172.30.0.0/16', 'active'],
    ],
    'the Deleting entry is seen as still changing',
  );
  // only the one still Available is left to remove, and not while the other is Deleting
  await assert.rejects(adapter.routes.remove(c.platform, id, routes.slice(1)), kindOf('conflict'));
  await adapter.routes.remove(c.platform, id, routes.slice(0, 1)); // already Deleting: done
  assert.equal(deletes() - before, 1, 'a Deleting entry is not deleted again');
  c.settle(5_000);
  await adapter.routes.remove(c.platform, id, routes);
  c.settle(5_000);
  assert.deepEqual(await adapter.routes.observe(c.platform, id, [vtb]), []);
  assert.equal(deletes() - before, 2);
});

test('A-3: every documented duplicate code counts as "already there" when it points at this connection', async () => {
  assert.deepEqual([...simDuplicateCodes].sort(), routeDuplicateCodes.slice(0, 4).sort(), 'the same four codes');
  for (const code of simDuplicateCodes) {
    const c = await cloud();
    c.world.options.duplicateCode = code;
    const id = await c.active();
    const route = { tableId: c.platformVpc.routeTableId, cidr: '172.31.0.0/16' };
    // a retry racing the first call (a crash after the call landed): both read a settled table, the second is told
    // the entry exists
    await Promise.all([adapter.routes.create(c.platform, id, [route]), adapter.routes.create(c.platform, id, [route])]);
    assert.equal(c.sim.faults.count('alibaba', 'CreateRouteEntry'), 2, `${code}: both calls reached the cloud`);
    assert.deepEqual(
      (await adapter.routes.observe(c.platform, id, [route.tableId])).map((r) => r.cidr),
      [route.cidr],
      `${code}: done`,
    );
  }
  // the same destination to another next hop is someone else's route: refused
  const c = await cloud();
  const first = await c.active();
  const other = await c.active(c.world.createVpc({ uid: customerUid, region }, '172.20.0.0/16').id);
  const route = { tableId: c.platformVpc.routeTableId, cidr: '172.31.0.0/16' };
  await adapter.routes.create(c.platform, first, [route]);
  c.settle(5_000);
  await assert.rejects(adapter.routes.create(c.platform, other, [route]), kindOf('permanent'));
});

test('A-4: Conflict.Operation — another peering operation on the VPC — is a retry, not a failure', async () => {
  const c = await cloud();
  const one = await c.request();
  // the customer's own second request meets it too while the first is Creating
  const second = c.world.createVpc({ uid: customerUid, region }, '172.20.0.0/16').id;
  await assert.rejects(c.request(second), { code: 'Conflict.Operation' });
  c.settle();
  const two = await c.request(second);
  c.settle();
  await adapter.acceptor.accept(c.platform, c.ref(one));
  // `one` is Updating on the deployment VPC: the second accept must wait
  await assert.rejects(adapter.acceptor.accept(c.platform, c.ref(two)), kindOf('conflict', 'Conflict.Operation'));
  c.settle();
  await adapter.acceptor.accept(c.platform, c.ref(two));
  assert.equal(classifyAlibabaError('X', { code: 'Conflict.Operation', statusCode: 400 }).kind, 'conflict');
});

for (const mode of ['strict', 'permissive'] as const) {
  test(`A-5 (${mode}): a delete refused while route entries point at the connection ends it anyway`, async () => {
    const c = await cloud(mode);
    const id = await c.active();
    // the customer's own route entry to the deployment, as the guidance tells it
    await c.customer.addRoute(c.customerVpc.routeTableId, '10.11.0.0/16', id);
    // the platform's entry blocks a plain delete in either mode; the reconciler removes it first
    const route = { tableId: c.platformVpc.routeTableId, cidr: '172.31.0.0/16' };
    await adapter.routes.create(c.platform, id, [route]);
    c.settle(5_000);
    assert.throws(() => c.world.delete({ uid: platformUid }, id), { code: 'OperationDenied.RouteEntryExist' });
    await adapter.routes.remove(c.platform, id, [route]);
    c.settle(5_000);
    const active = await adapter.connections.observe(c.platform, c.ref(id));
    assert.ok(active, 'observed');
    await adapter.connections.close(c.platform, c.ref(id), active);
    assert.equal((await adapter.connections.observe(c.platform, c.ref(id)))?.providerStatus, 'Deleting');
    await adapter.connections.close(c.platform, c.ref(id), active); // a retried close is done
  });
}

test('A-5, A-15: a request still Accepting is rejected by the accepter, not deleted', async () => {
  const c = await cloud();
  const id = await c.request();
  c.settle();
  const pending = await adapter.connections.observe(c.platform, c.ref(id));
  assert.equal(pending?.phase, 'awaiting-acceptance');
  assert.throws(() => c.world.delete({ uid: platformUid }, id), { code: 'IncorrectStatus.VpcPeer' });
  await adapter.connections.close(c.platform, c.ref(id), pending);
  assert.equal((await adapter.connections.observe(c.platform, c.ref(id)))?.phase, 'rejected');
  assert.equal(c.sim.faults.count('alibaba', 'DeleteVpcPeerConnection'), 0, 'no delete was tried');
});

test('A-7: RegionId only where the action takes it; VpcPeer is central', async () => {
  for (const mode of ['strict', 'permissive'] as const) {
    const c = await cloud(mode);
    const id = await c.request();
    const raw = aliClient({
      endpoint: c.sim.endpoint(alibabaSimulation),
      region,
      accessKeyId: c.platform.credentials.accessKeyId ?? '',
      accessKeySecret: c.platform.credentials.secretAccessKey ?? '',
    });
    const get = (body: Record<string, string>) =>
      callVpcPeer(raw, 'GetVpcPeerConnectionAttribute', { InstanceId: id, ...body }, aliRuntime());
    assert.equal((await get({})).InstanceId, id, `${mode}: Get takes no RegionId`);
    if (mode === 'strict') await assert.rejects(get({ RegionId: region }), { code: 'InvalidParameter' });
    else assert.equal((await get({ RegionId: region })).InstanceId, id, 'permissive: an extra RegionId is ignored');
    await assert.rejects(
      callVpcPeer(raw, 'CreateVpcPeerConnection', { VpcId: c.platformVpc.id, AcceptingVpcId: 'x' }, aliRuntime()),
      { code: 'MissingParam.RegionId' },
    );
  }
});

test('A-18: mutations carry a ClientToken; a repeated token answers what the first call did', async () => {
  const c = await cloud();
  const id = await c.active();
  const tokens = [...c.world.clientTokens.keys()].filter((k) => k.startsWith(`${platformUid}|`));
  assert.deepEqual(
    tokens.map((k) => k.split('|')[1]),
    ['AcceptVpcPeerConnection'],
    'the accept carried a ClientToken',
  );
  const raw = aliClient({
    endpoint: c.sim.endpoint(alibabaSimulation),
    region,
    accessKeyId: c.platform.credentials.accessKeyId ?? '',
    accessKeySecret: c.platform.credentials.secretAccessKey ?? '',
  });
  const token = tokens[0]?.split('|')[2] ?? '';
  const accept = (body: Record<string, string>) =>
    callVpcPeer(raw, 'AcceptVpcPeerConnection', { InstanceId: id, ...body }, aliRuntime());
  assert.ok(await accept({ ClientToken: token }), 'the same token: the same answer, not IncorrectStatus');
  await assert.rejects(accept({ ClientToken: 'another' }), { code: 'IncorrectStatus.VpcPeer' });
  await adapter.routes.create(c.platform, id, [{ tableId: c.platformVpc.routeTableId, cidr: '172.31.0.0/16' }]);
  assert.ok(
    [...c.world.clientTokens.keys()].some((k) => k.includes('|CreateRouteEntry|')),
    'CreateRouteEntry carried a ClientToken',
  );
});

test('VpcPeer semantics: one live connection per VPC pair, 7-day expiry with GmtExpired, wrong accepter', async () => {
  const c = await cloud();
  const other = c.world.createVpc({ uid: customerUid, region }, '172.20.0.0/16');
  const id = await c.request(other.id);
  c.settle();
  await assert.rejects(c.request(other.id), { code: 'ResourceAlreadyExist.VpcPeer' });
  await assert.rejects(c.customer.createConnection(other.id, { uid: customerUid, vpcId: c.platformVpc.id }), {
    code: 'IncorrectStatus.AcceptingVpc',
  });
  const seen = await adapter.connections.observe(c.platform, c.ref(id));
  assert.ok(seen?.expiresAt, 'GmtExpired is reported');
  // GmtExpired is GmtCreate + 7 days, to the second (the wire format has no milliseconds)
  const created = c.world.connections.get(id)?.gmtCreate.getTime() ?? 0;
  assert.ok(Math.abs(Date.parse(seen.expiresAt) - created - 7 * 24 * 3600_000) < 1_000, 'GmtCreate + 7 days');
  c.settle(7 * 24 * 3600_000);
  assert.equal((await adapter.connections.observe(c.platform, c.ref(id)))?.phase, 'expired');
  await assert.rejects(adapter.acceptor.accept(c.platform, c.ref(id)), kindOf('conflict'));
  const again = await c.request(other.id); // an expired connection no longer blocks a new one
  c.settle();
  const located = await adapter.locator.locate(c.platform, {
    customerVpcId: other.id,
    deploymentVpcId: c.platformVpc.id,
  });
  assert.deepEqual(located.map((x) => x.phase).sort(), ['awaiting-acceptance', 'expired']);
  await c.customer.rejectConnection(again).then(
    () => assert.fail('only the accepter may reject'),
    (e: { code?: string }) => assert.equal(e.code, 'ResourceNotFound.InstanceId'),
  );
});

let sharedCloud: Promise<Cloud> | undefined;
/** one simulated cloud for the tests that only read or add to it */
const shared = () => (sharedCloud ??= cloud());

test('paging: ListVpcPeerConnections pages of at most 100 with NextToken; bad MaxResults refused', async () => {
  const c = await shared();
  const { world, sim, platform } = c;
  Object.assign(world.options, { creatingMs: 0 });
  for (let i = 0; i < 105; i++) {
    const v = world.createVpc({ uid: customerUid, region }, `172.16.${i}.0/24`);
    world.createConnection(
      { uid: customerUid, region },
      { vpcId: v.id, acceptingAliUid: platformUid, acceptingVpcId: c.platformVpc.id },
    );
  }
  const before = sim.faults.count('alibaba', 'ListVpcPeerConnections');
  let n = 0;
  for await (const page of adapter.connections.list(platform)) n += page.length;
  assert.equal(n, 105);
  assert.equal(sim.faults.count('alibaba', 'ListVpcPeerConnections') - before, 2);
  await assert.rejects(
    (c.customer as unknown as { peer(a: string, b: object): Promise<unknown> }).peer('ListVpcPeerConnections', {
      MaxResults: 101,
    }),
    { code: 'IllegalParam.MaxResults' },
  );
});

test('errors are classified from the documented codes; the wire error carries RequestId and HostId', async () => {
  const c = await shared();
  const { sim, platform } = c;
  await assert.rejects(
    adapter.acceptor.accept(platform, c.ref('pcc-0000000000000000000a')),
    (e: unknown) => kindOf('permanent', 'ResourceNotFound.InstanceId')(e) && /RequestId/.test(String(e)),
  );
  await assert.rejects(
    adapter.routes.observe(platform, 'pcc-0000000000000000000a', ['vtb-nope']),
    kindOf('permanent', 'InvalidRouteTable.NotFound'),
  );
  sim.faults.add({ kind: 'throttle', provider: 'alibaba', times: 1 });
  await assert.rejects(
    adapter.acceptor.accept(platform, c.ref('pcc-0000000000000000000a')),
    kindOf('transient', 'Throttling.User'),
  );
  const res = await fetch(`${sim.url}/`, {
    method: 'POST',
    headers: {
      'x-acs-version': '2022-01-01',
      'x-acs-action': 'GetVpcPeerConnectionAttribute',
      authorization: 'ACS3-HMAC-SHA256 Credential=nope,SignedHeaders=host,Signature=' + '0'.repeat(64),
    },
    body: 'InstanceId=pcc-x',
  });
  assert.equal(res.status, 404);
  const body = (await res.json()) as Record<string, string>;
  assert.deepEqual(Object.keys(body).sort(), ['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
  assert.equal(body.HostId, 'vpcpeer.aliyuncs.com');
});

test('account UIDs stay exact strings end to end (18 digits)', async () => {
  const c = await shared();
  const { world, platform, sim } = c;
  const id = await c.request(world.createVpc({ uid: customerUid, region }, '172.21.0.0/16').id);
  const seen = await adapter.connections.observe(platform, c.ref(id));
  assert.equal(seen?.platform.accountId, platformUid);
  assert.equal(seen?.customer.accountId, customerUid);
  // on the wire they are bare int64 numbers, as Alibaba sends them
  const res = await fetch(`${sim.url}/`, {
    method: 'POST',
    headers: {
      'x-acs-version': '2022-01-01',
      'x-acs-action': 'GetVpcPeerConnectionAttribute',
      authorization:
        `ACS3-HMAC-SHA256 ` +
        `Credential=${platform.credentials.accessKeyId},SignedHeaders=host,Signature=${'0'.repeat(64)}`,
    },
    body: `InstanceId=${id}`,
  });
  assert.match(await res.text(), new RegExp(`"AcceptingOwnerUid":${platformUid}[,}]`));
});

test('§4: every documented code maps to a kind, as the Terraform provider retries them', () => {
  const kind = (code: string, statusCode = 400) =>
    classifyAlibabaError('X', { code, statusCode, data: { Code: code, Message: 'm', RequestId: 'r' } }).kind;
  for (const code of ['Throttling', 'Throttling.User', 'Throttling.Api', 'ServiceUnavailable', 'InternalError'])
    assert.equal(kind(code), 'transient', code);
  assert.equal(kind('Whatever', 503), 'transient');
  for (const code of [
    'IncorrectStatus.VpcPeer',
    'IncorrectBusinessStatus.VpcPeer',
    'ResourceAlreadyExist.VpcPeer',
    'TaskConflict',
    'OperationConflict',
    'Conflict.Operation',
    'IncorrectRouteEntryStatus',
    'IncorrectVpcStatus',
    'OperationFailed.DistibuteLock',
    'IncorrectStatus',
    'IncorrectStatus.RouteTableStatus',
    'IncorrectStatus.VpcRouteEntry',
    'OperationDenied.RouteEntryExist',
  ])
    assert.equal(kind(code), 'conflict', code);
  for (const code of [
    'ResourceNotFound.InstanceId',
    'QuotaExceeded.VpcPeerCountPerVpc',
    'OperationFailed.CdtNotOpened',
    'IncorrectStatus.AcceptingVpc',
    'InvalidAccessKeyId.NotFound',
  ])
    assert.equal(kind(code), 'permanent', code);
  assert.equal(
    classifyAlibabaError('X', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).kind,
    'transient',
  );
});
