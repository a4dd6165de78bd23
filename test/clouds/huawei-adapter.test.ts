import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../src/clouds/sim/index.js';
import { huaweiAdapter } from '../../src/clouds/huawei/adapter.js';
import { HwCustomer } from '../../src/clouds/huawei/customer.js';
import { classifyHuaweiResponse, routeTakenCode } from '../../src/clouds/huawei/errors.js';
import type { HwWorld } from '../../src/clouds/huawei/sim-world.js';
import { huaweiSimulation } from '../../src/clouds/huawei/simulation.js';
import { ProviderError, type ConnectionRef, type PlatformTarget } from '../../src/clouds/provider.js';

let sim: Simulator;
let world: HwWorld;
let platform: PlatformTarget;
let customer: HwCustomer;
let platformVpc: { id: string; routeTableId: string };
let customerVpc: { id: string; routeTableId: string };
const adapter = huaweiAdapter();
const region = 'cn-north-4';
const platformProject = '059a737356594b41b447b557bf0aae56';
const customerProject = 'f65e9ebcd5d418b4a931a9a723718ba4';

before(async () => {
  sim = await startSimulator();
  world = sim.world(huaweiSimulation);
  const p = world.createProject(region, platformProject);
  const c = world.createProject(region, customerProject);
  platformVpc = world.createVpc({ projectId: p.projectId, region }, '10.13.0.0/16');
  customerVpc = world.createVpc({ projectId: c.projectId, region }, '192.168.0.0/16');
  platform = {
    provider: 'huawei',
    region,
    accountId: platformProject,
    endpoint: sim.endpoint(huaweiSimulation),
    credentials: { accessKeyId: p.ak, secretAccessKey: p.sk },
  };
  customer = new HwCustomer({ endpoint: sim.endpoint(huaweiSimulation), ak: c.ak, sk: c.sk, projectId: c.projectId });
});
after(() => sim.close());

const ref = (connectionId: string): ConnectionRef => ({
  connectionId,
  deploymentVpcId: platformVpc.id,
  customerAccountId: customerProject,
  customerVpcId: customerVpc.id,
  customerCidrs: ['192.168.0.0/16'],
});

const request = (vpcId = customerVpc.id) =>
  customer.createPeering(vpcId, { vpcId: platformVpc.id, projectId: platformProject });

test(
  'routes to typed CIDRs, read-then-write: retried adds ' + 'are done, a destination routed elsewhere is refused',
  async () => {
    const vpc = world.createVpc({ projectId: customerProject, region }, '192.169.0.0/16');
    const id = await request(vpc.id);
    await adapter.acceptor.accept(platform, ref(id));
    const route = { tableId: platformVpc.routeTableId, cidr: '192.169.0.0/16' };
    await adapter.routes.create(platform, id, [route]);
    await adapter.routes.create(platform, id, [route]);
    assert.deepEqual(await adapter.routes.observe(platform, id, [platformVpc.routeTableId]), [
      { ...route, state: 'active' },
    ]);
    const other = await request(world.createVpc({ projectId: customerProject, region }, '192.170.0.0/16').id);
    await adapter.acceptor.accept(platform, ref(other));
    await assert.rejects(
      adapter.routes.create(platform, other, [route]),
      (e: unknown) => e instanceof ProviderError && e.kind === 'permanent' && e.providerCode === routeTakenCode,
    );
    // the wire refuses a next hop that is not a peering of the table's VPC, with its VPC error body
    await assert.rejects(
      customer.addRoute(customerVpc.routeTableId, '10.13.0.0/16', id),
      (e: { code?: string }) => e.code === 'VPC.2805',
    );
    await adapter.routes.remove(platform, id, [route]);
    await adapter.connections.close(platform, ref(id));
    await adapter.connections.close(platform, ref(other));
  },
);

