/**
 * The Azure flow end to end over HTTP, against the simulated ARM through the official client: the customer delegates
 * (service principal + a role on its VNet) and enters its tenant and VNet; the platform checks the delegation and the
 * address space, creates both halves, running when both are Connected and FullyInSync. Refusals at the submit (no
 * role, no service principal, wrong VNet, reserved, overlapping); the customer deleting its half is drift seen in one
 * sweep; an address-space change is re-checked and synced; throttling is retried; delete removes both halves.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  azureSimulation,
  AZURE_CUSTOMER_SUBSCRIPTION,
  AZURE_CUSTOMER_TENANT,
  AZURE_PLATFORM_TENANT,
  type AzureFixture,
} from '../../src/clouds/azure/simulation.js';
import { halfNameFor } from '../../src/clouds/azure/ids.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let z: AzureFixture;
before(async () => {
  h = await startHarness();
  z = await h.fixture(azureSimulation);
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
  details: Record<string, string>;
}

const drive = (id: string, until: (p: P) => boolean) => h.drive<P>(id, until, 1_000, 20_000);
const submit = (customerVpcId: string, deploymentId = z.deploymentId, customerAccountId = AZURE_CUSTOMER_TENANT) =>
  h.api<P & Refused>('POST', '/v1/peerings', { deploymentId, customerAccountId, customerVpcId });
/** the halves on a VNet, as the cloud holds them */
const halves = (vnet: string) => z.world.vnets.get(vnet)?.peerings ?? [];
const remove = async (id: string) => {
  assert.equal((await h.api('DELETE', `/v1/peerings/${id}`)).status, 202, 'delete accepted');
  await drive(id, (p) => p.status === 'deleted');
};

test('the flow: facts, delegation, a pasted resource ID, both halves, running when Connected and in sync', async () => {
  const facts = await h.api<{
    facts: Array<{ key: string; value: string }>;
    form: Array<{ key: string }>;
    guidance: { commands: string; terraform: string };
  }>('GET', `/v1/deployments/${z.deploymentId}/peering-facts`);
  assert.deepEqual(
    Object.fromEntries(facts.body.facts.map((f) => [f.key, f.value])),
    {
      platformTenantId: AZURE_PLATFORM_TENANT,
      platformAppId: z.platformApp.clientId,
      vpcId: z.deploymentVnet,
      vpcCidr: '10.16.0.0/16',
      region: 'eastus',
    },
    'tenant, application, VNet resource ID, address space and region',
  );
  assert.ok(!JSON.stringify(facts.body).includes(z.platformApp.secret), 'never the secret');
  assert.deepEqual(
    facts.body.form.map((f) => f.key),
    ['customerAccountId', 'customerVpcId'],
    'tenant ID and VNet resource ID',
  );
  assert.ok(facts.body.guidance.commands.includes(`az ad sp create --id ${z.platformApp.clientId}`), 'sp create');
  assert.match(facts.body.guidance.commands, /az role assignment create --assignee/);
  assert.match(facts.body.guidance.commands, /virtualNetworks\/peer\/action/);
  for (const r of ['azuread_service_principal', 'azurerm_role_definition', 'azurerm_role_assignment'])
    assert.ok(facts.body.guidance.terraform.includes(`resource "${r}"`), r);

  const prod = z.vnet('Prod-VNet', ['172.31.0.0/16']);
  z.delegate(prod);
  // pasted as the portal shows it: mixed case, the management host in front
  const pasted =
    `https://management.azure.com/subscriptions/${AZURE_CUSTOMER_SUBSCRIPTION.toUpperCase()}/resourceGroups/` +
    'ACME-Network/providers/Microsoft.Network/virtualNetworks/Prod-VNet';
  const created = await submit(pasted, z.deploymentId, ` ${AZURE_CUSTOMER_TENANT.toUpperCase()} `);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.customerVpcId, prod, 'the resource ID, canonical');
  assert.equal(created.body.customerAccountId, AZURE_CUSTOMER_TENANT);
  assert.equal(created.body.providerPeeringId, halfNameFor(prod), 'the platform names its half after the VNet');
  assert.deepEqual(created.body.customerCidrs, ['172.31.0.0/16'], 'the address space, read at the submit');

  const running = await drive(created.body.id, (p) => p.status === 'running');
  assert.equal(running.reason, null);
  const ours = halves(z.deploymentVnet).find((p) => p.name === created.body.providerPeeringId);
  const theirs = halves(prod).find((p) => p.name === halfNameFor(z.deploymentVnet));
  assert.equal(ours?.peeringState, 'Connected', 'the platform’s half');
  assert.equal(theirs?.peeringState, 'Connected', 'the customer’s half, created by the platform');
  assert.deepEqual(
    (await z.customer.halves(prod)).map((x) => [x.state, x.sync]),
    [['Connected', 'FullyInSync']],
    'as the customer sees it',
  );
  const writes = h.sim.faults.calls.filter((c) => c.action === 'virtualNetworkPeerings.createOrUpdate');
  assert.equal(writes.length, 2, 'two halves, one PUT each');
  const detail = await h.api<{ customerSide: { routeNeeded: boolean; guidance: { commands: string } } }>(
    'GET',
    `/v1/peerings/${created.body.id}`,
  );
  assert.equal(detail.body.customerSide.routeNeeded, false, 'routes come with the peering');
  assert.ok(detail.body.customerSide.guidance.commands.includes('--resource-group acme-network --vnet-name prod-vnet'));

  await remove(created.body.id);
  assert.deepEqual(halves(z.deploymentVnet), [], 'the platform’s half deleted');
  assert.deepEqual(halves(prod), [], 'the customer’s half deleted');
});

