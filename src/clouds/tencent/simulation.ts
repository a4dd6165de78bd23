/**
 * Tencent Cloud in the simulator: the CCN world and its API 3.0 wire, `peerlink sim tencent`, the demo's accounts and
 * customer actions, the sweep benchmark's driver, and the end-to-end tests' fixture.
 */
import { defineSimulation, type FixtureContext } from '../sim/contract.js';
import { TcCustomer } from './customer.js';
import { tencentSimCommand } from './sim-cli.js';
import { TcWorld } from './sim-world.js';
import { TcSimulator } from './simulator.js';

export const TC_REGION = 'ap-guangzhou';
export const TC_PLATFORM_UIN = '100000000001';
export const TC_CUSTOMER_UIN = '200000000002';

/**
 * What the Tencent end-to-end tests work with: two deployments (VPCs 10.14/16 and 10.15/16) and the customer's side.
 */
export interface TencentFixture {
  world: TcWorld;
  deploymentId: string;
  secondDeploymentId: string;
  deploymentVpcId: string;
  secondVpcId: string;
  customer: TcCustomer;
  /** the customer's VPC (172.31.0.0/16) */
  vpcId: string;
  vpc(cidr: string): string;
}

async function fixture(ctx: FixtureContext<TcWorld>): Promise<TencentFixture> {
  const world = ctx.world;
  const platform = world.createAccount(TC_PLATFORM_UIN);
  const customer = world.createAccount(TC_CUSTOMER_UIN);
  const pv = world.createVpc({ uin: TC_PLATFORM_UIN, region: TC_REGION }, '10.14.0.0/16');
  const pv2 = world.createVpc({ uin: TC_PLATFORM_UIN, region: TC_REGION }, '10.15.0.0/16');
  const cv = world.createVpc({ uin: TC_CUSTOMER_UIN, region: TC_REGION }, '172.31.0.0/16');
  const account = await ctx.admin<{ id: string }>('/v1/admin/platform-accounts', {
    provider: 'tencent',
    region: TC_REGION,
    accountId: TC_PLATFORM_UIN,
    endpoint: ctx.endpoint,
    credentials: { accessKeyId: platform.secretId, secretAccessKey: platform.secretKey },
  });
  const common = {
    orgId: ctx.orgId,
    region: TC_REGION,
    platformAccountId: account.id,
    routeTableIds: [],
    plan: 'dedicated-professional',
  };
  const d1 = await ctx.admin<{ id: string }>('/v1/admin/deployments', {
    ...common,
    vpcId: pv.id,
    vpcCidr: pv.cidr,
    name: 'tc-broker',
  });
  const d2 = await ctx.admin<{ id: string }>('/v1/admin/deployments', {
    ...common,
    vpcId: pv2.id,
    vpcCidr: pv2.cidr,
    name: 'tc-broker-2',
  });
  return {
    world,
    deploymentId: d1.id,
    secondDeploymentId: d2.id,
    deploymentVpcId: pv.id,
    secondVpcId: pv2.id,
    customer: new TcCustomer({
      endpoint: ctx.endpoint,
      region: TC_REGION,
      secretId: customer.secretId,
      secretKey: customer.secretKey,
    }),
    vpcId: cv.id,
    vpc: (cidr) => world.createVpc({ uin: TC_CUSTOMER_UIN, region: TC_REGION }, cidr).id,
  };
}

