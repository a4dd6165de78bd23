/**
 * Alibaba Cloud in the simulator: the VpcPeer/VPC world and its RPC wire, `peerlink sim alibaba`, the demo's accounts
 * and customer actions, the sweep benchmark's driver, and the end-to-end tests' fixture.
 */
import { defineSimulation, type FixtureContext } from '../sim/contract.js';
import { AliCustomer } from './customer.js';
import { alibabaSimCommand } from './sim-cli.js';
import { AliWorld } from './sim-world.js';
import { AliSimulator } from './simulator.js';

export const ALI_REGION = 'cn-hangzhou';
/** an 18-digit UID: more than a double holds, so it must stay a string end to end */
export const ALI_PLATFORM_UID = '253460731706911258';
export const ALI_CUSTOMER_UID = '1210123456123456';

const customerCidr = (n: number) => `172.${16 + (n >> 8)}.${n & 255}.0/24`;

/** What the Alibaba end-to-end tests work with: a deployment and the customer's side (its SDK client, a VPC). */
export interface AlibabaFixture {
  world: AliWorld;
  deploymentId: string;
  platformVpc: { vpcId: string; routeTableId: string; cidr: string };
  customer: AliCustomer;
  vpcId: string;
  routeTableId: string;
  vpc(cidr: string, region?: string): { id: string; routeTableId: string };
}

async function fixture(ctx: FixtureContext<AliWorld>): Promise<AlibabaFixture> {
  const world = ctx.world;
  const platform = world.createAccount(ALI_PLATFORM_UID);
  const customer = world.createAccount(ALI_CUSTOMER_UID);
  const pv = world.createVpc({ uid: ALI_PLATFORM_UID, region: ALI_REGION }, '10.12.0.0/16');
  const cv = world.createVpc({ uid: ALI_CUSTOMER_UID, region: ALI_REGION }, '172.31.0.0/16');
  const account = await ctx.admin<{ id: string }>('/v1/admin/platform-accounts', {
    provider: 'alibaba',
    region: ALI_REGION,
    accountId: ALI_PLATFORM_UID,
    endpoint: ctx.endpoint,
    credentials: { accessKeyId: platform.accessKeyId, secretAccessKey: platform.accessKeySecret },
  });
  const deployment = await ctx.admin<{ id: string }>('/v1/admin/deployments', {
    orgId: ctx.orgId,
    region: ALI_REGION,
    vpcId: pv.id,
    vpcCidr: '10.12.0.0/16',
    platformAccountId: account.id,
    routeTableIds: [pv.routeTableId],
    name: 'ali-broker',
    plan: 'dedicated-professional',
  });
  return {
    world,
    deploymentId: deployment.id,
    platformVpc: { vpcId: pv.id, routeTableId: pv.routeTableId, cidr: '10.12.0.0/16' },
    customer: new AliCustomer({
      endpoint: ctx.endpoint,
      region: ALI_REGION,
      accessKeyId: customer.accessKeyId,
      accessKeySecret: customer.accessKeySecret,
    }),
    vpcId: cv.id,
    routeTableId: cv.routeTableId,
    vpc: (cidr, region = ALI_REGION) => world.createVpc({ uid: ALI_CUSTOMER_UID, region }, cidr),
  };
}