test('the delegation first: no service principal, no role — refused with the command, nothing made', async () => {
  const vnet = z.vnet('undelegated', ['172.20.0.0/16']);
  const puts = h.sim.faults.count('azure', 'virtualNetworkPeerings.createOrUpdate');
  // a fresh tenant has no service principal for the platform's application
  z.world.createTenant('0a0b0c0d-1111-4222-8333-444455556666');
  const noSp = await submit(vnet, z.deploymentId, '0a0b0c0d-1111-4222-8333-444455556666');
  assert.equal(noSp.status, 422, JSON.stringify(noSp.body));
  assert.equal(noSp.body.code, 'DELEGATION_MISSING');
  assert.match(noSp.body.message, /no service principal/);
  assert.ok(noSp.body.message.includes(`az ad sp create --id ${z.platformApp.clientId}`), noSp.body.message);

  // the service principal exists (another VNet's delegation) but holds no role on this one
  z.delegate(z.vnet('delegated-elsewhere', ['172.21.0.0/16']));
  const noRole = await submit(vnet);
  assert.equal(noRole.status, 422);
  assert.equal(noRole.body.code, 'DELEGATION_MISSING');
  assert.ok(
    noRole.body.message.includes(
      `az role assignment create --assignee ${z.platformApp.clientId} --role "Network Contributor" --scope ${vnet}`,
    ),
    noRole.body.message,
  );
  assert.match(noRole.body.message, /virtualNetworks\/peer\/action/, 'the missing actions named');
  const zh = await h.api<Refused>(
    'POST',
    '/v1/peerings',
    { deploymentId: z.deploymentId, customerAccountId: AZURE_CUSTOMER_TENANT, customerVpcId: vnet },
    { lang: 'zh-CN' },
  );
  assert.match(zh.body.message, /无权对等互连/);

  // a role that reads but cannot peer is named just as precisely (past the memory of the refusal just given)
  h.sim.clock.advance(11_000);
  z.world.assignRole({ tenantId: AZURE_CUSTOMER_TENANT, appId: z.platformApp.clientId, scope: vnet, role: 'Reader' });
  const reader = await submit(vnet);
  assert.equal(reader.body.code, 'DELEGATION_MISSING');
  assert.ok(!reader.body.message.includes('virtualNetworks/read,'), 'read is granted');
  assert.match(reader.body.message, /virtualNetworkPeerings\/write/);
  assert.equal(h.sim.faults.count('azure', 'virtualNetworkPeerings.createOrUpdate'), puts, 'no half was created');

  // the custom role from the guidance is enough
  z.world.defineRole('Peerlink VNet peering', [
    'Microsoft.Network/virtualNetworks/read',
    'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/read',
    'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write',
    'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/delete',
    'Microsoft.Network/virtualNetworks/peer/action',
  ]);
  z.delegate(vnet, 'Peerlink VNet peering');
  h.sim.clock.advance(11_000);
  const ok = await submit(vnet);
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  await drive(ok.body.id, (p) => p.status === 'running');
  await remove(ok.body.id);
});

