/**
 * The Google Cloud flow (EMQX Platform's "GCP VPC Peering Connection") end to end over HTTP, against the simulated
 * Compute API through the official client: the customer names its project and network, the platform adds its half
 * (INACTIVE), the customer adds the matching half, ACTIVE → running with the imported subnet ranges checked; a refused
 * CIDR removes the platform's half; the customer removing its half is drift, seen in one sweep; delete.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  gcpSimulation,
  GCP_CUSTOMER_PROJECT,
  GCP_PLATFORM_PROJECT,
  type GcpFixture,
} from '../../src/clouds/gcp/simulation.js';
import { peeringNameFor } from '../../src/clouds/gcp/ids.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let g: GcpFixture;
before(async () => {
  h = await startHarness();
  g = await h.fixture(gcpSimulation);
});
after(() => h.close());

interface P {
  id: string;
  status: string;
  providerPeeringId: string;
  customerAccountId: string;
  customerVpcId: string;
  customerCidrs: string[];
  reason: { code: string; message: string } | null;
}
interface Refused {
  code: string;
  message: string;
}

const drive = (id: string, until: (p: P) => boolean) => h.drive<P>(id, until, 1_000, 15_000);
const settle = (id: string, until: (p: P) => boolean) => h.waitFor<P>(`/v1/peerings/${id}`, until, 10_000);
const submit = (customerVpcId: string, deploymentId = g.deploymentId, customerAccountId = GCP_CUSTOMER_PROJECT) =>
  h.api<P & Refused>('POST', '/v1/peerings', { deploymentId, customerAccountId, customerVpcId });
/** the platform's half on a deployment network, as the cloud holds it */
const half = (name: string, network = g.deploymentNetwork) =>
  g.world.networks
    .get(`projects/${GCP_PLATFORM_PROJECT}/global/networks/${network}`)
    ?.peerings.find((p) => p.name === name);
const peer = (network = g.deploymentNetwork) => ({ project: GCP_PLATFORM_PROJECT, network });

test('the flow: facts, a network URI, awaiting-customer with the exact half to create, running, delete', async () => {
  const facts = await h.api<{
    facts: Array<{ key: string; value: string }>;
    form: Array<{ key: string }>;
    guidance: { commands: string; terraform: string };
  }>('GET', `/v1/deployments/${g.deploymentId}/peering-facts`);
  assert.deepEqual(
    Object.fromEntries(facts.body.facts.map((f) => [f.key, f.value])),
    {
      platformAccountId: GCP_PLATFORM_PROJECT,
      vpcId: g.deploymentNetwork,
      vpcCidr: '10.16.0.0/16',
      region: 'us-central1',
    },
    'project ID, network name, CIDR and region, with copy buttons',
  );
  assert.deepEqual(
    facts.body.form.map((f) => f.key),
    ['customerAccountId', 'customerVpcId'],
    'the customer enters its project ID and network name',
  );
  assert.match(facts.body.guidance.commands, /gcloud compute networks peerings create/);
  assert.match(
    facts.body.guidance.commands,
    /gcloud compute firewall-rules create .*\n.*\n.*--source-ranges=10\.16\.0\.0\/16/,
  );
  assert.match(facts.body.guidance.terraform, /resource "google_compute_network_peering"/);
  assert.match(facts.body.guidance.terraform, /resource "google_compute_firewall"/);

  const prod = g.network('prod', '172.31.0.0/16');
  const uri = `https://www.googleapis.com/compute/v1/projects/${GCP_CUSTOMER_PROJECT}/global/networks/${prod}`;
  const created = await submit(uri);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const name = peeringNameFor({ project: GCP_CUSTOMER_PROJECT, network: prod });
  assert.equal(created.body.providerPeeringId, name, 'the platform names its half after the customer network');
  assert.equal(created.body.customerVpcId, prod, 'the URI is normalised to the network name');

  const waiting = await settle(created.body.id, (p) => p.status === 'awaiting-customer');
  assert.equal(half(name)?.peer.network, prod, 'the platform added its half toward the customer network');
  assert.equal(waiting.reason?.code, 'PEERING_AWAITING_CUSTOMER');
  assert.ok(waiting.reason.message.includes('“In another project”'), waiting.reason.message);
  assert.ok(
    waiting.reason.message.includes(
      `gcloud compute networks peerings create ${name} --project=${GCP_CUSTOMER_PROJECT} --network=${prod} ` +
        `--peer-project=${GCP_PLATFORM_PROJECT} --peer-network=${g.deploymentNetwork}`,
    ),
    waiting.reason.message,
  );
  const detail = await h.api<{ customerSide: { routeNeeded: boolean; guidance: { commands: string } } }>(
    'GET',
    `/v1/peerings/${created.body.id}`,
  );
  assert.equal(detail.body.customerSide.routeNeeded, false, 'the peering carries the routes');
  assert.match(
    detail.body.customerSide.guidance.commands,
    new RegExp(`--project=${GCP_CUSTOMER_PROJECT} --network=${prod}`),
  );

  await g.customer.addPeering(prod, name, peer());
  const running = await drive(created.body.id, (p) => p.status === 'running');
  assert.equal(running.reason, null);
  assert.deepEqual(running.customerCidrs, ['172.31.0.0/16'], 'the subnet ranges the peering imports');
  assert.deepEqual(
    (await g.customer.peerings(prod)).map((p) => p.state),
    ['ACTIVE'],
    'both halves match',
  );

  assert.equal((await h.api('DELETE', `/v1/peerings/${created.body.id}`)).status, 202);
  await drive(created.body.id, (p) => p.status === 'deleted');
  assert.equal(half(name), undefined, 'removePeering took the platform’s half away');
  assert.deepEqual(
    (await g.customer.peerings(prod)).map((p) => p.state),
    ['INACTIVE'],
    'the customer’s half is left waiting',
  );
  await g.customer.removePeering(prod, name);
});

