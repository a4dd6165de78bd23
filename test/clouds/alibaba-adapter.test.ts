import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../src/clouds/sim/index.js';
import { alibabaAdapter } from '../../src/clouds/alibaba/adapter.js';
import { AliCustomer } from '../../src/clouds/alibaba/customer.js';
import { classifyAlibabaError } from '../../src/clouds/alibaba/errors.js';
import type { AliWorld } from '../../src/clouds/alibaba/sim-world.js';
import { alibabaSimulation } from '../../src/clouds/alibaba/simulation.js';
import { ProviderError, type ConnectionRef, type PlatformTarget } from '../../src/clouds/provider.js';

let sim: Simulator;
let world: AliWorld;
let platform: PlatformTarget;
let customer: AliCustomer;
let platformVpc: { id: string; routeTableId: string };
let customerVpc: { id: string; routeTableId: string };
const adapter = alibabaAdapter();
const region = 'cn-hangzhou';
// 18 digits: more than a double holds exactly; must survive the wire and the SDK as written
const platformUid = '253460731706911258';
const customerUid = '1210123456123456';
const settle = () => sim.clock.advance(5_000);

before(async () => {
  sim = await startSimulator();
  world = sim.world(alibabaSimulation);
  const p = world.createAccount(platformUid);
  const c = world.createAccount(customerUid);
  platformVpc = world.createVpc({ uid: p.uid, region }, '10.11.0.0/16');
  customerVpc = world.createVpc({ uid: c.uid, region }, '172.31.0.0/16');
  platform = {
    provider: 'alibaba',
    region,
    accountId: platformUid,
    endpoint: sim.endpoint(alibabaSimulation),
    credentials: { accessKeyId: p.accessKeyId, secretAccessKey: p.accessKeySecret },
  };
  customer = new AliCustomer({
    endpoint: sim.endpoint(alibabaSimulation),
    region,
    accessKeyId: c.accessKeyId,
    accessKeySecret: c.accessKeySecret,
    signature: 'v2',
  });
});
after(() => sim.close());

const ref = (connectionId: string): ConnectionRef => ({
  connectionId,
  deploymentVpcId: platformVpc.id,
  customerAccountId: customerUid,
  customerVpcId: customerVpc.id,
  customerCidrs: [],
});

const request = (vpcId = customerVpc.id, accepter = { uid: platformUid, vpcId: platformVpc.id }) =>
  customer.createConnection(vpcId, accepter);

