/**
 * Azure in the simulator: the ARM world and its REST wire, `peerlink sim azure`, the demo's tenants and customer
 * actions, the sweep benchmark's driver, the end-to-end tests' fixture and the provider contract's set-up.
 */
import { defineSimulation, type FixtureContext } from '../sim/contract.js';
import { AzureCustomer } from './customer.js';
import { halfNameFor, vnetId } from './ids.js';
import { azureSimCommand } from './sim-cli.js';
import { AzureWorld, type App } from './sim-world.js';
import { AzureSimulator } from './simulator.js';

export const AZURE_REGION = 'eastus';
export const AZURE_PLATFORM_TENANT = '7a1d3f5e-2c4b-4e6a-9f8d-0b1c2d3e4f50';
export const AZURE_PLATFORM_SUBSCRIPTION = '5e0c9a7b-1d2f-4a3b-8c4d-6e7f8a9b0c1d';
export const AZURE_CUSTOMER_TENANT = '3c8e2a1f-9b7d-4c6e-a5f4-1d2b3c4e5f60';
export const AZURE_CUSTOMER_SUBSCRIPTION = '9d4b6f8a-3e2c-4b1d-9a8f-7c6e5d4b3a21';
const platformGroup = 'peerlink-deployments';
const customerGroup = 'acme-network';

/** The platform's tenant, subscription and multi-tenant application (Network Contributor on its subscription). */
function platformSide(world: AzureWorld) {
  world.createTenant(AZURE_PLATFORM_TENANT);
  world.createSubscription(AZURE_PLATFORM_TENANT, AZURE_PLATFORM_SUBSCRIPTION);
  const app = world.createApp(AZURE_PLATFORM_TENANT, 'peerlink-platform');
  world.assignRole({
    tenantId: AZURE_PLATFORM_TENANT,
    appId: app.clientId,
    scope: `/subscriptions/${AZURE_PLATFORM_SUBSCRIPTION}`,
    role: 'Network Contributor',
  });
  const credentials = { tenantId: AZURE_PLATFORM_TENANT, clientId: app.clientId, clientSecret: app.secret };
  return { app, credentials };
}

/** The customer's tenant, subscription and its own administrator (Owner on its subscription). */
function customerSide(world: AzureWorld, endpoint: string) {
  world.createTenant(AZURE_CUSTOMER_TENANT);
  world.createSubscription(AZURE_CUSTOMER_TENANT, AZURE_CUSTOMER_SUBSCRIPTION);
  const admin = world.createApp(AZURE_CUSTOMER_TENANT, 'acme-admin');
  world.assignRole({
    tenantId: AZURE_CUSTOMER_TENANT,
    appId: admin.clientId,
    scope: `/subscriptions/${AZURE_CUSTOMER_SUBSCRIPTION}`,
    role: 'Owner',
  });
  const app = { tenantId: AZURE_CUSTOMER_TENANT, clientId: admin.clientId, clientSecret: admin.secret };
  return { admin, customer: new AzureCustomer({ endpoint, app }) };
}

const deploymentVnet = (world: AzureWorld, name: string, cidr: string) =>
  world.createVnet({ subscriptionId: AZURE_PLATFORM_SUBSCRIPTION, resourceGroup: platformGroup, name }, AZURE_REGION, [
    cidr,
  ]).id;

const customerVnet = (world: AzureWorld, name: string, cidrs: string[], location = AZURE_REGION) =>
  world.createVnet({ subscriptionId: AZURE_CUSTOMER_SUBSCRIPTION, resourceGroup: customerGroup, name }, location, cidrs)
    .id;

/** The customer's delegation, as its administrator would make it: the service principal, and a role on the VNet. */
function delegate(world: AzureWorld, appId: string, vnet: string, role = 'Network Contributor'): void {
  world.createServicePrincipal(AZURE_CUSTOMER_TENANT, appId);
  world.assignRole({ tenantId: AZURE_CUSTOMER_TENANT, appId, scope: vnet, role });
}

/** What the end-to-end tests work with: two deployment VNets (10.16/16, 10.17/16) and the customer's tenant. */
export interface AzureFixture {
  world: AzureWorld;
  deploymentId: string;
  secondDeploymentId: string;
  deploymentVnet: string;
  secondVnet: string;
  platformApp: App;
  customer: AzureCustomer;
  /** a new VNet in the customer's subscription; its (canonical) resource ID */
  vnet(name: string, cidrs: string[], location?: string): string;
  /** the customer's service principal for the platform's application and a role on the VNet */
  delegate(vnet: string, role?: string): void;
}