test('refusals: a URI of another project; a reserved range or a sibling overlap removes the half', async () => {
  const net = g.network('mismatch', '172.20.0.0/16');
  const wrong = await submit(`projects/some-other-project/global/networks/${net}`);
  assert.equal(wrong.status, 422);
  assert.equal(wrong.body.code, 'ID_MALFORMED');

  const reserved = g.network('reserved', '10.20.0.0/16');
  const r = await submit(reserved);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await settle(r.body.id, (p) => p.status === 'awaiting-customer');
  await g.customer.addPeering(reserved, r.body.providerPeeringId, peer());
  const refused = await drive(r.body.id, (p) => p.status === 'failed');
  assert.equal(refused.reason?.code, 'CIDR_RESERVED', 'the imported subnet range is checked against the rules');
  await settle(r.body.id, () => half(r.body.providerPeeringId) === undefined);
  assert.equal(half(r.body.providerPeeringId), undefined, 'Peerlink removed its half');

  // a running peering (172.21/16), then a network overlapping it on the same deployment
  const first = g.network('first', '172.21.0.0/16');
  const a = await submit(first);
  await settle(a.body.id, (p) => p.status === 'awaiting-customer');
  await g.customer.addPeering(first, a.body.providerPeeringId, peer());
  await drive(a.body.id, (p) => p.status === 'running');
  const clash = g.network('clash', '172.21.128.0/17');
  const b = await submit(clash);
  await settle(b.body.id, (p) => p.status === 'awaiting-customer');
  await g.customer.addPeering(clash, b.body.providerPeeringId, peer());
  const overlap = await drive(b.body.id, (p) => p.status === 'failed');
  assert.equal(overlap.reason?.code, 'CIDR_OVERLAPS_PEERING');
  // the other peering named by its connection id, never Peerlink's own
  assert.ok(overlap.reason.message.includes(a.body.providerPeeringId), overlap.reason.message);
  assert.doesNotMatch(overlap.reason.message, /pr_/);
  await settle(b.body.id, () => half(b.body.providerPeeringId) === undefined);

  // overlapping the deployment itself: Compute refuses the customer's half, Peerlink keeps waiting for a valid one
  const inside = g.network('inside', '10.16.4.0/24', '172.22.0.0/16');
  const c = await submit(inside);
  await settle(c.body.id, (p) => p.status === 'awaiting-customer');
  await assert.rejects(g.customer.addPeering(inside, c.body.providerPeeringId, peer()), /overlaps/);
  assert.equal((await h.api<P>('GET', `/v1/peerings/${c.body.id}`)).body.status, 'awaiting-customer');
  assert.equal((await h.api('DELETE', `/v1/peerings/${c.body.id}`)).status, 202);
  await drive(c.body.id, (p) => p.status === 'deleted');
  assert.equal(half(c.body.providerPeeringId), undefined, 'a cancel removes the waiting half');

  // two projects may both name a network "first": a different customer network
  g.world.createServiceAccount('acme-staging');
  g.world.createNetwork('acme-staging', 'first', [{ region: 'us-central1', cidr: '172.23.0.0/16' }]);
  const same = await submit('first', g.deploymentId, 'acme-staging');
  assert.equal(same.status, 201, JSON.stringify(same.body));
  assert.notEqual(same.body.providerPeeringId, a.body.providerPeeringId);
  for (const id of [same.body.id, a.body.id]) {
    assert.equal((await h.api('DELETE', `/v1/peerings/${id}`)).status, 202);
    await drive(id, (p) => p.status === 'deleted');
  }
});