test('the lifecycle is asynchronous: Creating, Accepting, Updating, Activated; then Deleting, Deleted', async () => {
  const slow = await startSimulator();
  try {
    const w = slow.world(alibabaSimulation);
    Object.assign(w.options, { creatingMs: 2_000, updatingMs: 3_000, deletingMs: 2_000, routePendingMs: 1_000 });
    const p = w.createAccount(platformUid);
    const c = w.createAccount(customerUid);
    const pv = w.createVpc({ uid: p.uid, region }, '10.11.0.0/16');
    const cv = w.createVpc({ uid: c.uid, region }, '172.31.0.0/16');
    const t: PlatformTarget = {
      ...platform,
      endpoint: slow.endpoint(alibabaSimulation),
      credentials: { accessKeyId: p.accessKeyId, secretAccessKey: p.accessKeySecret },
    };
    const id = await new AliCustomer({
      endpoint: slow.endpoint(alibabaSimulation),
      region,
      accessKeyId: c.accessKeyId,
      accessKeySecret: c.accessKeySecret,
    }).createConnection(cv.id, { uid: platformUid, vpcId: pv.id });
    const ref = (connectionId: string): ConnectionRef => ({
      connectionId,
      deploymentVpcId: pv.id,
      customerAccountId: customerUid,
      customerVpcId: cv.id,
      customerCidrs: [],
    });
    const phase = async () => (await adapter.connections.observe(t, ref(id)))?.providerStatus;
    slow.clock.freeze();
    assert.equal(await phase(), 'Creating');
    await assert.rejects(
      adapter.acceptor.accept(t, ref(id)),
      (e: unknown) =>
        e instanceof ProviderError && e.kind === 'conflict' && e.providerCode === 'IncorrectStatus.VpcPeer',
    );
    slow.clock.advance(2_000);
    assert.equal(await phase(), 'Accepting');
    await adapter.acceptor.accept(t, ref(id));
    assert.equal(await phase(), 'Updating');
    assert.equal((await adapter.connections.observe(t, ref(id)))?.phase, 'accepting');
    slow.clock.advance(3_000);
    assert.equal(await phase(), 'Activated');
    await adapter.routes.create(t, id, [{ tableId: pv.routeTableId, cidr: '172.31.0.0/16' }]);
    assert.deepEqual(await adapter.routes.observe(t, id, [pv.routeTableId]), [
      { tableId: pv.routeTableId, cidr: '172.31.0.0/16', state: 'pending' },
    ]);
    slow.clock.advance(1_000);
    assert.equal((await adapter.routes.observe(t, id, [pv.routeTableId]))[0]?.state, 'active');
    // the accepter's own route entry blocks a plain delete (OperationDenied.RouteEntryExist), as documented
    await assert.rejects(
      adapter.connections.close(t, ref(id)),
      (e: unknown) =>
        e instanceof ProviderError && e.kind === 'permanent' && e.providerCode === 'OperationDenied.RouteEntryExist',
    );
    await adapter.routes.remove(t, id, [{ tableId: pv.routeTableId, cidr: '172.31.0.0/16' }]);
    await adapter.connections.close(t, ref(id));
    assert.equal(await phase(), 'Deleting');
    slow.clock.advance(2_000);
    assert.equal(await phase(), 'Deleted');
    slow.clock.advance(3_600_001);
    assert.equal(await phase(), undefined, 'deleted connections disappear after a while');
  } finally {
    await slow.close();
  }
});

test(
  'VpcPeer semantics: one live connection per VPC pair, ' +
    'reject, 7-day expiry with GmtExpired, wrong accepter refused',
  async () => {
    const other = world.createVpc({ uid: customerUid, region }, '172.20.0.0/16');
    const id = await request(other.id);
    await assert.rejects(request(other.id), { code: 'ResourceAlreadyExist.VpcPeer' });
    await assert.rejects(request(other.id, { uid: customerUid, vpcId: platformVpc.id }), {
      code: 'IncorrectStatus.AcceptingVpc',
    });
    settle();
    const seen = await adapter.connections.observe(platform, ref(id));
    assert.ok(seen?.expiresAt, 'GmtExpired is reported');
    // GmtExpired is GmtCreate + 7 days, to the second (the wire format has no milliseconds)
    const created = world.connections.get(id)?.gmtCreate.getTime() ?? 0;
    assert.ok(Math.abs(Date.parse(seen.expiresAt) - created - 7 * 24 * 3600_000) < 1_000, 'GmtCreate + 7 days');
    sim.clock.advance(7 * 24 * 3600_000);
    assert.equal((await adapter.connections.observe(platform, ref(id)))?.phase, 'expired');
    await assert.rejects(
      adapter.acceptor.accept(platform, ref(id)),
      (e: unknown) => e instanceof ProviderError && e.kind === 'conflict',
    );
    const again = await request(other.id); // an expired connection no longer blocks a new one
    settle();
    const located = await adapter.locator.locate(platform, {
      customerVpcId: other.id,
      deploymentVpcId: platformVpc.id,
    });
    assert.deepEqual(located.map((c) => c.phase).sort(), ['awaiting-acceptance', 'expired']);
    await customer.rejectConnection(again).then(
      () => assert.fail('only the accepter may reject'),
      (e: { code?: string }) => assert.equal(e.code, 'ResourceNotFound.InstanceId'),
    );
    world.reject({ uid: platformUid, region }, again);
    assert.equal((await adapter.connections.observe(platform, ref(again)))?.phase, 'rejected');
  },
);

