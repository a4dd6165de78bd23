/**
 * Google Cloud in the simulator: the Compute world and its REST wire, `peerlink sim gcp`, the demo's projects and
 * customer actions, the sweep benchmark's driver, the end-to-end tests' fixture and the provider contract's set-up.
 */
import { defineSimulation, type FixtureContext } from '../sim/contract.js';
import { GcpCustomer } from './customer.js';
import { peeringNameFor } from './ids.js';
import { gcpSimCommand } from './sim-cli.js';
import { GcpWorld, type ServiceAccount } from './sim-world.js';
import { GcpSimulator } from './simulator.js';

export const GCP_REGION = 'us-central1';
export const GCP_PLATFORM_PROJECT = 'peerlink-platform';
export const GCP_CUSTOMER_PROJECT = 'acme-analytics';

/** What the end-to-end tests work with: two deployment networks (10.16/16, 10.17/16) and the customer's project. */
export interface GcpFixture {
  world: GcpWorld;
  deploymentId: string;
  secondDeploymentId: string;
  deploymentNetwork: string;
  secondNetwork: string;
  customer: GcpCustomer;
  customerAccount: ServiceAccount;
  /** a new network in the customer's project with one subnet per CIDR; its name */
  network(name: string, ...cidrs: string[]): string;
}

const customerOf = (sa: ServiceAccount, endpoint: string) => new GcpCustomer({ endpoint, key: sa.key });

async function fixture(ctx: FixtureContext<GcpWorld>): Promise<GcpFixture> {
  const world = ctx.world;
  const platform = world.createServiceAccount(GCP_PLATFORM_PROJECT);
  const customer = world.createServiceAccount(GCP_CUSTOMER_PROJECT, 'network-admin');
  const n1 = world.createNetwork(GCP_PLATFORM_PROJECT, 'emqx-broker-1', [{ region: GCP_REGION, cidr: '10.16.0.0/16' }]);
  const n2 = world.createNetwork(GCP_PLATFORM_PROJECT, 'emqx-broker-2', [{ region: GCP_REGION, cidr: '10.17.0.0/16' }]);
  const account = await ctx.admin<{ id: string }>('/v1/admin/platform-accounts', {
    provider: 'gcp',
    region: GCP_REGION,
    accountId: GCP_PLATFORM_PROJECT,
    endpoint: ctx.endpoint,
    credentials: platform.key,
  });
  const common = {
    orgId: ctx.orgId,
    region: GCP_REGION,
    platformAccountId: account.id,
    routeTableIds: [],
    plan: 'dedicated-professional',
  };
  const d1 = await ctx.admin<{ id: string }>('/v1/admin/deployments', {
    ...common,
    vpcId: n1.name,
    vpcCidr: '10.16.0.0/16',
    name: 'gcp-broker',
  });
  const d2 = await ctx.admin<{ id: string }>('/v1/admin/deployments', {
    ...common,
    vpcId: n2.name,
    vpcCidr: '10.17.0.0/16',
    name: 'gcp-broker-2',
  });
  return {
    world,
    deploymentId: d1.id,
    secondDeploymentId: d2.id,
    deploymentNetwork: n1.name,
    secondNetwork: n2.name,
    customer: customerOf(customer, ctx.endpoint),
    customerAccount: customer,
    network: (name, ...cidrs) =>
      world.createNetwork(
        GCP_CUSTOMER_PROJECT,
        name,
        cidrs.map((cidr) => ({ region: GCP_REGION, cidr })),
      ).name,
  };
}

