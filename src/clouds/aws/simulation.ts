/**
 * AWS in the simulator: the EC2 world and its Query/XML wire, `peerlink sim aws`, the demo's accounts and customer
 * actions, the sweep benchmark's driver, and the end-to-end tests' fixture.
 */
import { defineSimulation, type FixtureContext } from '../sim/contract.js';
import { AwsCustomer } from './customer.js';
import { awsSimCommand } from './sim-cli.js';
import { AwsWorld } from './sim-world.js';
import { AwsSimulator } from './simulator.js';

const customerCidr = (n: number) => `172.${16 + (n >> 8)}.${n & 255}.0/24`;

/**
 * What the AWS end-to-end tests work with: two deployments (one on a plan that cannot peer) and the customer's side.
 */
export interface AwsFixture {
  world: AwsWorld;
  region: string;
  platformAccountId: string;
  deploymentId: string;
  trialDeploymentId: string;
  platformVpc: { vpcId: string; routeTableId: string; cidr: string };
  customer: { accountId: string; vpcId: string; sdk: AwsCustomer };
  /** a customer-side VPC (in the customer's account) */
  customerVpc(cidr: string, region?: string): string;
  /** the customer requests a peering to the deployment VPC, with the official SDK */
  requestPeering(vpcId?: string, peerVpcId?: string): Promise<string>;
  /** a submit body for this pcx, overridable field by field */
  submitBody(pcx: string, over?: Record<string, unknown>): Record<string, unknown>;
}

async function fixture(ctx: FixtureContext<AwsWorld>): Promise<AwsFixture> {
  const region = 'us-east-1';
  const world = ctx.world;
  const platform = world.createAccount('111111111111');
  const customerAccount = world.createAccount('222222222222');
  const pv = world.createVpc({ accountId: platform.id, region }, '10.11.0.0/16');
  const routeTableId = world.mainRouteTable(pv.id).id;
  const customerVpcId = world.createVpc({ accountId: customerAccount.id, region }, '172.31.0.0/16').id;
  const account = await ctx.admin<{ id: string }>('/v1/admin/platform-accounts', {
    provider: 'aws',
    region,
    accountId: platform.id,
    endpoint: ctx.endpoint,
    credentials: { accessKeyId: platform.accessKeyId, secretAccessKey: platform.secretAccessKey },
  });
  const common = {
    orgId: ctx.orgId,
    region,
    vpcId: pv.id,
    vpcCidr: '10.11.0.0/16',
    platformAccountId: account.id,
    routeTableIds: [routeTableId],
  };
  const pro = await ctx.admin<{ id: string }>('/v1/admin/deployments', {
    ...common,
    name: 'prod-broker',
    plan: 'dedicated-professional',
  });
  const trial = await ctx.admin<{ id: string }>('/v1/admin/deployments', {
    ...common,
    name: 'trial-broker',
    plan: 'trial',
  });
  const sdk = new AwsCustomer({
    endpoint: ctx.endpoint,
    region,
    accessKeyId: customerAccount.accessKeyId,
    secretAccessKey: customerAccount.secretAccessKey,
  });
  const f: AwsFixture = {
    world,
    region,
    platformAccountId: platform.id,
    deploymentId: pro.id,
    trialDeploymentId: trial.id,
    platformVpc: { vpcId: pv.id, routeTableId, cidr: '10.11.0.0/16' },
    customer: { accountId: customerAccount.id, vpcId: customerVpcId, sdk },
    customerVpc: (cidr, r = region) => world.createVpc({ accountId: customerAccount.id, region: r }, cidr).id,
    async requestPeering(vpcId = customerVpcId, peerVpcId = pv.id) {
      const vpcRegion = world.vpcs.get(vpcId)?.region ?? region;
      const client = vpcRegion === region ? sdk : new AwsCustomer({ ...sdk.o, region: vpcRegion });
      return client.requestPeering(vpcId, { vpcId: peerVpcId, ownerId: platform.id, region });
    },
    submitBody: (pcx, over = {}) => ({
      deploymentId: pro.id,
      providerPeeringId: pcx,
      customerAccountId: customerAccount.id,
      customerVpcId,
      ...over,
    }),
  };
  return f;
}