export const alibabaSimulation = defineSimulation<AliWorld, AlibabaFixture>({
  name: 'alibaba',
  vocabulary: ['alibaba', 'aliyun', 'alicloud', 'vpcpeer', 'pcc-', '阿里'],
  assumptions: [
    {
      name: 'onlyCallerRoutesBlockDelete',
      question:
        'Do the other side’s route entries to a peer connection also refuse a DeleteVpcPeerConnection without Force ' +
        '(OperationDenied.RouteEntryExist)? Strict: yes.',
      permit: (w) => (w.options.assume.onlyCallerRoutesBlockDelete = true),
    },
    {
      name: 'accepterDeletesPending',
      question: 'May the accepter delete a connection still Accepting? Strict: no, it can only reject it.',
      permit: (w) => (w.options.assume.accepterDeletesPending = true),
    },
    {
      name: 'extraRegionIdIgnored',
      question: 'Is a RegionId on Get/Accept/Reject/Delete (which take none) ignored? Strict: it is refused.',
      permit: (w) => (w.options.assume.extraRegionIdIgnored = true),
    },
    {
      name: 'deletedGoneAtOnce',
      question: 'Is a Deleted connection still shown for a while? Strict: for an hour; permissive: not found at once.',
      permit: (w) => (w.options.assume.deletedGoneAtOnce = true),
    },
  ],
  createWorld: (clock) => new AliWorld(clock),
  wire: (world, faults) => new AliSimulator(world, faults),
  // the SDK posts to the host's root; the server tells Alibaba's calls apart by their x-acs-version header
  endpoint: (base) => base,
  command: alibabaSimCommand,

  demo(world, endpoint) {
    const region = 'cn-hangzhou';
    // short but visible pauses on the real clock: the connection is Creating, then Updating after the accept, then
    // Deleting; route entries are Pending, then Deleting
    Object.assign(world.options, {
      creatingMs: 1_000,
      updatingMs: 2_000,
      deletingMs: 2_000,
      routePendingMs: 1_000,
      routeDeletingMs: 1_000,
    });
    const platform = world.createAccount('1234567890123456');
    const platformVpc = world.createVpc({ uid: platform.uid, region }, '10.12.0.0/16');
    const customer = world.createAccount('6543210987654321');
    const customerVpc = world.createVpc({ uid: customer.uid, region }, '172.30.0.0/16');
    const sdk = (r: string) =>
      new AliCustomer({
        endpoint,
        region: r,
        accessKeyId: customer.accessKeyId,
        accessKeySecret: customer.accessKeySecret,
      });
    const routeTables = new Map<string, string>();
    let next = 65;
    return {
      account: {
        region,
        accountId: platform.uid,
        endpoint,
        credentials: { accessKeyId: platform.accessKeyId, secretAccessKey: platform.accessKeySecret },
      },
      deployments: [
        {
          id: 'dep-demo-ali',
          name: 'demo-broker-hangzhou',
          plan: 'dedicated-professional',
          region,
          vpcId: platformVpc.id,
          vpcCidr: '10.12.0.0/16',
          routeTableIds: [platformVpc.routeTableId],
        },
      ],
      actions: [
        {
          key: 'request',
          label: { en: 'Create the peer connection', 'zh-CN': '创建对等连接' },
          stage: 'before-submit',
          async run(d) {
            if (next > 254) throw new Error('the demo ran out of customer CIDRs (10.65-254.0.0/16); restart the demo');
            const cidr = `10.${next++}.0.0/16`;
            const vpc = world.createVpc({ uid: customer.uid, region: d.region }, cidr);
            routeTables.set(vpc.id, vpc.routeTableId);
            // Conflict.Operation while another connection to the deployment VPC is changing: wait, try again
            let pcc = '';
            for (let i = 0; !pcc; i++) {
              pcc = await sdk(d.region)
                .createConnection(vpc.id, { uid: d.platformAccountId, vpcId: d.vpcId })
                .catch(async (err: { code?: string }) => {
                  if (err.code !== 'Conflict.Operation' || i >= 10) throw err;
                  await new Promise((r) => setTimeout(r, 1_000));
                  return '';
                });
            }
            return {
              values: { customerVpcId: vpc.id },
              note: `CreateVpcPeerConnection: ${pcc} from initiator ${vpc.id} (${cidr})`,
            };
          },
        },
        {
          key: 'route',
          label: { en: 'Add the route entry on my side', 'zh-CN': '在我这一侧添加路由条目' },
          stage: 'after-submit',
          statuses: ['running'],
          async run(d, p) {
            const table = p && routeTables.get(p.customerVpcId);
            if (!p || !table) throw new Error(`VPC ${p?.customerVpcId ?? '?'} was not made by the demo`);
            await sdk(d.region).addRoute(table, d.vpcCidr, p.providerPeeringId);
            return {
              values: {},
              note: `CreateRouteEntry: ${d.vpcCidr} → ${p.providerPeeringId} (VpcPeer) in ${table}`,
            };
          },
        },
      ],
      env: ({ deploymentIds }) => ({
        ALI_DEPLOYMENT_ID: deploymentIds[0] ?? '',
        ALI_DEPLOYMENT_VPC_ID: platformVpc.id,
        ALI_PLATFORM_UID: platform.uid,
        ALI_PLATFORM_ROUTE_TABLE_ID: platformVpc.routeTableId,
        PEERLINK_SIM_ALIBABA_ENDPOINT: endpoint,
        ALIBABA_CLOUD_REGION_ID: region,
        ALIBABA_CLOUD_ACCESS_KEY_ID: customer.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: customer.accessKeySecret,
        ALI_CUSTOMER_VPC_ID: customerVpc.id,
        ALI_CUSTOMER_ROUTE_TABLE_ID: customerVpc.routeTableId,
        PLATFORM_ALIBABA_ACCESS_KEY_ID: platform.accessKeyId,
        PLATFORM_ALIBABA_ACCESS_KEY_SECRET: platform.accessKeySecret,
      }),
      summary: [
        `Alibaba Cloud ${region}: platform UID ${platform.uid}, deployment VPC ${platformVpc.id} (10.12.0.0/16)`,
        `    customer UID ${customer.uid}, VPC ${customerVpc.id} (172.30.0.0/16)`,
      ],
    };
  },

  bench: {
    region: ALI_REGION,
    account(world, endpoint) {
      // the benchmark measures the sweep, not the cloud's asynchronous states: connections settle at once
      Object.assign(world.options, { creatingMs: 0, updatingMs: 0, deletingMs: 0 });
      const a = world.createAccount(ALI_PLATFORM_UID);
      world.createAccount(ALI_CUSTOMER_UID);
      const credentials = { accessKeyId: a.accessKeyId, secretAccessKey: a.accessKeySecret };
      return { region: ALI_REGION, accountId: a.uid, endpoint, credentials };
    },
    deployment(world, d) {
      const cidr = `10.${100 + Math.floor(d / 256)}.${d % 256}.0/24`;
      const vpc = world.createVpc({ uid: ALI_PLATFORM_UID, region: ALI_REGION }, cidr);
      return { vpcId: vpc.id, cidr, routeTableIds: [vpc.routeTableId] };
    },
    connection(world, n, deploymentVpcId) {
      const cvpc = world.createVpc({ uid: ALI_CUSTOMER_UID, region: ALI_REGION }, customerCidr(n));
      const pcc = world.createConnection(
        { uid: ALI_CUSTOMER_UID, region: ALI_REGION },
        { vpcId: cvpc.id, acceptingAliUid: ALI_PLATFORM_UID, acceptingVpcId: deploymentVpcId },
      );
      world.accept({ uid: ALI_PLATFORM_UID, region: ALI_REGION }, pcc.id);
      return { id: pcc.id, customerAccountId: ALI_CUSTOMER_UID, customerVpcId: cvpc.id, cidrs: cvpc.cidrs };
    },
    deleteByCustomer(world, id) {
      world.delete({ uid: ALI_CUSTOMER_UID, region: ALI_REGION }, id, true);
    },
  },

  fixture,

  contract({ world, endpoint, clock }) {
    const region = ALI_REGION;
    // 18 digits: more than a double holds exactly; must survive the wire and the SDK as written
    const p = world.createAccount(ALI_PLATFORM_UID);
    const c = world.createAccount(ALI_CUSTOMER_UID);
    const pv = world.createVpc({ uid: p.uid, region }, '10.11.0.0/16');
    // two IPv4 blocks (Vpc.Ipv4Cidrs is a list): two route entries, which Alibaba adds one at a time per VPC
    const cv = world.addCidr(world.createVpc({ uid: c.uid, region }, '172.31.0.0/16').id, '172.30.0.0/16');
    const customer = new AliCustomer({
      endpoint,
      region,
      accessKeyId: c.accessKeyId,
      accessKeySecret: c.accessKeySecret,
      signature: 'v2',
    });
    return {
      target: {
        provider: 'alibaba',
        region,
        accountId: p.uid,
        endpoint,
        credentials: { accessKeyId: p.accessKeyId, secretAccessKey: p.accessKeySecret },
      },
      deploymentVpcId: pv.id,
      routeTableIds: [pv.routeTableId],
      customer: { accountId: c.uid, vpcId: cv.id, cidrs: ['172.31.0.0/16', '172.30.0.0/16'], region },
      request: () => customer.createConnection(cv.id, { uid: p.uid, vpcId: pv.id }),
      // longer than any asynchronous state of the simulator's defaults
      settle: () => clock.advance(30_000),
      unknownId: 'pcc-0000000000000000000a',
      customerRoutes: async (id) => {
        await customer.addRoute(cv.routeTableId, '10.11.0.0/16', id);
      },
    };
  },
});