test('paging: ListVpcPeerConnections pages of at most 100 with NextToken; bad MaxResults refused', async () => {
  const before = sim.faults.count('alibaba', 'ListVpcPeerConnections');
  for (let i = 0; i < 105; i++) {
    const v = world.createVpc({ uid: customerUid, region }, `172.16.${i}.0/24`);
    world.createConnection(
      { uid: customerUid, region },
      { vpcId: v.id, acceptingAliUid: platformUid, acceptingVpcId: platformVpc.id },
    );
  }
  settle();
  let n = 0;
  for await (const page of adapter.connections.list(platform)) n += page.length;
  assert.ok(n >= 105, `listed ${n}`);
  assert.equal(
    sim.faults.count('alibaba', 'ListVpcPeerConnections') - before,
    Math.ceil(world.list({ uid: platformUid, region }).length / 100),
  );
  const raw = new AliCustomer({
    endpoint: sim.endpoint(alibabaSimulation),
    region,
    accessKeyId: [...world.accounts.values()][1]?.accessKeyId ?? '',
    accessKeySecret: 'x',
  });
  await assert.rejects(
    (raw as unknown as { peer(a: string, b: object): Promise<unknown> }).peer('ListVpcPeerConnections', {
      MaxResults: 101,
    }),
    { code: 'IllegalParam.MaxResults' },
  );
});

test('errors are classified from the documented codes; the wire error carries RequestId and HostId', async () => {
  await assert.rejects(
    adapter.acceptor.accept(platform, ref('pcc-0000000000000000000a')),
    (e: unknown) =>
      e instanceof ProviderError &&
      e.kind === 'permanent' &&
      e.providerCode === 'ResourceNotFound.InstanceId' &&
      /RequestId/.test(e.message),
  );
  await assert.rejects(
    adapter.routes.observe(platform, 'pcc-0000000000000000000a', ['vtb-nope']),
    (e: unknown) =>
      e instanceof ProviderError && e.kind === 'permanent' && e.providerCode === 'InvalidRouteTableId.NotFound',
  );
  sim.faults.add({ kind: 'throttle', provider: 'alibaba', times: 1 });
  await assert.rejects(
    adapter.acceptor.accept(platform, ref('pcc-0000000000000000000a')),
    (e: unknown) => e instanceof ProviderError && e.kind === 'transient' && e.providerCode === 'Throttling.User',
  );
  const res = await fetch(`${sim.url}/`, {
    method: 'POST',
    headers: {
      'x-acs-version': '2022-01-01',
      'x-acs-action': 'GetVpcPeerConnectionAttribute',
      authorization: 'ACS3-HMAC-SHA256 Credential=nope,SignedHeaders=host,Signature=' + '0'.repeat(64),
    },
    body: 'RegionId=cn-hangzhou&InstanceId=pcc-x',
  });
  assert.equal(res.status, 404);
  const body = (await res.json()) as Record<string, string>;
  assert.deepEqual(Object.keys(body).sort(), ['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
  assert.equal(body.HostId, 'vpcpeer.aliyuncs.com');
  const unsigned = await fetch(`${sim.url}/`, {
    method: 'POST',
    headers: { 'x-acs-version': '2022-01-01', 'x-acs-action': 'ListVpcPeerConnections' },
    body: 'RegionId=cn-hangzhou',
  });
  assert.equal(((await unsigned.json()) as { Code: string }).Code, 'IncompleteSignature');
});

test('account UIDs stay exact strings end to end (18 digits)', async () => {
  const id = await request(world.createVpc({ uid: customerUid, region }, '172.21.0.0/16').id);
  settle();
  const seen = await adapter.connections.observe(platform, ref(id));
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
    body: `RegionId=${region}&InstanceId=${id}`,
  });
  assert.match(await res.text(), new RegExp(`"AcceptingOwnerUid":${platformUid}[,}]`));
});

test('every documented code maps to a kind', async () => {
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
  ])
    assert.equal(kind(code), 'conflict', code);
  for (const code of [
    'ResourceNotFound.InstanceId',
    'QuotaExceeded.VpcPeerCountPerVpc',
    'OperationFailed.CdtNotOpened',
    'OperationDenied.RouteEntryExist',
    'IncorrectStatus.AcceptingVpc',
    'InvalidAccessKeyId.NotFound',
  ])
    assert.equal(kind(code), 'permanent', code);
  assert.equal(
    classifyAlibabaError('X', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).kind,
    'transient',
  );
});