export const awsSimulation = defineSimulation<AwsWorld, AwsFixture>({
  name: 'aws',
  vocabulary: ['aws', 'amazon', 'ec2', 'pcx-'],
  assumptions: [
    {
      name: 'notFoundAsDocumented',
      question:
        'Is an unknown peering InvalidVpcPeeringConnectionID.NotFound, as the API reference spells it, or ' +
        '…Id.NotFound like its sibling codes? Strict: …Id.NotFound.',
      permit: (w) => (w.options.assume.notFoundAsDocumented = true),
    },
  ],
  createWorld: (clock) => new AwsWorld(clock),
  wire: (world, faults) => new AwsSimulator(world, faults),
  endpoint: (base) => `${base}/aws`,
  command: awsSimCommand,

  demo(world, endpoint) {
    const region = 'us-east-1';
    // a realistic pause while an accepted connection provisions
    world.options.provisioningMs = 1_000;
    const platform = world.createAccount('111122223333');
    const platformVpc = world.createVpc({ accountId: platform.id, region }, '10.11.0.0/16');
    const platformRtb = world.mainRouteTable(platformVpc.id);
    const customer = world.createAccount('444455556666');
    const customerVpc = world.createVpc({ accountId: customer.id, region }, '172.31.0.0/16');
    const sdk = (r: string) =>
      new AwsCustomer({
        endpoint,
        region: r,
        accessKeyId: customer.accessKeyId,
        secretAccessKey: customer.secretAccessKey,
      });
    const routeTables = new Map<string, string>();
    let next = 65;
    const deployment = { region, vpcId: platformVpc.id, vpcCidr: '10.11.0.0/16', routeTableIds: [platformRtb.id] };
    return {
      account: {
        region,
        accountId: platform.id,
        endpoint,
        credentials: { accessKeyId: platform.accessKeyId, secretAccessKey: platform.secretAccessKey },
      },
      deployments: [
        { ...deployment, id: 'dep-demo-pro', name: 'demo-broker', plan: 'dedicated-professional' },
        { ...deployment, id: 'dep-demo-trial', name: 'demo-trial', plan: 'trial' },
      ],
      actions: [
        {
          key: 'request',
          label: { en: 'Create the peering request', 'zh-CN': '创建对等连接请求' },
          stage: 'before-submit',
          async run(d) {
            if (next > 254) throw new Error('the demo ran out of customer CIDRs (10.65-254.0.0/16); restart the demo');
            const cidr = `10.${next++}.0.0/16`;
            const vpc = world.createVpc({ accountId: customer.id, region: d.region }, cidr);
            routeTables.set(vpc.id, world.mainRouteTable(vpc.id).id);
            const pcx = await sdk(d.region).requestPeering(vpc.id, { vpcId: d.vpcId, ownerId: d.platformAccountId });
            return {
              values: { providerPeeringId: pcx, customerAccountId: customer.id, customerVpcId: vpc.id },
              note: `CreateVpcPeeringConnection: ${pcx} from ${vpc.id} (${cidr})`,
            };
          },
        },
        {
          key: 'route',
          label: { en: 'Add the route on my side', 'zh-CN': '在我这一侧添加路由' },
          stage: 'after-submit',
          statuses: ['running'],
          async run(d, p) {
            const table = p && routeTables.get(p.customerVpcId);
            if (!p || !table) throw new Error(`VPC ${p?.customerVpcId ?? '?'} was not made by the demo`);
            await sdk(d.region).addRoute(table, d.vpcCidr, p.providerPeeringId);
            return { values: {}, note: `CreateRoute: ${d.vpcCidr} → ${p.providerPeeringId} in ${table}` };
          },
        },
      ],
      env: ({ deploymentIds }) => ({
        DEPLOYMENT_ID: deploymentIds[0] ?? '',
        TRIAL_DEPLOYMENT_ID: deploymentIds[1] ?? '',
        DEPLOYMENT_VPC_ID: platformVpc.id,
        PLATFORM_ACCOUNT_ID: platform.id,
        PEERLINK_SIM_AWS_ENDPOINT: endpoint,
        AWS_REGION: region,
        AWS_ACCESS_KEY_ID: customer.accessKeyId,
        AWS_SECRET_ACCESS_KEY: customer.secretAccessKey,
        CUSTOMER_ACCOUNT_ID: customer.id,
        CUSTOMER_VPC_ID: customerVpc.id,
        PLATFORM_AWS_ACCESS_KEY_ID: platform.accessKeyId,
        PLATFORM_AWS_SECRET_ACCESS_KEY: platform.secretAccessKey,
      }),
      summary: [
        `AWS ${region}: platform account ${platform.id}, deployment VPC ${platformVpc.id} (10.11.0.0/16)`,
        `    customer account ${customer.id}, VPC ${customerVpc.id} (172.31.0.0/16)`,
      ],
    };
  },

  bench: {
    region: 'us-east-1',
    account(world, endpoint) {
      const a = world.createAccount('111111111111');
      world.createAccount('222222222222');
      const credentials = { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey };
      return { region: 'us-east-1', accountId: a.id, endpoint, credentials };
    },
    deployment(world, d) {
      const cidr = `10.${100 + Math.floor(d / 256)}.${d % 256}.0/24`;
      const vpc = world.createVpc({ accountId: '111111111111', region: 'us-east-1' }, cidr);
      return { vpcId: vpc.id, cidr, routeTableIds: [world.mainRouteTable(vpc.id).id] };
    },
    connection(world, n, deploymentVpcId) {
      const customer = { accountId: '222222222222', region: 'us-east-1' };
      const cvpc = world.createVpc(customer, customerCidr(n));
      const pcx = world.createPeering(customer, cvpc.id, deploymentVpcId, '111111111111', 'us-east-1');
      world.acceptPeering({ accountId: '111111111111', region: 'us-east-1' }, pcx.id);
      return { id: pcx.id, customerAccountId: '222222222222', customerVpcId: cvpc.id, cidrs: cvpc.cidrs };
    },
    deleteByCustomer(world, id) {
      world.deletePeering({ accountId: '222222222222', region: 'us-east-1' }, id);
    },
  },

  fixture,

  contract({ world, endpoint }) {
    const region = 'us-east-1';
    const p = world.createAccount('111111111111');
    const c = world.createAccount('222222222222');
    const pv = world.createVpc({ accountId: p.id, region }, '10.11.0.0/16');
    const cv = world.createVpc({ accountId: c.id, region }, '172.31.0.0/16');
    const customer = new AwsCustomer({
      endpoint,
      region,
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
    });
    return {
      target: {
        provider: 'aws',
        region,
        accountId: p.id,
        endpoint,
        credentials: { accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey },
      },
      deploymentVpcId: pv.id,
      routeTableIds: [world.mainRouteTable(pv.id).id],
      customer: { accountId: c.id, vpcId: cv.id, cidrs: ['172.31.0.0/16'], region },
      request: () => customer.requestPeering(cv.id, { vpcId: pv.id, ownerId: p.id }),
      settle: () => undefined,
      unknownId: 'pcx-00000000',
    };
  },
});