export const tencentSimulation = defineSimulation<TcWorld, TencentFixture>({
  name: 'tencent',
  vocabulary: ['tencent', 'tccli', 'ccn', '云联网', '腾讯'],
  assumptions: [
    {
      name: 'applicantReadsCcn',
      question:
        'May the platform, applying to or attached to a CCN it does not own, read the CCN’s other attachments and ' +
        'its routes? Strict: no — its own rows only, and DescribeCcnRoutes refused.',
      permit: (w) => (w.options.assume.applicantReadsCcn = true),
    },
    {
      name: 'ccnlessListsApplications',
      question:
        'Does DescribeCcnAttachedInstances without CcnId list the caller’s instances in other accounts’ CCNs? ' +
        'Strict: no — only the attachments of its own CCNs.',
      permit: (w) => (w.options.assume.ccnlessListsApplications = true),
    },
    {
      name: 'sameCcnAnswersDuplicate',
      question:
        'Does a second application to the same CCN answer InvalidParameterValue.Duplicate? Strict: no — ' +
        'UnsupportedOperation.CcnAttached, as for another CCN.',
      permit: (w) => (w.options.assume.sameCcnAnswersDuplicate = true),
    },
    {
      name: 'reapplyAfterRejected',
      question:
        'May an instance apply again to a CCN whose owner rejected its application? Strict: no — ' +
        'UnsupportedOperation.InvalidState.',
      permit: (w) => (w.options.assume.reapplyAfterRejected = true),
    },
    {
      name: 'longApplicationTtl',
      question:
        'Does Tencent keep an unanswered application longer than Peerlink’s approval window? Strict: no — it ' +
        'expires after 5 minutes, and Peerlink re-applies within its window.',
      permit: (w) => (w.options.assume.longApplicationTtl = true),
    },
    {
      name: 'applicantWithdrawsPending',
      question:
        'May the applicant withdraw its PENDING application with DetachCcnInstances? Strict: no — ' +
        'UnsupportedOperation.CcnNotAttached.',
      permit: (w) => (w.options.assume.applicantWithdrawsPending = true),
    },
  ],
  createWorld: (clock) => new TcWorld(clock),
  wire: (world, faults) => new TcSimulator(world, faults),
  // the SDK posts to the host's root; the server tells Tencent's calls apart by their X-TC-Action header
  endpoint: (base) => base,
  command: tencentSimCommand,

  demo(world, endpoint) {
    const region = 'ap-guangzhou';
    const platform = world.createAccount('100011112222');
    const platformVpc = world.createVpc({ uin: platform.uin, region }, '10.14.0.0/16');
    const customer = world.createAccount('200033334444');
    const customerVpc = world.createVpc({ uin: customer.uin, region }, '172.29.0.0/16');
    const sdk = (r: string) =>
      new TcCustomer({ endpoint, region: r, secretId: customer.secretId, secretKey: customer.secretKey });
    let next = 65;
    return {
      account: {
        region,
        accountId: platform.uin,
        endpoint,
        credentials: { accessKeyId: platform.secretId, secretAccessKey: platform.secretKey },
      },
      deployments: [
        {
          id: 'dep-demo-tc',
          name: 'demo-broker-guangzhou',
          plan: 'dedicated-professional',
          region,
          vpcId: platformVpc.id,
          vpcCidr: '10.14.0.0/16',
          routeTableIds: [],
        },
      ],
      actions: [
        {
          key: 'request',
          label: { en: 'Create a CCN with my VPC', 'zh-CN': '创建云联网并关联我的 VPC' },
          stage: 'before-submit',
          async run(d) {
            if (next > 254) throw new Error('the demo ran out of customer CIDRs (10.65-254.0.0/16); restart the demo');
            const cidr = `10.${next++}.0.0/16`;
            const vpc = world.createVpc({ uin: customer.uin, region: d.region }, cidr);
            const ccn = await sdk(d.region).createCcn(`peerlink-demo-${next}`, vpc.id);
            return {
              values: { providerPeeringId: ccn, customerAccountId: customer.uin, customerCidrs: [cidr] },
              note: `CreateCcn: ${ccn}, with ${vpc.id} (${cidr}) attached`,
            };
          },
        },
        {
          key: 'approve',
          label: { en: 'Approve the request in my CCN', 'zh-CN': '在我的云联网中同意申请' },
          stage: 'after-submit',
          statuses: ['awaiting-customer'],
          async run(d, p) {
            if (!p) throw new Error('approve needs a peering');
            await sdk(d.region).approve(p.providerPeeringId, d.vpcId);
            return { values: {}, note: `AcceptAttachCcnInstances: ${d.vpcId} in ${p.providerPeeringId}` };
          },
        },
      ],
      env: ({ deploymentIds }) => ({
        TC_DEPLOYMENT_ID: deploymentIds[0] ?? '',
        TC_DEPLOYMENT_VPC_ID: platformVpc.id,
        TC_PLATFORM_UIN: platform.uin,
        PEERLINK_SIM_TENCENT_ENDPOINT: endpoint,
        TENCENTCLOUD_REGION: region,
        TENCENTCLOUD_SECRET_ID: customer.secretId,
        TENCENTCLOUD_SECRET_KEY: customer.secretKey,
        TC_CUSTOMER_UIN: customer.uin,
        TC_CUSTOMER_VPC_ID: customerVpc.id,
      }),
      summary: [
        `Tencent Cloud ${region}: platform UIN ${platform.uin}, deployment VPC ${platformVpc.id} (10.14.0.0/16)`,
        `    customer UIN ${customer.uin}, VPC ${customerVpc.id} (172.29.0.0/16)`,
      ],
    };
  },

  // One deployment VPC per peering (a VPC joins one CCN); 100 customer CCNs of 100 deployments each.
  bench: (() => {
    let ccn = '';
    return {
      region: TC_REGION,
      account(world, endpoint) {
        // the batched sweep lists the account's attachments without CcnId; whether that shows its applications to
        // customers' CCNs is not documented (where it does not, each running peering is described on its own)
        world.options.assume.ccnlessListsApplications = true;
        Object.assign(world.options, { attachingMs: 0, detachingMs: 0 });
        const a = world.createAccount(TC_PLATFORM_UIN);
        world.createAccount(TC_CUSTOMER_UIN);
        const credentials = { accessKeyId: a.secretId, secretAccessKey: a.secretKey };
        return { region: TC_REGION, accountId: a.uin, endpoint, credentials };
      },
      deployment(world, d) {
        ccn = world.createCcn({ uin: TC_CUSTOMER_UIN, region: TC_REGION }, `ccn${d}`).id;
        const cidr = `10.${100 + Math.floor(d / 256)}.${d % 256}.0/24`;
        const vpc = world.createVpc({ uin: TC_PLATFORM_UIN, region: TC_REGION }, cidr);
        return { vpcId: vpc.id, cidr, routeTableIds: [] };
      },
      connection(world, n) {
        const vpc = world.createVpc(
          { uin: TC_PLATFORM_UIN, region: TC_REGION },
          `10.${110 + (n >> 8)}.${n & 255}.0/24`,
        );
        world.attach({ uin: TC_PLATFORM_UIN, region: TC_REGION }, ccn, TC_CUSTOMER_UIN, [
          { instanceId: vpc.id, instanceRegion: TC_REGION },
        ]);
        world.accept({ uin: TC_CUSTOMER_UIN, region: TC_REGION }, ccn, [vpc.id]);
        return {
          id: ccn,
          customerAccountId: TC_CUSTOMER_UIN,
          customerVpcId: '',
          cidrs: ['172.16.0.0/16'],
          deploymentVpcId: vpc.id,
        };
      },
      deleteByCustomer(world, id, deploymentVpcId) {
        world.detach({ uin: TC_CUSTOMER_UIN, region: TC_REGION }, id, [deploymentVpcId]);
      },
    };
  })(),

  fixture,

  contract({ world, endpoint, clock }) {
    const region = TC_REGION;
    const p = world.createAccount(TC_PLATFORM_UIN);
    const c = world.createAccount(TC_CUSTOMER_UIN);
    const deploymentVpc = world.createVpc({ uin: p.uin, region }, '10.14.0.0/16').id;
    const customerVpc = world.createVpc({ uin: c.uin, region }, '172.31.0.0/16').id;
    const customer = new TcCustomer({ endpoint, region, secretId: c.secretId, secretKey: c.secretKey });
    let ccn = '';
    return {
      target: {
        provider: 'tencent',
        region,
        accountId: p.uin,
        endpoint,
        credentials: { accessKeyId: p.secretId, secretAccessKey: p.secretKey },
      },
      deploymentVpcId: deploymentVpc,
      routeTableIds: [],
      // the CCN's other VPCs are the customer's side only where the platform may read them; the CIDRs are typed
      customer: {
        accountId: c.uin,
        vpcId: '',
        cidrs: world.options.assume.applicantReadsCcn ? ['172.31.0.0/16'] : [],
        region,
      },
      routeCidrs: ['172.31.0.0/16'],
      listsConnections: world.options.assume.ccnlessListsApplications,
      request: async () => (ccn = await customer.createCcn('contract', customerVpc)),
      settle: () => clock.advance(30_000),
      approve: () => customer.approve(ccn, deploymentVpc),
      // the platform's deployment VPC asked into another customer CCN (pending counts: a VPC joins one CCN)
      joinElsewhere: async () => {
        const other = await customer.createCcn('other');
        world.attach({ uin: p.uin, region }, other, c.uin, [{ instanceId: deploymentVpc, instanceRegion: region }]);
      },
      unknownId: 'ccn-00000000',
    };
  },
});
