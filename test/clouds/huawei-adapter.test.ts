import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../src/clouds/sim/index.js';
import { huaweiAdapter } from '../../src/clouds/huawei/adapter.js';
import { HwCustomer } from '../../src/clouds/huawei/customer.js';
import { classifyHuaweiResponse, routeTakenCode } from '../../src/clouds/huawei/errors.js';
import type { HwWorld } from '../../src/clouds/huawei/sim-world.js';
import { huaweiSimulation } from '../../src/clouds/huawei/simulation.js';
import { applyMode } from '../../src/clouds/sim/contract.js';
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
    sim.clock.advance(5_000);
    const route = { tableId: platformVpc.routeTableId, cidr: '192.169.0.0/16' };
    await adapter.routes.create(platform, id, [route]);
    await adapter.routes.create(platform, id, [route]);
    assert.deepEqual(await adapter.routes.observe(platform, id, [platformVpc.routeTableId]), [
      { ...route, state: 'active' },
    ]);
    const other = await request(world.createVpc({ projectId: customerProject, region }, '192.170.0.0/16').id);
    await adapter.acceptor.accept(platform, ref(other));
    sim.clock.advance(5_000);
    await assert.rejects(
      adapter.routes.create(platform, other, [route]),
      (e: unknown) => e instanceof ProviderError && e.kind === 'permanent' && e.providerCode === routeTakenCode,
    );
    // the wire refuses a next hop that is not a peering of the table's VPC: a plain 400 (no code is documented)
    await assert.rejects(
      customer.addRoute(customerVpc.routeTableId, '10.13.0.0/16', id),
      (e: { status?: number; code?: string }) => e.status === 400 && e.code === undefined,
    );
    await adapter.routes.remove(platform, id, [route]);
    await adapter.connections.close(platform, ref(id));
    await adapter.connections.close(platform, ref(other));
    sim.clock.advance(5_000);
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
      (e: { status?: number }) => e.status === 400,
    );
    world.reject({ projectId: platformProject, region }, id);
    assert.equal((await adapter.connections.observe(platform, ref(id)))?.phase, 'rejected');
    const late = await request(vpc.id);
    sim.clock.advance(7 * 24 * 3600_000);
    assert.equal((await adapter.connections.observe(platform, ref(late)))?.phase, 'expired');
    await assert.rejects(
      adapter.acceptor.accept(platform, ref(late)),
      (e: unknown) => e instanceof ProviderError && e.kind === 'conflict',
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
  // an unknown peering is simply absent (404); accepting it is a conflict — it is not pending — and no PUT is made
  assert.equal(await adapter.connections.observe(platform, ref('00000000-0000-4000-8000-000000000000')), null);
  await assert.rejects(
    adapter.acceptor.accept(platform, ref('00000000-0000-4000-8000-000000000000')),
    (e: unknown) => e instanceof ProviderError && e.kind === 'conflict' && /gone/.test(e.message),
  );
  // H-6: no route-table code is documented: the plain status, read by the adapter
  await assert.rejects(
    adapter.routes.observe(platform, 'x', ['00000000-0000-4000-8000-00000000beef']),
    (e: unknown) => e instanceof ProviderError && e.kind === 'permanent' && e.providerCode === 'HTTP 404',
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

test('H-6: documented codes where the catalogue has one that fits, plain statuses elsewhere', async () => {
  const headers = {
    authorization:
      `SDK-HMAC-SHA256 Access=${platform.credentials.accessKeyId}, SignedHeaders=host;x-sdk-date, ` +
      `Signature=${'0'.repeat(64)}`,
    'x-sdk-date': '20261123T000000Z',
    'x-project-id': platformProject,
  };
  const get = async (path: string) => {
    const res = await fetch(`${sim.endpoint(huaweiSimulation)}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  // urlTenantId is not equal tokenTenantId: VPC.0007, 400 (the public catalogue)
  assert.deepEqual(await get(`/v1/${customerProject}/routetables/${platformVpc.routeTableId}`), {
    status: 400,
    body: { code: 'VPC.0007', message: 'urlTenantId is not equal tokenTenantId' },
  });
  // a peering that does not exist: 404 and a message, no code (none is documented for peerings)
  const missing = await get('/v2.0/vpc/peerings/00000000-0000-4000-8000-000000000000');
  assert.equal(missing.status, 404);
  assert.deepEqual(Object.keys(missing.body), ['message']);
  // a request from a VPC that does not exist: VPC.0003, 404
  await assert.rejects(
    customer.createPeering('00000000-0000-4000-8000-0000000000aa', {
      vpcId: platformVpc.id,
      projectId: platformProject,
    }),
    (e: { status?: number; code?: string }) => e.status === 404,
  );
  assert.throws(
    () =>
      world.createPeering(
        { projectId: customerProject, region },
        { name: 'x', requestVpcId: 'nope', acceptVpcId: platformVpc.id, acceptTenantId: platformProject },
      ),
    { code: 'VPC.0003' },
  );
});

for (const mode of ['strict', 'permissive'] as const) {
  test(`H-3, H-5 (${mode}): accepted once, polled until ACTIVE; a delete answers 409 while it applies`, async () => {
    const s = await startSimulator();
    try {
      const w = s.world(huaweiSimulation);
      applyMode(huaweiSimulation, w, mode);
      const p = w.createProject(region, platformProject);
      const c = w.createProject(region, customerProject);
      const pv = w.createVpc({ projectId: p.projectId, region }, '10.13.0.0/16');
      const cv = w.createVpc({ projectId: c.projectId, region }, '192.168.0.0/16');
      const t: PlatformTarget = {
        ...platform,
        endpoint: s.endpoint(huaweiSimulation),
        credentials: { accessKeyId: p.ak, secretAccessKey: p.sk },
      };
      const id = await new HwCustomer({
        endpoint: s.endpoint(huaweiSimulation),
        ak: c.ak,
        sk: c.sk,
        projectId: c.projectId,
      }).createPeering(cv.id, { vpcId: pv.id, projectId: p.projectId });
      const r: ConnectionRef = { ...ref(id), deploymentVpcId: pv.id, customerVpcId: cv.id };
      s.clock.freeze();
      await adapter.acceptor.accept(t, r);
      const after = await adapter.connections.observe(t, r);
      if (mode === 'strict') {
        assert.equal(after?.providerStatus, 'PENDING_ACCEPTANCE', 'the accept takes a while');
        // what a second accept meets: refused (a plain 400) — which Peerlink never sends
        assert.throws(() => w.accept({ projectId: p.projectId, region }, id), { status: 400 });
        s.clock.advance(5_000);
      }
      assert.equal((await adapter.connections.observe(t, r))?.phase, 'active');
      assert.equal(s.faults.count('huawei', 'AcceptVpcPeering'), 1, 'accepted once');
      await assert.rejects(
        adapter.acceptor.accept(t, r),
        (e: unknown) => e instanceof ProviderError && e.kind === 'conflict',
        'accepting an ACTIVE peering is a conflict, and is not sent',
      );
      assert.equal(s.faults.count('huawei', 'AcceptVpcPeering'), 1);
      const active = await adapter.connections.observe(t, r);
      assert.ok(active, 'observed');
      await adapter.connections.close(t, r);
      if (mode === 'strict') {
        assert.equal(
          (await adapter.connections.observe(t, r))?.phase,
          'active',
          'still shown while the delete applies',
        );
        await assert.rejects(
          adapter.connections.close(t, r),
          (e: unknown) => e instanceof ProviderError && e.kind === 'conflict' && e.providerCode === 'HTTP 409',
          '409: still active, retry',
        );
        s.clock.advance(5_000);
      }
      assert.equal(await adapter.connections.observe(t, r), null, '404: gone');
      await adapter.connections.close(t, r); // 404 on delete: done
    } finally {
      await s.close();
    }
  });
}