async function fixture(ctx: FixtureContext<AzureWorld>): Promise<AzureFixture> {
  const world = ctx.world;
  const { app, credentials } = platformSide(world);
  const { customer } = customerSide(world, ctx.endpoint);
  const v1 = deploymentVnet(world, 'emqx-broker-1', '10.16.0.0/16');
  const v2 = deploymentVnet(world, 'emqx-broker-2', '10.17.0.0/16');
  const account = await ctx.admin<{ id: string }>('/v1/admin/platform-accounts', {
    provider: 'azure',
    region: AZURE_REGION,
    accountId: AZURE_PLATFORM_SUBSCRIPTION,
    endpoint: ctx.endpoint,
    credentials,
  });
  const common = {
    orgId: ctx.orgId,
    region: AZURE_REGION,
    platformAccountId: account.id,
    routeTableIds: [],
    plan: 'dedicated-professional',
  };
  const d1 = await ctx.admin<{ id: string }>('/v1/admin/deployments', {
    ...common,
    vpcId: v1,
    vpcCidr: '10.16.0.0/16',
    name: 'azure-broker',
  });
  const d2 = await ctx.admin<{ id: string }>('/v1/admin/deployments', {
    ...common,
    vpcId: v2,
    vpcCidr: '10.17.0.0/16',
    name: 'azure-broker-2',
  });
  return {
    world,
    deploymentId: d1.id,
    secondDeploymentId: d2.id,
    deploymentVnet: v1,
    secondVnet: v2,
    platformApp: app,
    customer,
    vnet: (name, cidrs, location) => customerVnet(world, name, cidrs, location),
    delegate: (vnet, role) => delegate(world, app.clientId, vnet, role),
  };
}