test('drift: the customer removes its half; one sweep (one networks.list for both networks) fails it', async () => {
  const one = g.network('drift-one', '172.24.0.0/16');
  const two = g.network('drift-two', '172.25.0.0/16');
  const p1 = await submit(one);
  const p2 = await submit(two, g.secondDeploymentId);
  for (const [p, net, dep] of [
    [p1, one, g.deploymentNetwork],
    [p2, two, g.secondNetwork],
  ] as const) {
    await settle(p.body.id, (x) => x.status === 'awaiting-customer');
    await g.customer.addPeering(net, p.body.providerPeeringId, peer(dep));
    await drive(p.body.id, (x) => x.status === 'running');
  }

  await g.customer.removePeering(one, p1.body.providerPeeringId);
  const lists = h.sim.faults.count('gcp', 'networks.list');
  const gets = h.sim.faults.count('gcp', 'networks.get');
  await h.peerlink.reconciler.sweep();
  assert.equal(h.sim.faults.count('gcp', 'networks.list') - lists, 1, 'one list call reads both deployment networks');
  assert.ok(
    h.sim.faults.count('gcp', 'networks.get') - gets <= 1,
    'no call per peering (at most the clean-up’s look at the drifted one)',
  );
  const failed = (await h.api<P>('GET', `/v1/peerings/${p1.body.id}`)).body;
  assert.equal(failed.status, 'failed', 'shown within the one sweep');
  assert.equal(failed.reason?.code, 'PEERING_DELETED_BY_CUSTOMER');
  assert.match(failed.reason.message, /INACTIVE/);
  await settle(p1.body.id, () => half(p1.body.providerPeeringId) === undefined);
  assert.equal((await h.api<P>('GET', `/v1/peerings/${p2.body.id}`)).body.status, 'running', 'the other is untouched');

  // the customer restores its half and retries: the platform adds its half again
  await g.customer.addPeering(one, p1.body.providerPeeringId, peer());
  const retried = await h.api<P>('POST', `/v1/peerings/${p1.body.id}/retry`);
  assert.equal(retried.status, 202, JSON.stringify(retried.body));
  await drive(p1.body.id, (x) => x.status === 'running');
  for (const p of [p1, p2]) {
    assert.equal((await h.api('DELETE', `/v1/peerings/${p.body.id}`)).status, 202);
    await drive(p.body.id, (x) => x.status === 'deleted');
  }
});

test('throttling on addPeering is retried; one half however many tries', async () => {
  const net = g.network('storm', '172.26.0.0/16');
  h.sim.faults.add({ kind: 'throttle', provider: 'gcp', action: 'networks.addPeering', times: 3 });
  const created = await submit(net);
  assert.equal(created.status, 201);
  await drive(created.body.id, (p) => p.status === 'awaiting-customer');
  h.sim.faults.clear();
  assert.ok(
    h.sim.faults.calls.filter((c) => c.action === 'networks.addPeering' && c.target === g.deploymentNetwork).length >=
      4,
    'three throttled, then through',
  );
  const halves = g.world.networks
    .get(`projects/${GCP_PLATFORM_PROJECT}/global/networks/${g.deploymentNetwork}`)
    ?.peerings.filter((p) => p.peer.network === net);
  assert.equal(halves?.length, 1, 'one half');
  await g.customer.addPeering(net, created.body.providerPeeringId, peer());
  await drive(created.body.id, (p) => p.status === 'running');
  assert.equal((await h.api('DELETE', `/v1/peerings/${created.body.id}`)).status, 202);
  await drive(created.body.id, (p) => p.status === 'deleted');
});
