/**
 * Huawei Cloud in the simulator: the VPC world and its v2.0/v1 REST wire, `peerlink sim huawei`, the demo's projects
 * and customer actions, the sweep benchmark's driver, and the end-to-end tests' fixture.
 */
import { defineSimulation, type FixtureContext } from '../sim/contract.js';
import { HwCustomer } from './customer.js';
import { huaweiSimCommand } from './sim-cli.js';
import { HwWorld } from './sim-world.js';
import { HwSimulator } from './simulator.js';

export const HW_REGION = 'cn-north-4';
export const HW_PLATFORM_PROJECT = '059a737356594b41b447b557bf0aae56';
export const HW_CUSTOMER_PROJECT = 'f65e9ebcd5d418b4a931a9a723718ba4';

const customerCidr = (n: number) => `172.${16 + (n >> 8)}.${n & 255}.0/24`;

/** What the Huawei end-to-end tests work with: a deployment and the customer's side (its SDK client, a VPC). */
export interface HuaweiFixture {
  world: HwWorld;
  deploymentId: string;
  platformVpc: { vpcId: string; routeTableId: string; cidr: string };
  customer: HwCustomer;
  vpcId: string;
  routeTableId: string;
  vpc(cidr: string): { id: string; routeTableId: string };
}

async function fixture(ctx: FixtureContext<HwWorld>): Promise<HuaweiFixture> {
  const world = ctx.world;
  const platform = world.createProject(HW_REGION, HW_PLATFORM_PROJECT);
  const customer = world.createProject(HW_REGION, HW_CUSTOMER_PROJECT);
  const pv = world.createVpc({ projectId: HW_PLATFORM_PROJECT, region: HW_REGION }, '10.13.0.0/16');
  const cv = world.createVpc({ projectId: HW_CUSTOMER_PROJECT, region: HW_REGION }, '192.168.0.0/16');
  const account = await ctx.admin<{ id: string }>('/v1/admin/platform-accounts', {
    provider: 'huawei',
    region: HW_REGION,
    accountId: HW_PLATFORM_PROJECT,
    endpoint: ctx.endpoint,
    credentials: { accessKeyId: platform.ak, secretAccessKey: platform.sk },
  });
  const deployment = await ctx.admin<{ id: string }>('/v1/admin/deployments', {
    orgId: ctx.orgId,
    region: HW_REGION,
    vpcId: pv.id,
    vpcCidr: '10.13.0.0/16',
    platformAccountId: account.id,
    routeTableIds: [pv.routeTableId],
    name: 'hw-broker',
    plan: 'dedicated-professional',
  });
  return {
    world,
    deploymentId: deployment.id,
    platformVpc: { vpcId: pv.id, routeTableId: pv.routeTableId, cidr: '10.13.0.0/16' },
    customer: new HwCustomer({
      endpoint: ctx.endpoint,
      ak: customer.ak,
      sk: customer.sk,
      projectId: HW_CUSTOMER_PROJECT,
    }),
    vpcId: cv.id,
    routeTableId: cv.routeTableId,
    vpc: (cidr) => world.createVpc({ projectId: HW_CUSTOMER_PROJECT, region: HW_REGION }, cidr),
  };
}