export const azureSimulation = defineSimulation<AzureWorld, AzureFixture>({
  name: 'azure',
  // the simulator's unverified choices are listed in docs/DECISIONS.md §15; none is a switch yet
  assumptions: [],
  vocabulary: ['az ad sp', 'az network', 'vnet', 'azurerm', 'azuread', 'Microsoft.Network', 'Entra'],
  createWorld: (clock) => new AzureWorld(clock),
  wire: (world, faults) => new AzureSimulator(world, faults),
  endpoint: (base) => `${base}/azure`,
  command: azureSimCommand,

  demo(world, endpoint) {
    const { app, credentials } = platformSide(world);
    const { admin } = customerSide(world, endpoint);
    const deployment = deploymentVnet(world, 'demo-broker-vnet', '10.16.0.0/16');
    const acme = customerVnet(world, 'acme-vnet', ['172.30.0.0/16']);
    const customer = new AzureCustomer({
      endpoint,
      app: { tenantId: AZURE_CUSTOMER_TENANT, clientId: admin.clientId, clientSecret: admin.secret },
    });
    let next = 65;
    return {
      account: { region: AZURE_REGION, accountId: AZURE_PLATFORM_SUBSCRIPTION, endpoint, credentials },
      deployments: [
        {
          id: 'dep-demo-azure',
          name: 'demo-broker-virginia',
          plan: 'dedicated-professional',
          region: AZURE_REGION,
          vpcId: deployment,
          vpcCidr: '10.16.0.0/16',
          routeTableIds: [],
        },
      ],
      actions: [
        {
          key: 'request',
          label: {
            en: 'Create a VNet and give the platform’s app a role on it',
            'zh-CN': '创建 VNet 并为平台应用分配角色',
          },
          stage: 'before-submit',
          async run(d) {
            if (next > 254) throw new Error('the demo ran out of customer CIDRs (10.65-254.0.0/16); restart the demo');
            const cidr = `10.${next}.0.0/16`;
            const vnet = customerVnet(world, `demo-vnet-${next++}`, [cidr], d.region);
            await customer.createServicePrincipal(app.clientId);
            await customer.assignRole(app.clientId, 'Network Contributor', vnet);
            return {
              values: { customerAccountId: AZURE_CUSTOMER_TENANT, customerVpcId: vnet },
              note:
                `VNet ${vnet} (${cidr}); az ad sp create --id ${app.clientId}; az role assignment create ` +
                `--role "Network Contributor" --scope <the VNet>`,
            };
          },
        },
        {
          key: 'grow',
          label: { en: 'Add an address range to my VNet', 'zh-CN': '为我的 VNet 添加地址范围' },
          stage: 'after-submit',
          statuses: ['running'],
          async run(_d, p) {
            if (!p) throw new Error('changing the address space needs a peering');
            const current = world.vnets.get(p.customerVpcId)?.addressPrefixes ?? [];
            const extra = `172.31.${(current.length * 16) % 256}.0/20`;
            await customer.setAddressSpace(p.customerVpcId, [...current, extra]);
            return { values: {}, note: `virtualNetworks.createOrUpdate: address space + ${extra}` };
          },
        },
        {
          key: 'unpeer',
          label: { en: 'Delete my half of the peering', 'zh-CN': '删除我这一侧的对等互连' },
          stage: 'after-submit',
          statuses: ['running'],
          async run(d, p) {
            if (!p) throw new Error('deleting a half needs a peering');
            const name = halfNameFor(d.vpcId);
            await customer.deleteHalf(p.customerVpcId, name);
            return { values: {}, note: `virtualNetworkPeerings.delete: ${name} on ${p.customerVpcId}` };
          },
        },
      ],
      env: ({ deploymentIds }) => ({
        AZURE_DEPLOYMENT_ID: deploymentIds[0] ?? '',
        AZURE_PLATFORM_APP_ID: app.clientId,
        AZURE_CUSTOMER_TENANT,
        AZURE_CUSTOMER_SUBSCRIPTION,
        AZURE_CUSTOMER_VNET: acme,
        PEERLINK_SIM_AZURE_ENDPOINT: endpoint,
        PEERLINK_SIM_AZURE_TENANT: AZURE_CUSTOMER_TENANT,
        PEERLINK_SIM_AZURE_CLIENT_ID: admin.clientId,
        PEERLINK_SIM_AZURE_CLIENT_SECRET: admin.secret,
      }),
      summary: [
        `Azure ${AZURE_REGION}: platform tenant ${AZURE_PLATFORM_TENANT}, application ${app.clientId}, ` +
          `deployment VNet demo-broker-vnet (10.16.0.0/16)`,
        `    customer tenant ${AZURE_CUSTOMER_TENANT}, VNet ${acme} (172.30.0.0/16)`,
      ],
    };
  },

  // One deployment VNet per deployment; each connection is a customer VNet with both halves Connected.
  bench: (() => {
    let appId = '';
    return {
      region: AZURE_REGION,
      account(world, endpoint) {
        const { app, credentials } = platformSide(world);
        customerSide(world, endpoint);
        appId = app.clientId;
        return { region: AZURE_REGION, accountId: AZURE_PLATFORM_SUBSCRIPTION, endpoint, credentials };
      },
      deployment(world, d) {
        const cidr = `10.${100 + Math.floor(d / 256)}.${d % 256}.0/24`;
        return { vpcId: deploymentVnet(world, `deployment-${d}`, cidr), cidr, routeTableIds: [] };
      },
      connection(world, n, deploymentVpcId) {
        const cidr = `172.${16 + (n >> 13)}.${(n >> 5) & 255}.${(n & 31) * 8}/29`;
        const vnet = customerVnet(world, `customer-${n}`, [cidr]);
        if (!appId) throw new Error('bench: account() first');
        delegate(world, appId, vnet);
        const id = halfNameFor(vnet);
        const dep = world.vnets.get(deploymentVpcId);
        const own = world.vnets.get(vnet);
        if (!dep || !own) throw new Error('bench: no such VNet');
        world.peerNow(dep, id, vnet);
        world.peerNow(own, halfNameFor(deploymentVpcId), deploymentVpcId);
        return { id, customerAccountId: AZURE_CUSTOMER_TENANT, customerVpcId: vnet, cidrs: [cidr] };
      },
      deleteByCustomer(world, id, deploymentVpcId) {
        const own = [...world.vnets.values()].find((v) => halfNameFor(v.id) === id);
        if (own) world.deleteNow(own, halfNameFor(deploymentVpcId));
      },
    };
  })(),

  fixture,

  contract({ world, endpoint, clock }) {
    const { app, credentials } = platformSide(world);
    customerSide(world, endpoint);
    const deployment = deploymentVnet(world, 'contract-deployment', '10.16.0.0/16');
    const vnet = customerVnet(world, 'contract-vnet', ['172.31.0.0/16']);
    delegate(world, app.clientId, vnet);
    return {
      target: {
        provider: 'azure',
        region: AZURE_REGION,
        accountId: AZURE_PLATFORM_SUBSCRIPTION,
        endpoint,
        credentials,
      },
      deploymentVpcId: deployment,
      routeTableIds: [],
      // both halves are the platform's to create: once active, the VNet's address space is reported
      customer: { accountId: AZURE_CUSTOMER_TENANT, vpcId: vnet, cidrs: ['172.31.0.0/16'], region: AZURE_REGION },
      request: () => Promise.resolve(halfNameFor(vnet)),
      settle: () => clock.advance(5_000),
      unknownId: halfNameFor(vnetId({ subscriptionId: AZURE_CUSTOMER_SUBSCRIPTION, resourceGroup: 'x', name: 'none' })),
    };
  },
});