test('refusals at the submit: a VNet that does not exist, another region, reserved and overlapping space', async () => {
  const delegateGroup = () =>
    z.world.assignRole({
      tenantId: AZURE_CUSTOMER_TENANT,
      appId: z.platformApp.clientId,
      scope: `/subscriptions/${AZURE_CUSTOMER_SUBSCRIPTION}/resourceGroups/acme-network`,
      role: 'Network Contributor',
    });
  delegateGroup();
  const missing = await submit(`${AZURE_CUSTOMER_SUBSCRIPTION}/acme-network/no-such-vnet`);
  assert.equal(missing.status, 422, JSON.stringify(missing.body));
  assert.equal(missing.body.code, 'CUSTOMER_NETWORK_NOT_FOUND');
  assert.match(missing.body.message, /az network vnet show/);

  const wrongTenant = await submit(z.vnet('other-tenant', ['172.22.0.0/16']), z.deploymentId, AZURE_PLATFORM_TENANT);
  assert.equal(wrongTenant.body.code, 'CUSTOMER_NETWORK_NOT_FOUND', 'a VNet of another tenant than the one entered');

  const west = z.vnet('west', ['172.23.0.0/16'], 'westeurope');
  assert.equal((await submit(west)).body.code, 'REGION_MISMATCH');
  const reserved = z.vnet('reserved', ['10.20.0.0/16']);
  assert.equal((await submit(reserved)).body.code, 'CIDR_RESERVED');
  const bad = await submit('not-a-vnet');
  assert.equal(bad.body.code, 'ID_MALFORMED');

  // a sibling peering holds 172.24/16; a VNet overlapping it is refused before anything is created
  const first = z.vnet('first', ['172.24.0.0/16']);
  const a = await submit(first);
  await drive(a.body.id, (p) => p.status === 'running');
  const clash = await submit(z.vnet('clash', ['172.24.128.0/17']));
  assert.equal(clash.body.code, 'CIDR_OVERLAPS_PEERING');
  // the other peering named by its connection id, never Peerlink's own (kept in details for a link)
  assert.ok(clash.body.message.includes(a.body.providerPeeringId), clash.body.message);
  assert.doesNotMatch(clash.body.message, /pr_/);
  // the same VNet toward the second deployment: its own halves, named after the other deployment
  const b = await submit(first, z.secondDeploymentId);
  assert.equal(b.status, 201, JSON.stringify(b.body));
  await drive(b.body.id, (p) => p.status === 'running');
  assert.equal(halves(first).length, 2, 'one half per deployment VNet on the customer’s VNet');
  for (const id of [a.body.id, b.body.id]) await remove(id);
});