export const gcpSimulation = defineSimulation<GcpWorld, GcpFixture>({
  name: 'gcp',
  // the simulator's unverified choices are listed in docs/DECISIONS.md §14; none is a switch yet
  assumptions: [],
  vocabulary: ['gcloud', 'googleapis', 'compute.googleapis.com', 'google_compute_network_peering'],
  createWorld: (clock) => new GcpWorld(clock),
  wire: (world, faults) => new GcpSimulator(world, faults),
  // the client builds `${protocol}://${host}:${port}/compute/v1/…`; the server knows Compute's calls by that path
  endpoint: (base) => base,
  command: gcpSimCommand,

  demo(world, endpoint) {
    const region = GCP_REGION;
    const platform = world.createServiceAccount('peerlink-demo-platform');
    const deployment = world.createNetwork(platform.project, 'demo-broker-net', [{ region, cidr: '10.16.0.0/16' }]);
    const customer = world.createServiceAccount('acme-demo-project', 'network-admin');
    const customerNet = world.createNetwork(customer.project, 'acme-vpc', [{ region, cidr: '172.30.0.0/16' }]);
    const sdk = customerOf(customer, endpoint);
    let next = 65;
    return {
      account: { region, accountId: platform.project, endpoint, credentials: platform.key },
      deployments: [
        {
          id: 'dep-demo-gcp',
          name: 'demo-broker-iowa',
          plan: 'dedicated-professional',
          region,
          vpcId: deployment.name,
          vpcCidr: '10.16.0.0/16',
          routeTableIds: [],
        },
      ],
      actions: [
        {
          key: 'request',
          label: { en: 'Create a VPC network in my project', 'zh-CN': '在我的项目中创建 VPC 网络' },
          stage: 'before-submit',
          async run(d) {
            if (next > 254) throw new Error('the demo ran out of customer CIDRs (10.65-254.0.0/16); restart the demo');
            const cidr = `10.${next}.0.0/16`;
            const n = world.createNetwork(customer.project, `demo-net-${next++}`, [{ region: d.region, cidr }]);
            return {
              values: { customerAccountId: customer.project, customerVpcId: n.name },
              note: `networks.insert: ${n.name} with a subnet ${cidr} in ${d.region}`,
            };
          },
        },
        {
          key: 'peer',
          label: { en: 'Create the matching peering in my project', 'zh-CN': '在我的项目中创建对应的对等连接' },
          stage: 'after-submit',
          statuses: ['awaiting-customer'],
          async run(d, p) {
            if (!p) throw new Error('the matching peering needs a peering');
            const peer = { project: d.platformAccountId, network: d.vpcId };
            await sdk.addPeering(p.customerVpcId, p.providerPeeringId, peer);
            return { values: {}, note: `networks.addPeering: ${p.providerPeeringId} on ${p.customerVpcId}` };
          },
        },
        {
          key: 'unpeer',
          label: { en: 'Remove my half of the peering', 'zh-CN': '删除我这一侧的对等连接' },
          stage: 'after-submit',
          statuses: ['running'],
          async run(_d, p) {
            if (!p) throw new Error('removing a half needs a peering');
            await sdk.removePeering(p.customerVpcId, p.providerPeeringId);
            return { values: {}, note: `networks.removePeering: ${p.providerPeeringId} from ${p.customerVpcId}` };
          },
        },
      ],
      env: ({ deploymentIds }) => ({
        GCP_DEPLOYMENT_ID: deploymentIds[0] ?? '',
        GCP_DEPLOYMENT_NETWORK: deployment.name,
        GCP_PLATFORM_PROJECT: platform.project,
        PEERLINK_SIM_GCP_ENDPOINT: endpoint,
        // single-quoted for the shell: the key is JSON (its private key's newlines escaped as \n)
        PEERLINK_SIM_GCP_KEY: `'${JSON.stringify(customer.key)}'`,
        GCP_CUSTOMER_PROJECT: customer.project,
        GCP_CUSTOMER_NETWORK: customerNet.name,
      }),
      summary: [
        `Google Cloud ${region}: platform project ${platform.project}, deployment network ${deployment.name} ` +
          `(10.16.0.0/16)`,
        `    customer project ${customer.project}, network ${customerNet.name} (172.30.0.0/16)`,
      ],
    };
  },

  // One deployment network per deployment; each connection is a customer network with both halves added.
  bench: (() => {
    let platform: ServiceAccount | null = null;
    let customer: ServiceAccount | null = null;
    const need = (sa: ServiceAccount | null) => {
      if (!sa) throw new Error('bench: account() first');
      return sa;
    };
    return {
      region: GCP_REGION,
      account(world, endpoint) {
        platform = world.createServiceAccount(GCP_PLATFORM_PROJECT);
        customer = world.createServiceAccount(GCP_CUSTOMER_PROJECT);
        return { region: GCP_REGION, accountId: GCP_PLATFORM_PROJECT, endpoint, credentials: platform.key };
      },
      deployment(world, d) {
        const cidr = `10.${100 + Math.floor(d / 256)}.${d % 256}.0/24`;
        const n = world.createNetwork(GCP_PLATFORM_PROJECT, `deployment-${d}`, [{ region: GCP_REGION, cidr }]);
        return { vpcId: n.name, cidr, routeTableIds: [] };
      },
      connection(world, n, deploymentVpcId) {
        const cidr = `172.${16 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}/32`;
        const net = world.createNetwork(GCP_CUSTOMER_PROJECT, `customer-${n}`, [{ region: GCP_REGION, cidr }]);
        const c = { project: GCP_CUSTOMER_PROJECT, network: net.name };
        const name = peeringNameFor(c);
        const dep = { project: GCP_PLATFORM_PROJECT, network: deploymentVpcId };
        world.addPeeringNow(need(platform), dep, { name, peer: c });
        world.addPeeringNow(need(customer), c, { name, peer: dep });
        return { id: name, customerAccountId: GCP_CUSTOMER_PROJECT, customerVpcId: net.name, cidrs: [cidr] };
      },
      deleteByCustomer(world, id) {
        const n = [...world.networks.values()].find(
          (x) => x.project === GCP_CUSTOMER_PROJECT && x.peerings.some((p) => p.name === id),
        );
        if (n) world.removePeeringNow(need(customer), { project: n.project, network: n.name }, id);
      },
    };
  })(),

  fixture,

  contract({ world, endpoint, clock }) {
    const p = world.createServiceAccount(GCP_PLATFORM_PROJECT);
    const c = world.createServiceAccount(GCP_CUSTOMER_PROJECT);
    const deployment = world.createNetwork(GCP_PLATFORM_PROJECT, 'contract-deployment', [
      { region: GCP_REGION, cidr: '10.16.0.0/16' },
    ]);
    const net = world.createNetwork(GCP_CUSTOMER_PROJECT, 'contract-net', [
      { region: GCP_REGION, cidr: '172.31.0.0/16' },
    ]);
    const customer = customerOf(c, endpoint);
    const name = peeringNameFor({ project: GCP_CUSTOMER_PROJECT, network: net.name });
    return {
      target: {
        provider: 'gcp',
        region: GCP_REGION,
        accountId: GCP_PLATFORM_PROJECT,
        endpoint,
        credentials: p.key,
      },
      deploymentVpcId: deployment.name,
      routeTableIds: [],
      // INACTIVE: nothing of the customer's network is readable yet (its CIDRs come with ACTIVE)
      customer: { accountId: GCP_CUSTOMER_PROJECT, vpcId: net.name, cidrs: [], region: GCP_REGION },
      request: () => Promise.resolve(name),
      settle: () => clock.advance(5_000),
      approve: () => customer.addPeering(net.name, name, { project: GCP_PLATFORM_PROJECT, network: deployment.name }),
      unknownId: peeringNameFor({ project: GCP_CUSTOMER_PROJECT, network: 'no-such-network' }),
    };
  },
});