export const huaweiSimulation = defineSimulation<HwWorld, HuaweiFixture>({
  name: 'huawei',
  vocabulary: ['huawei', 'hcloud', 'huaweicloud', '华为'],
  assumptions: [
    {
      name: 'acceptIsSynchronous',
      question:
        'Does the accept answer ACTIVE at once (the API doc’s example shows it), or does it take a while, a repeated ' +
        'accept being refused meanwhile? Strict: it takes a while.',
      permit: (w) => (w.options.assume.acceptIsSynchronous = true),
    },
    {
      name: 'deleteIsSynchronous',
      question:
        'Is a deleted peering gone at once, or still shown for a while with a DELETE answering 409 (what ' +
        'Terraform’s delete loop expects)? Strict: still shown.',
      permit: (w) => (w.options.assume.deleteIsSynchronous = true),
    },
  ],
  createWorld: (clock) => new HwWorld(clock),
  wire: (world, faults) => new HwSimulator(world, faults),
  endpoint: (base) => `${base}/huawei`,
  command: huaweiSimCommand,

  demo(world, endpoint) {
    const region = 'cn-north-4';
    // a short but visible pause on the real clock while an accept or a delete applies
    world.options.applyingMs = 2_000;
    const platform = world.createProject(region, '0a1b2c3d4e5f60718293a4b5c6d7e8f9');
    const platformVpc = world.createVpc({ projectId: platform.projectId, region }, '10.13.0.0/16');
    const customer = world.createProject(region, 'f9e8d7c6b5a4938271605f4e3d2c1b0a');
    const customerVpc = world.createVpc({ projectId: customer.projectId, region }, '192.168.0.0/16');
    const sdk = () => new HwCustomer({ endpoint, ak: customer.ak, sk: customer.sk, projectId: customer.projectId });
    const routeTables = new Map<string, string>();
    let next = 65;
    return {
      account: {
        region,
        accountId: platform.projectId,
        endpoint,
        credentials: { accessKeyId: platform.ak, secretAccessKey: platform.sk },
      },
      deployments: [
        {
          id: 'dep-demo-hw',
          name: 'demo-broker-beijing4',
          plan: 'dedicated-professional',
          region,
          vpcId: platformVpc.id,
          vpcCidr: '10.13.0.0/16',
          routeTableIds: [platformVpc.routeTableId],
        },
      ],
      actions: [
        {
          key: 'request',
          label: { en: 'Request the peering', 'zh-CN': '创建对等连接请求' },
          stage: 'before-submit',
          async run(d) {
            if (next > 254) throw new Error('the demo ran out of customer CIDRs (10.65-254.0.0/16); restart the demo');
            const cidr = `10.${next++}.0.0/16`;
            const vpc = world.createVpc({ projectId: customer.projectId, region }, cidr);
            routeTables.set(vpc.id, vpc.routeTableId);
            const id = await sdk().createPeering(vpc.id, { vpcId: d.vpcId, projectId: d.platformAccountId });
            return {
              values: {
                providerPeeringId: id,
                customerCidrs: [cidr],
                customerVpcId: vpc.id,
                customerAccountId: customer.projectId,
              },
              note: `CreateVpcPeering: ${id} from ${vpc.id} (${cidr})`,
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
            await sdk().addRoute(table, d.vpcCidr, p.providerPeeringId);
            return {
              values: {},
              note: `UpdateRouteTable: ${d.vpcCidr} → ${p.providerPeeringId} (peering) in ${table}`,
            };
          },
        },
      ],
      env: ({ deploymentIds }) => ({
        HW_DEPLOYMENT_ID: deploymentIds[0] ?? '',
        HW_DEPLOYMENT_VPC_ID: platformVpc.id,
        HW_PLATFORM_PROJECT_ID: platform.projectId,
        HW_PLATFORM_ROUTE_TABLE_ID: platformVpc.routeTableId,
        PEERLINK_SIM_HUAWEI_ENDPOINT: endpoint,
        HUAWEICLOUD_SDK_AK: customer.ak,
        HUAWEICLOUD_SDK_SK: customer.sk,
        HUAWEICLOUD_SDK_PROJECT_ID: customer.projectId,
        HW_CUSTOMER_VPC_ID: customerVpc.id,
        HW_CUSTOMER_ROUTE_TABLE_ID: customerVpc.routeTableId,
        PLATFORM_HUAWEI_AK: platform.ak,
        PLATFORM_HUAWEI_SK: platform.sk,
      }),
      summary: [
        `Huawei Cloud ${region}: platform project ${platform.projectId}, deployment VPC ${platformVpc.id} ` +
          `(10.13.0.0/16)`,
        `    customer project ${customer.projectId}, VPC ${customerVpc.id} (192.168.0.0/16)`,
      ],
    };
  },

  bench: {
    region: HW_REGION,
    account(world, endpoint) {
      // the benchmark measures the sweep, not the cloud's asynchronous accept: it applies at once
      world.options.applyingMs = 0;
      const p = world.createProject(HW_REGION, HW_PLATFORM_PROJECT);
      world.createProject(HW_REGION, HW_CUSTOMER_PROJECT);
      const credentials = { accessKeyId: p.ak, secretAccessKey: p.sk };
      return { region: HW_REGION, accountId: p.projectId, endpoint, credentials };
    },
    deployment(world, d) {
      const cidr = `10.${100 + Math.floor(d / 256)}.${d % 256}.0/24`;
      const vpc = world.createVpc({ projectId: HW_PLATFORM_PROJECT, region: HW_REGION }, cidr);
      return { vpcId: vpc.id, cidr, routeTableIds: [vpc.routeTableId] };
    },
    connection(world, n, deploymentVpcId) {
      const cvpc = world.createVpc({ projectId: HW_CUSTOMER_PROJECT, region: HW_REGION }, customerCidr(n));
      const p = world.createPeering(
        { projectId: HW_CUSTOMER_PROJECT, region: HW_REGION },
        { name: `p${n}`, requestVpcId: cvpc.id, acceptVpcId: deploymentVpcId, acceptTenantId: HW_PLATFORM_PROJECT },
      );
      world.accept({ projectId: HW_PLATFORM_PROJECT, region: HW_REGION }, p.id);
      return { id: p.id, customerAccountId: HW_CUSTOMER_PROJECT, customerVpcId: cvpc.id, cidrs: [cvpc.cidr] };
    },
    deleteByCustomer(world, id) {
      world.delete({ projectId: HW_CUSTOMER_PROJECT, region: HW_REGION }, id);
    },
  },

  fixture,

  contract({ world, endpoint, clock }) {
    const region = HW_REGION;
    const p = world.createProject(region, HW_PLATFORM_PROJECT);
    const c = world.createProject(region, HW_CUSTOMER_PROJECT);
    const pv = world.createVpc({ projectId: p.projectId, region }, '10.13.0.0/16');
    const cv = world.createVpc({ projectId: c.projectId, region }, '192.168.0.0/16');
    const customer = new HwCustomer({ endpoint, ak: c.ak, sk: c.sk, projectId: c.projectId });
    return {
      target: {
        provider: 'huawei',
        region,
        accountId: p.projectId,
        endpoint,
        credentials: { accessKeyId: p.ak, secretAccessKey: p.sk },
      },
      deploymentVpcId: pv.id,
      routeTableIds: [pv.routeTableId],
      // the peering object carries no CIDR: the customer types it, and routes go to what Peerlink was given
      customer: { accountId: c.projectId, vpcId: cv.id, cidrs: [], region },
      routeCidrs: ['192.168.0.0/16'],
      request: () => customer.createPeering(cv.id, { vpcId: pv.id, projectId: p.projectId }),
      // longer than an accept or a delete takes to apply
      settle: () => clock.advance(30_000),
      unknownId: '00000000-0000-4000-8000-000000000000',
      reportsExpiry: false,
    };
  },
});