test('drift: the customer deletes its half; one sweep (one listAll) fails it; retry makes both again', async () => {
  const one = z.vnet('drift-one', ['172.25.0.0/16']);
  const two = z.vnet('drift-two', ['172.26.0.0/16']);
  z.delegate(one);
  z.delegate(two);
  const p1 = await submit(one);
  const p2 = await submit(two, z.secondDeploymentId);
  for (const p of [p1, p2]) await drive(p.body.id, (x) => x.status === 'running');

  await z.customer.deleteHalf(one, halfNameFor(z.deploymentVnet));
  assert.equal(
    halves(z.deploymentVnet).find((p) => p.name === p1.body.providerPeeringId)?.peeringState,
    'Disconnected',
  );
  const lists = h.sim.faults.count('azure', 'virtualNetworks.listAll');
  const gets = h.sim.faults.count('azure', 'virtualNetworkPeerings.get');
  await h.peerlink.reconciler.sweep();
  assert.equal(h.sim.faults.count('azure', 'virtualNetworks.listAll') - lists, 1, 'one list reads both VNets');
  assert.ok(h.sim.faults.count('azure', 'virtualNetworkPeerings.get') - gets <= 3, 'no call per running peering');
  const failed = (await h.api<P>('GET', `/v1/peerings/${p1.body.id}`)).body;
  assert.equal(failed.status, 'failed', 'shown within the one sweep');
  assert.equal(failed.reason?.code, 'PEERING_DELETED_BY_CUSTOMER');
  assert.match(failed.reason.message, /Disconnected/);
  await h.waitFor<P>(
    `/v1/peerings/${p1.body.id}`,
    () => !halves(z.deploymentVnet).some((p) => p.name === p1.body.providerPeeringId),
    10_000,
  );
  assert.equal((await h.api<P>('GET', `/v1/peerings/${p2.body.id}`)).body.status, 'running', 'the other is untouched');

  const retried = await h.api<P>('POST', `/v1/peerings/${p1.body.id}/retry`);
  assert.equal(retried.status, 202, JSON.stringify(retried.body));
  await drive(p1.body.id, (x) => x.status === 'running');
  assert.equal(halves(one)[0]?.peeringState, 'Connected', 'both halves made again');
  for (const p of [p1, p2]) await remove(p.body.id);
});

test('address space: a change is re-checked, synced when it passes, shown when refused', async () => {
  const vnet = z.vnet('growing', ['172.27.0.0/16']);
  z.delegate(vnet);
  const p = await submit(vnet);
  await drive(p.body.id, (x) => x.status === 'running');

  await z.customer.setAddressSpace(vnet, ['172.27.0.0/16', '172.28.0.0/16']);
  assert.deepEqual(
    (await z.customer.halves(vnet)).map((x) => x.sync),
    ['RemoteNotInSync'],
    'the customer’s half waits for the platform’s to sync',
  );
  await h.peerlink.reconciler.sweep();
  const grown = await drive(p.body.id, (x) => x.customerCidrs.length === 2);
  assert.equal(grown.status, 'running');
  assert.deepEqual(grown.customerCidrs, ['172.27.0.0/16', '172.28.0.0/16']);
  assert.deepEqual(
    (await z.customer.halves(vnet)).map((x) => x.sync),
    ['FullyInSync'],
    'synced',
  );
  const events = await h.api<{ items: Array<{ note: string }> }>('GET', `/v1/peerings/${p.body.id}/events`);
  assert.ok(
    events.body.items.some((e) => /network changed/.test(e.note)),
    'the change is in the history',
  );

  // a range the rules refuse: not synced, the refusal shown on the running peering
  await z.customer.setAddressSpace(vnet, ['172.27.0.0/16', '172.28.0.0/16', '10.30.0.0/16']);
  await h.peerlink.reconciler.sweep();
  const refused = await h.waitFor<P>(`/v1/peerings/${p.body.id}`, (x) => x.reason?.code === 'CIDR_RESERVED', 10_000);
  assert.equal(refused.status, 'running', 'traffic to the synced ranges still flows');
  assert.deepEqual(refused.customerCidrs, ['172.27.0.0/16', '172.28.0.0/16']);
  assert.deepEqual(
    (await z.customer.halves(vnet)).map((x) => x.sync),
    ['RemoteNotInSync'],
    'not synced',
  );
  await remove(p.body.id);
});

test('a throttling storm (429 with Retry-After) is retried; one half each however many tries', async () => {
  const vnet = z.vnet('storm', ['172.29.0.0/16']);
  z.delegate(vnet);
  const created = await submit(vnet);
  assert.equal(created.status, 201);
  h.sim.faults.add({ kind: 'throttle', provider: 'azure', action: 'virtualNetworkPeerings.createOrUpdate', times: 4 });
  await drive(created.body.id, (p) => p.status === 'running');
  h.sim.faults.clear();
  const puts = h.sim.faults.calls.filter((c) => c.action === 'virtualNetworkPeerings.createOrUpdate');
  assert.ok(puts.length >= 6, `four throttled, then both halves (${puts.length})`);
  assert.equal(halves(z.deploymentVnet).filter((p) => p.remoteId === vnet).length, 1, 'one platform half');
  assert.equal(halves(vnet).length, 1, 'one customer half');
  await remove(created.body.id);
});
