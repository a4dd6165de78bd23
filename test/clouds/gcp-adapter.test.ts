/**
 * The Google Cloud adapter's quirks against the Compute simulator, beyond the shared contract: network URIs and the
 * derived peering name, long-running operations (still running, one at a time per network, ending in an error),
 * paging of networks.list and listPeeringRoutes, and Google's errors classified.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RefusalError } from '../../src/core/errors.js';
import { ProviderError, type ConnectionRef, type PlatformTarget } from '../../src/clouds/provider.js';
import { gcpAdapter } from '../../src/clouds/gcp/adapter.js';
import { GcpCustomer } from '../../src/clouds/gcp/customer.js';
import { classifyGcpError, codes } from '../../src/clouds/gcp/errors.js';
import { gcp } from '../../src/clouds/gcp/index.js';
import { gcpShapes, normalizeNetwork, normalizeProject, peeringNameFor } from '../../src/clouds/gcp/ids.js';
import type { GcpWorld, ServiceAccount } from '../../src/clouds/gcp/sim-world.js';
import { gcpSimulation } from '../../src/clouds/gcp/simulation.js';
import { startSimulator, type Simulator } from '../../src/clouds/sim/index.js';

let sim: Simulator;
let world: GcpWorld;
let platform: PlatformTarget;
let platformSa: ServiceAccount;
let customer: GcpCustomer;
const adapter = gcpAdapter();
const region = 'europe-west1';
const P = 'quirks-platform';
const C = 'quirks-customer';

before(async () => {
  sim = await startSimulator();
  world = sim.world(gcpSimulation);
  platformSa = world.createServiceAccount(P);
  const c = world.createServiceAccount(C);
  const endpoint = sim.endpoint(gcpSimulation);
  platform = { provider: 'gcp', region, accountId: P, endpoint, credentials: platformSa.key };
  customer = new GcpCustomer({ endpoint, key: c.key });
});
after(() => sim.close());

let n = 0;
/** A deployment network and a customer network (one subnet each); the ref the platform would hold. */
function pair(customerCidr = `172.${16 + (n % 16)}.${n}.0/24`) {
  n += 1;
  const dep = world.createNetwork(P, `dep-${n}`, [{ region, cidr: `10.${20 + n}.0.0/16` }]).name;
  const net = world.createNetwork(C, `net-${n}`, [{ region, cidr: customerCidr }]).name;
  const ref: ConnectionRef = {
    connectionId: peeringNameFor({ project: C, network: net }),
    deploymentVpcId: dep,
    customerAccountId: C,
    customerVpcId: net,
    customerCidrs: [],
  };
  return { dep, net, ref };
}
const is = (kind: string, code?: string) => (e: unknown) =>
  e instanceof ProviderError && e.kind === kind && (!code || e.providerCode === code);

test('network URIs in both forms are normalised; the peering name is RFC 1035, ≤ 63, stable and unambiguous', () => {
  for (const raw of [
    'https://www.googleapis.com/compute/v1/projects/acme-prod/global/networks/vpc-main',
    ' projects/acme-prod/global/networks/vpc-main ',
    'https://compute.googleapis.com/compute/v1/projects/acme-prod/global/networks/vpc-main/',
  ])
    assert.equal(normalizeNetwork(raw), 'projects/acme-prod/global/networks/vpc-main', raw);
  assert.equal(normalizeNetwork(' VPC-Main '), 'vpc-main', 'names are lowercase at Google');
  assert.equal(normalizeProject('projects/acme-prod/global/networks/vpc-main'), 'acme-prod');
  assert.ok(gcpShapes.network.pattern.test('projects/acme-prod/global/networks/vpc-main'), 'the relative form');
  assert.ok(!gcpShapes.network.pattern.test('vpc_main'), 'underscores are not RFC 1035');
  assert.ok(!gcpShapes.projectId.pattern.test('acme'), 'project IDs have 6 characters at least');

  const long = { project: 'a-very-long-project-id-30chars', network: `n${'x'.repeat(62)}` };
  for (const ref of [long, { project: 'abcdef-g', network: 'h' }, { project: 'abcdef', network: 'g-h' }]) {
    const name = peeringNameFor(ref);
    assert.ok(name.length <= 63 && /^[a-z](?:[-a-z0-9]*[a-z0-9])?$/.test(name), `${name} is a valid name`);
    assert.equal(peeringNameFor(ref), name, 'the same network always maps to the same name');
  }
  assert.notEqual(
    peeringNameFor({ project: 'abcdef-g', network: 'h' }),
    peeringNameFor({ project: 'abcdef', network: 'g-h' }),
    'a digest tells apart what the readable part cannot',
  );
  assert.throws(
    () => gcp.identify({ customerAccountId: 'acme-prod', customerVpcId: 'projects/other-proj/global/networks/x' }),
    (e: unknown) => e instanceof RefusalError && e.refusal.code === 'ID_MALFORMED',
    'a URI naming another project than the one entered',
  );
  assert.equal(
    gcp.identify({ customerAccountId: 'acme-prod', customerVpcId: 'projects/acme-prod/global/networks/x' })
      .customerVpcId,
    'x',
  );
});

