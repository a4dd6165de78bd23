/**
 * The Azure adapter's quirks against the ARM simulator, beyond the shared contract: resource IDs normalised and half
 * names, the precheck's delegation look, the auxiliary token a cross-tenant write needs, slow and refused operations,
 * listAll paging, a delegation withdrawn mid-way, and ARM's errors classified.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderError, type ConnectionRef, type PlatformTarget } from '../../src/clouds/provider.js';
import { azureAdapter } from '../../src/clouds/azure/adapter.js';
import { classifyAzureError } from '../../src/clouds/azure/errors.js';
import { azure } from '../../src/clouds/azure/index.js';
import { azureShapes, halfNameFor, normalizeVnetId } from '../../src/clouds/azure/ids.js';
import { armClient, credentialFor } from '../../src/clouds/azure/sdk.js';
import type { AzureWorld, App } from '../../src/clouds/azure/sim-world.js';
import {
  azureSimulation,
  AZURE_CUSTOMER_SUBSCRIPTION as CSUB,
  AZURE_CUSTOMER_TENANT as CT,
  AZURE_PLATFORM_SUBSCRIPTION as PSUB,
  AZURE_PLATFORM_TENANT as PT,
} from '../../src/clouds/azure/simulation.js';
import { startSimulator, type Simulator } from '../../src/clouds/sim/index.js';

let sim: Simulator;
let world: AzureWorld;
let target: PlatformTarget;
let app: App;
const adapter = azureAdapter();

before(async () => {
  sim = await startSimulator();
  world = sim.world(azureSimulation);
  const endpoint = sim.endpoint(azureSimulation);
  const setup = azureSimulation.contract({ world, endpoint, clock: sim.clock });
  target = setup.target;
  const found = world.apps.get(target.credentials.clientId);
  if (!found) throw new Error('no platform app');
  app = found;
});
after(() => sim.close());

let n = 0;
function pair(cidr = `172.20.${n}.0/24`) {
  n += 1;
  const dep = world.createVnet(
    { subscriptionId: PSUB, resourceGroup: 'peerlink-deployments', name: `dep-${n}` },
    'eastus',
    [`10.${30 + n}.0.0/16`],
  ).id;
  const vnet = world.createVnet({ subscriptionId: CSUB, resourceGroup: 'acme-network', name: `net-${n}` }, 'eastus', [
    cidr,
  ]).id;
  const ref: ConnectionRef = {
    connectionId: halfNameFor(vnet),
    deploymentVpcId: dep,
    customerAccountId: CT,
    customerVpcId: vnet,
    customerCidrs: [],
  };
  return { dep, vnet, ref };
}
const delegate = (vnet: string, role = 'Network Contributor') =>
  world.assignRole({ tenantId: CT, appId: app.clientId, scope: vnet, role });
const is = (kind: string, code?: string) => (e: unknown) =>
  e instanceof ProviderError && e.kind === kind && (!code || e.providerCode === code);

test('resource IDs in any form are one canonical ID; half names are ≤ 80, Azure’s characters, stable, distinct', () => {
  const canonical =
    `/subscriptions/${CSUB}/resourceGroups/acme-network` + '/providers/Microsoft.Network/virtualNetworks/prod';
  for (const raw of [
    `https://management.azure.com/subscriptions/${CSUB.toUpperCase()}/resourceGroups/ACME-Network/providers/` +
      'Microsoft.Network/virtualNetworks/Prod/',
    ` /subscriptions/${CSUB}/resourcegroups/acme-network/providers/microsoft.network/virtualnetworks/PROD `,
    `${CSUB}/acme-network/prod`,
  ]) {
    assert.ok(azureShapes.vnetId.pattern.test(raw), `the console accepts ${raw}`);
    assert.equal(normalizeVnetId(raw), canonical, raw);
  }
  assert.ok(!azureShapes.vnetId.pattern.test('prod'), 'a bare name is not enough');
  const long = `/subscriptions/${CSUB}/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/${'v'.repeat(64)}`;
  for (const id of [long, canonical]) {
    const name = halfNameFor(id);
    assert.ok(name.length <= 80 && /^[a-z0-9][-\w.]*\w$/i.test(name), `${name} is a valid peering name`);
    assert.equal(halfNameFor(id.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/')), name, 'case-blind');
  }
  assert.notEqual(halfNameFor(canonical), halfNameFor(canonical.replace('acme-network', 'other')));
  const id = azure.identify({ customerAccountId: CT, customerVpcId: canonical });
  assert.deepEqual(
    [id.customerAccountId, id.customerVpcId, id.providerPeeringId],
    [CT, canonical, halfNameFor(canonical)],
  );
});

test('precheck: no role, a partial role, a missing VNet, a VNet of another tenant, and the VNet found', async () => {
  const { vnet, ref } = pair('172.21.0.0/16');
  const denied = await adapter.requester.precheck(target, ref);
  assert.equal(denied.customerNetwork?.kind, 'denied');
  if (denied.customerNetwork?.kind === 'denied') {
    assert.equal(denied.customerNetwork.principal, app.clientId);
    assert.equal(denied.customerNetwork.scope, vnet);
    assert.match(denied.customerNetwork.missing, /peer\/action/);
  }
  delegate(vnet, 'Reader');
  const partial = await adapter.requester.precheck(target, ref);
  assert.ok(
    partial.customerNetwork?.kind === 'denied' && !partial.customerNetwork.missing.includes('virtualNetworks/read,'),
    'only what Reader lacks',
  );
  delegate(vnet);
  assert.deepEqual((await adapter.requester.precheck(target, ref)).customerNetwork, {
    kind: 'found',
    network: { accountId: CT, vpcId: vnet, region: 'eastus', cidrs: ['172.21.0.0/16'] },
  });
  world.assignRole({
    tenantId: CT,
    appId: app.clientId,
    scope: `/subscriptions/${CSUB}/resourceGroups/acme-network`,
    role: 'Network Contributor',
  });
  const missing = { ...ref, customerVpcId: normalizeVnetId(`${CSUB}/acme-network/nothing-here`) };
  assert.deepEqual((await adapter.requester.precheck(target, missing)).customerNetwork, { kind: 'not-found' });
  const otherTenant = { ...ref, customerAccountId: PT };
  assert.deepEqual((await adapter.requester.precheck(target, otherTenant)).customerNetwork, { kind: 'not-found' });
});

test('a cross-tenant write without the auxiliary token is refused by ARM; the adapter sends it', async () => {
  const { dep, vnet, ref } = pair();
  delegate(vnet);
  const client = armClient({
    endpoint: target.endpoint,
    subscriptionId: PSUB,
    credential: credentialFor({ tenantId: PT, clientId: app.clientId, clientSecret: app.secret }, PT, target.endpoint),
  });
  const d = world.vnets.get(dep);
  await assert.rejects(
    client.virtualNetworkPeerings.beginCreateOrUpdate(d?.resourceGroup ?? '', d?.name ?? '', ref.connectionId, {
      remoteVirtualNetwork: { id: vnet },
    }),
    (e: unknown) => classifyAzureError('x', e).providerCode === 'LinkedAuthorizationFailed',
  );
  await adapter.requester.request(target, ref);
  assert.equal((await adapter.connections.observe(target, ref))?.phase, 'active');
  await adapter.connections.close(target, ref);
  await adapter.connections.close(target, ref); // gone counts as done
  assert.equal(await adapter.connections.observe(target, ref), null);
});

test('operations: a slow one is the cloud being busy; a second write on the VNet meanwhile is a conflict', async () => {
  const { vnet, ref } = pair();
  delegate(vnet);
  const slow = azureAdapter({ requestTimeoutMs: 1_500 });
  world.options.operationMs = 60_000;
  try {
    await assert.rejects(slow.requester.request(target, ref), is('conflict', 'RUNNING'), 'still running');
    assert.equal((await slow.connections.observe(target, ref))?.phase, 'initiating');
    // the platform's half still provisioning: nothing else is written meanwhile
    await assert.rejects(slow.requester.request(target, ref), is('conflict', 'RUNNING'));
    assert.deepEqual(world.vnets.get(ref.customerVpcId)?.peerings, [], 'the customer’s half waits');
  } finally {
    world.options.operationMs = 200;
  }
  sim.clock.advance(60_000);
  assert.equal((await adapter.connections.observe(target, ref))?.phase, 'awaiting-acceptance', 'one half so far');
  await adapter.requester.request(target, ref);
  assert.equal((await adapter.connections.observe(target, ref))?.phase, 'active', 'completed');
  await adapter.connections.close(target, ref);
});

test('a delegation withdrawn between the halves: refused with who lacks which right, on what', async () => {
  const { vnet, ref } = pair();
  delegate(vnet);
  world.removeRoleAssignments(app.clientId, vnet);
  // and the group-wide grant an earlier test made
  world.removeRoleAssignments(app.clientId, `/subscriptions/${CSUB}/resourceGroups/acme-network`);
  const err = await adapter.requester.request(target, ref).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(err instanceof ProviderError && err.kind === 'permanent', `permanent: ${String(err)}`);
  assert.equal(azure.customerErrors[err.providerCode], 'DELEGATION_MISSING');
  assert.deepEqual(Object.keys(err.params).sort(), ['missing', 'principal', 'scope']);
  assert.equal(err.params.scope, vnet);
  await adapter.connections.close(target, ref); // the platform's half goes; the customer's was never made
});

test('listAll pages (50 a page) and errors classified', async () => {
  for (let i = 0; i < 60; i++)
    world.createVnet({ subscriptionId: PSUB, resourceGroup: 'many', name: `v-${i}` }, 'eastus', [`10.200.${i}.0/24`]);
  const before = sim.faults.count('azure', 'virtualNetworks.listAll');
  let pages = 0;
  for await (const page of adapter.connections.list(target)) pages += page.length >= 0 ? 1 : 0;
  assert.ok(pages >= 2, `every page read (${pages})`);
  assert.equal(sim.faults.count('azure', 'virtualNetworks.listAll') - before, pages);

  const rest = (statusCode: number, code: string) => Object.assign(new Error(code), { statusCode, code });
  assert.equal(classifyAzureError('x', rest(429, 'SubscriptionRequestsThrottled')).kind, 'transient');
  assert.equal(classifyAzureError('x', rest(503, 'ServiceUnavailable')).kind, 'transient');
  assert.equal(classifyAzureError('x', rest(409, 'AnotherOperationInProgress')).kind, 'conflict');
  assert.equal(classifyAzureError('x', rest(403, 'AuthorizationFailed')).kind, 'permanent');
  const token = Object.assign(new Error('AADSTS700016'), {
    name: 'AuthenticationError',
    statusCode: 400,
    errorResponse: { errorCodes: [700016] },
  });
  assert.equal(classifyAzureError('x', token).providerCode, 'AADSTS700016');
  const refused = Object.assign(new Error('connect'), { code: 'REQUEST_SEND_ERROR', cause: { code: 'ECONNREFUSED' } });
  assert.equal(classifyAzureError('x', refused).kind, 'transient');
});