test(
  'v2.0 semantics: one live peering per VPC pair, reject, expiry, ' +
    'the accepter alone accepts, list paging with peerings_links',
  async () => {
    const vpc = world.createVpc({ projectId: customerProject, region }, '192.171.0.0/16');
    const id = await request(vpc.id);
    await assert.rejects(request(vpc.id), (e: { status?: number }) => e.status === 409);
    await assert.rejects(
      customer.createPeering(vpc.id, { vpcId: platformVpc.id, projectId: customerProject }),
      (e: { code?: string }) => e.code === 'VPC.0603',
    );
    world.reject({ projectId: platformProject, region }, id);
    assert.equal((await adapter.connections.observe(platform, ref(id)))?.phase, 'rejected');
    const late = await request(vpc.id);
    sim.clock.advance(7 * 24 * 3600_000);
    assert.equal((await adapter.connections.observe(platform, ref(late)))?.phase, 'expired');
    await assert.rejects(
      adapter.acceptor.accept(platform, ref(late)),
      (e: unknown) => e instanceof ProviderError && e.kind === 'conflict' && e.providerCode === 'VPC.0606',
    );

    for (let i = 0; i < 5; i++)
      await request(world.createVpc({ projectId: customerProject, region }, `172.${16 + i}.0.0/16`).id);
    const before = sim.faults.count('huawei', 'ListVpcPeerings');
    let n = 0;
    // a page size of 1000 fits all of them in one call
    for await (const page of adapter.connections.list(platform)) n += page.length;
    assert.equal(sim.faults.count('huawei', 'ListVpcPeerings') - before, 1);
    assert.equal(
      n,
      world.list({ projectId: platformProject, region }).filter((p) => p.accept.tenantId === platformProject).length,
    );
    const res = await fetch(`${sim.endpoint(huaweiSimulation)}/v2.0/vpc/peerings?limit=2`, {
      headers: {
        authorization:
          `SDK-HMAC-SHA256 Access=${platform.credentials.accessKeyId}, SignedHeaders=host;x-sdk-date, ` +
          `Signature=${'0'.repeat(64)}`,
        'x-sdk-date': '20261123T000000Z',
        'x-project-id': platformProject,
      },
    });
    const body = (await res.json()) as {
      peerings: Array<{ id: string }>;
      peerings_links: Array<{ href: string; rel: string }>;
    };
    assert.equal(body.peerings.length, 2);
    assert.equal(body.peerings_links[0]?.rel, 'next');
    assert.match(body.peerings_links[0]?.href ?? '', new RegExp(`marker=${body.peerings[1]?.id}`));
    assert.ok(res.headers.get('x-request-id'), 'a request id header');
  },
);

test('errors: the VPC body the SDK drops is read from status and body; gateway errors too', async () => {
  sim.faults.add({ kind: 'throttle', provider: 'huawei', times: 1 }); // the SDK does not retry
  await assert.rejects(
    adapter.acceptor.accept(platform, ref('00000000-0000-4000-8000-000000000000')),
    (e: unknown) => e instanceof ProviderError && e.kind === 'transient' && e.providerCode === 'APIGW.0308',
  );
  await assert.rejects(
    adapter.acceptor.accept(platform, ref('00000000-0000-4000-8000-000000000000')),
    (e: unknown) =>
      e instanceof ProviderError &&
      e.kind === 'permanent' &&
      e.providerCode === 'VPC.0601' &&
      /does not exist/.test(e.message),
  );
  await assert.rejects(
    adapter.routes.observe(platform, 'x', ['00000000-0000-4000-8000-00000000beef']),
    (e: unknown) => e instanceof ProviderError && e.providerCode === 'VPC.2801',
  );
  await assert.rejects(
    adapter.connections.observe({ ...platform, accountId: customerProject }, ref('x')),
    (e: unknown) => e instanceof ProviderError && e.kind === 'permanent' && e.providerCode === 'APIGW.0301',
  );
  assert.equal(
    classifyHuaweiResponse('X', { httpStatusCode: 409, NeutronError: { type: 'Conflict', message: 'm' } }).kind,
    'conflict',
  );
  assert.equal(
    classifyHuaweiResponse('X', { httpStatusCode: 503, error_code: 'APIGW.0203', error_msg: 'm' }).kind,
    'transient',
  );
  assert.equal(
    classifyHuaweiResponse('X', { httpStatusCode: 400, code: 'VPC.0002', message: 'bad' }).providerCode,
    'VPC.0002',
  );
});