test('operations: a slow one is the cloud being busy, a second on the same network waits its turn', async () => {
  const { ref } = pair();
  world.options.operationMs = 60_000;
  try {
    await assert.rejects(adapter.requester.request(platform, ref), is('conflict', 'RUNNING'), 'still running');
    assert.equal(await adapter.connections.observe(platform, ref), null, 'not in peerings[] while running');
    await assert.rejects(
      adapter.requester.request(platform, ref),
      is('conflict', codes.operationInProgress),
      'Compute refuses a second peering operation on the network: observe again, not a failure',
    );
  } finally {
    world.options.operationMs = 200;
  }
  sim.clock.advance(60_000);
  assert.equal((await adapter.connections.observe(platform, ref))?.phase, 'awaiting-customer');
  const before = sim.faults.count('gcp', 'networks.addPeering');
  await adapter.requester.request(platform, ref);
  assert.equal(sim.faults.count('gcp', 'networks.addPeering'), before, 'a half already there is done');

  // one adapter queues its own operations per network (as the Terraform provider's mutex does)
  const dep = ref.deploymentVpcId;
  const others = [1, 2, 3].map((i) =>
    world.createNetwork(C, `queued-${i}-${n}`, [{ region, cidr: `172.30.${i}.0/24` }]),
  );
  await Promise.all(
    others.map((o) =>
      adapter.requester.request(platform, {
        ...ref,
        connectionId: peeringNameFor({ project: C, network: o.name }),
        customerVpcId: o.name,
      }),
    ),
  );
  const net = world.networks.get(`projects/${P}/global/networks/${dep}`);
  assert.equal(net?.peerings.length, 4, 'all four halves added, none refused as in progress');
});

test('an operation ending in an error is a refusal; a name taken by another network is permanent', async () => {
  // the customer's half exists first, and its subnet overlaps the deployment's: the platform's half cannot activate
  const { dep, net, ref } = pair('10.99.0.0/16');
  world.addSubnet({ project: P, network: dep }, region, '10.99.128.0/17');
  await customer.addPeering(net, 'to-platform', { project: P, network: dep });
  await assert.rejects(adapter.requester.request(platform, ref), is('permanent', 'IP_RANGE_OVERLAP'));
  assert.equal(await adapter.connections.observe(platform, ref), null, 'nothing added');

  const other = pair();
  world.addPeeringNow(
    platformSa,
    { project: P, network: other.dep },
    {
      name: other.ref.connectionId,
      peer: { project: C, network: net },
    },
  );
  await assert.rejects(adapter.requester.request(platform, other.ref), is('permanent', codes.alreadyExists));
  await adapter.connections.close(platform, other.ref);
  await adapter.connections.close(platform, other.ref); // gone counts as done
});

test('paging: networks.list and listPeeringRoutes read every page (500 a page)', async () => {
  const pagedProject = 'paging-platform';
  const sa = world.createServiceAccount(pagedProject);
  const target = { ...platform, accountId: pagedProject, credentials: sa.key };
  for (let i = 0; i < 520; i++) world.createNetwork(pagedProject, `net-${i}`, []);
  const wide = world.createNetwork(C, 'wide', []);
  for (let i = 0; i < 600; i++)
    world.addSubnet({ project: C, network: 'wide' }, region, `172.31.${i >> 2}.${(i & 3) * 64}/26`);
  const ref: ConnectionRef = {
    connectionId: peeringNameFor({ project: C, network: wide.name }),
    deploymentVpcId: 'net-519',
    customerAccountId: C,
    customerVpcId: wide.name,
    customerCidrs: [],
  };
  await adapter.requester.request(target, ref);
  await customer.addPeering(wide.name, 'back', { project: pagedProject, network: 'net-519' });

  const lists = sim.faults.count('gcp', 'networks.list');
  const pages: number[] = [];
  for await (const page of adapter.connections.list(target)) pages.push(page.length);
  assert.equal(sim.faults.count('gcp', 'networks.list') - lists, 2, '520 networks: two pages');
  assert.deepEqual(pages, [0, 1], 'the one half is on the second page');

  const routes = sim.faults.count('gcp', 'networks.listPeeringRoutes');
  const seen = await adapter.connections.observe(target, ref);
  assert.equal(seen?.phase, 'active');
  assert.equal(seen.customer.cidrs.length, 600, 'every imported subnet range');
  assert.equal(sim.faults.count('gcp', 'networks.listPeeringRoutes') - routes, 2, 'two pages of routes');
});

test('errors: Google’s JSON body classified by its reason; keys, projects and deadlines', async () => {
  await assert.rejects(
    adapter.connections.observe(platform, { ...pair().ref, deploymentVpcId: 'no-such-network' }),
    is('permanent', 'notFound'),
  );
  await assert.rejects(
    adapter.connections.observe({ ...platform, accountId: C }, pair().ref),
    is('permanent', 'forbidden'),
    'another project’s networks are not the platform’s to read',
  );
  const stranger = world.createServiceAccount(P, 'stranger');
  world.accounts.delete(stranger.email); // a key the cloud does not know
  await assert.rejects(
    adapter.connections.observe({ ...platform, credentials: stranger.key }, pair().ref),
    is('permanent', 'authError'),
  );
  const slow = gcpAdapter({ requestTimeoutMs: 200 });
  sim.faults.add({ kind: 'latency', provider: 'gcp', action: 'networks.get', ms: 1_000, times: 1 });
  await assert.rejects(slow.connections.observe(platform, pair().ref), is('transient'), 'a deadline passed');
  sim.faults.clear();

  const body = (status: number, reason: string, message: string) =>
    Object.assign(new Error(JSON.stringify({ error: { code: status, message, errors: [{ reason }] } })), { status });
  assert.equal(classifyGcpError('x', body(429, 'rateLimitExceeded', 'Rate Limit Exceeded')).kind, 'transient');
  assert.equal(classifyGcpError('x', body(503, 'backendError', 'unavailable')).kind, 'transient');
  const busy = classifyGcpError(
    'x',
    body(400, 'badRequest', 'There is a peering operation in progress on the local or peer network. Try again later.'),
  );
  assert.deepEqual([busy.kind, busy.providerCode], ['conflict', codes.operationInProgress]);
  assert.equal(classifyGcpError('x', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })).kind, 'transient');
});
