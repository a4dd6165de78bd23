/**
 * The demo's world, shared by `peerlink demo` and the browser tests: in the simulator, a platform and a customer
 * account with a VPC on each of the four clouds; in Peerlink's database, an organization with an API key, the
 * platform accounts and one dedicated-professional deployment per cloud (plus a trial one that cannot peer).
 */
import { randomBytes } from 'node:crypto';
import type { Simulator } from '../clouds/sim/index.js';
import type { Store } from '../store/db.js';
import { OrgRepo } from '../store/orgs.js';
import { PlatformRepo } from '../store/platform.js';
import type { DemoCustomers } from './kit.js';

export type DemoClouds = ReturnType<typeof seedClouds>;

export function seedClouds(sim: Simulator) {
  const region = 'us-east-1';
  const platform = sim.aws.createAccount('111122223333');
  const platformVpc = sim.aws.createVpc({ accountId: platform.id, region }, '10.11.0.0/16');
  const platformRtb = sim.aws
    .describeRouteTables({ accountId: platform.id, region })
    .find((t) => t.vpcId === platformVpc.id)!;
  const customer = sim.aws.createAccount('444455556666');
  const customerVpc = sim.aws.createVpc({ accountId: customer.id, region }, '172.31.0.0/16');
  const aliRegion = 'cn-hangzhou';
  const aliPlatform = sim.alibaba.createAccount('1234567890123456');
  const aliPlatformVpc = sim.alibaba.createVpc({ uid: aliPlatform.uid, region: aliRegion }, '10.12.0.0/16');
  const aliCustomer = sim.alibaba.createAccount('6543210987654321');
  const aliCustomerVpc = sim.alibaba.createVpc({ uid: aliCustomer.uid, region: aliRegion }, '172.30.0.0/16');
  const hwRegion = 'cn-north-4';
  const hwPlatform = sim.huawei.createProject(hwRegion, '0a1b2c3d4e5f60718293a4b5c6d7e8f9');
  const hwPlatformVpc = sim.huawei.createVpc({ projectId: hwPlatform.projectId, region: hwRegion }, '10.13.0.0/16');
  const hwCustomer = sim.huawei.createProject(hwRegion, 'f9e8d7c6b5a4938271605f4e3d2c1b0a');
  const hwCustomerVpc = sim.huawei.createVpc({ projectId: hwCustomer.projectId, region: hwRegion }, '192.168.0.0/16');
  const tcRegion = 'ap-guangzhou';
  const tcPlatform = sim.tencent.createAccount('100011112222');
  const tcPlatformVpc = sim.tencent.createVpc({ uin: tcPlatform.uin, region: tcRegion }, '10.14.0.0/16');
  const tcCustomer = sim.tencent.createAccount('200033334444');
  const tcCustomerVpc = sim.tencent.createVpc({ uin: tcCustomer.uin, region: tcRegion }, '172.29.0.0/16');

  const customers: DemoCustomers = {
    aws: { accountId: customer.id, accessKeyId: customer.accessKeyId, secretAccessKey: customer.secretAccessKey },
    alibaba: {
      uid: aliCustomer.uid,
      accessKeyId: aliCustomer.accessKeyId,
      accessKeySecret: aliCustomer.accessKeySecret,
    },
    huawei: { projectId: hwCustomer.projectId, region: hwRegion, ak: hwCustomer.ak, sk: hwCustomer.sk },
    tencent: { uin: tcCustomer.uin, secretId: tcCustomer.secretId, secretKey: tcCustomer.secretKey },
  };
  return {
    region,
    platform,
    platformVpc,
    platformRtb,
    customer,
    customerVpc,
    aliRegion,
    aliPlatform,
    aliPlatformVpc,
    aliCustomer,
    aliCustomerVpc,
    hwRegion,
    hwPlatform,
    hwPlatformVpc,
    hwCustomer,
    hwCustomerVpc,
    tcRegion,
    tcPlatform,
    tcPlatformVpc,
    tcCustomer,
    tcCustomerVpc,
    customers,
  };
}

export async function seedCatalog(store: Store, sim: Simulator, w: DemoClouds) {
  const {
    region,
    platform,
    platformVpc,
    platformRtb,
    aliRegion,
    aliPlatform,
    aliPlatformVpc,
    hwRegion,
    hwPlatform,
    hwPlatformVpc,
    tcRegion,
    tcPlatform,
    tcPlatformVpc,
  } = w;
  const now = new Date();
  const orgs = new OrgRepo(store.db);
  const catalog = new PlatformRepo(store.db);
  const org = await orgs.create('Demo Org', now);
  const { key } = await orgs.issueKey(org.id, 'demo admin key', 'admin', now);
  const account = await catalog.addAccount(
    {
      provider: 'aws',
      region,
      accountId: platform.id,
      endpoint: sim.endpoints.aws,
      accessKeyId: platform.accessKeyId,
      secretAccessKey: platform.secretAccessKey,
    },
    now,
  );
  const common = {
    orgId: org.id,
    provider: 'aws' as const,
    region,
    vpcId: platformVpc.id,
    vpcCidr: platformVpc.cidrs[0],
    platformAccountId: account.id,
    routeTableIds: [platformRtb.id],
  };
  const pro = await catalog.addDeployment(
    { ...common, id: 'dep-demo-pro', name: 'demo-broker', plan: 'dedicated-professional' },
    now,
  );
  const trial = await catalog.addDeployment(
    { ...common, id: 'dep-demo-trial', name: 'demo-trial', plan: 'trial' },
    now,
  );
  const aliAccount = await catalog.addAccount(
    {
      provider: 'alibaba',
      region: aliRegion,
      accountId: aliPlatform.uid,
      endpoint: sim.endpoints.alibaba,
      accessKeyId: aliPlatform.accessKeyId,
      secretAccessKey: aliPlatform.accessKeySecret,
    },
    now,
  );
  const ali = await catalog.addDeployment(
    {
      orgId: org.id,
      provider: 'alibaba',
      region: aliRegion,
      vpcId: aliPlatformVpc.id,
      vpcCidr: aliPlatformVpc.cidrs[0],
      platformAccountId: aliAccount.id,
      routeTableIds: [aliPlatformVpc.routeTableId],
      id: 'dep-demo-ali',
      name: 'demo-broker-hangzhou',
      plan: 'dedicated-professional',
    },
    now,
  );
  const hwAccount = await catalog.addAccount(
    {
      provider: 'huawei',
      region: hwRegion,
      accountId: hwPlatform.projectId,
      endpoint: sim.endpoints.huawei,
      accessKeyId: hwPlatform.ak,
      secretAccessKey: hwPlatform.sk,
    },
    now,
  );
  const hw = await catalog.addDeployment(
    {
      orgId: org.id,
      provider: 'huawei',
      region: hwRegion,
      vpcId: hwPlatformVpc.id,
      vpcCidr: hwPlatformVpc.cidr,
      platformAccountId: hwAccount.id,
      routeTableIds: [hwPlatformVpc.routeTableId],
      id: 'dep-demo-hw',
      name: 'demo-broker-beijing4',
      plan: 'dedicated-professional',
    },
    now,
  );
  const tcAccount = await catalog.addAccount(
    {
      provider: 'tencent',
      region: tcRegion,
      accountId: tcPlatform.uin,
      endpoint: sim.endpoints.tencent,
      accessKeyId: tcPlatform.secretId,
      secretAccessKey: tcPlatform.secretKey,
    },
    now,
  );
  const tc = await catalog.addDeployment(
    {
      orgId: org.id,
      provider: 'tencent',
      region: tcRegion,
      vpcId: tcPlatformVpc.id,
      vpcCidr: tcPlatformVpc.cidr,
      platformAccountId: tcAccount.id,
      routeTableIds: ['rtb-default'],
      id: 'dep-demo-tc',
      name: 'demo-broker-guangzhou',
      plan: 'dedicated-professional',
    },
    now,
  );
  return { org, key, pro, trial, ali, hw, tc };
}

export type DemoCatalog = Awaited<ReturnType<typeof seedCatalog>>;

/** Everything the README walk-through needs, as shell variables (written to data/demo.env). */
export function demoEnv(
  sim: Simulator,
  w: DemoClouds,
  cat: DemoCatalog,
  url: string,
  operatorToken: string,
): Record<string, string> {
  const {
    region,
    platform,
    platformVpc,
    customer,
    customerVpc,
    aliRegion,
    aliPlatform,
    aliPlatformVpc,
    aliCustomer,
    aliCustomerVpc,
    hwPlatform,
    hwPlatformVpc,
    hwCustomer,
    hwCustomerVpc,
    tcRegion,
    tcPlatform,
    tcPlatformVpc,
    tcCustomer,
    tcCustomerVpc,
  } = w;
  const { key, pro, trial, ali, hw, tc } = cat;
  return {
    PEERLINK_URL: url,
    PEERLINK_API_KEY: key,
    PEERLINK_OPERATOR_TOKEN: operatorToken,
    DEPLOYMENT_ID: pro.id,
    TRIAL_DEPLOYMENT_ID: trial.id,
    DEPLOYMENT_VPC_ID: platformVpc.id,
    PLATFORM_ACCOUNT_ID: platform.id,
    PEERLINK_SIM_AWS_ENDPOINT: sim.endpoints.aws,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: customer.accessKeyId,
    AWS_SECRET_ACCESS_KEY: customer.secretAccessKey,
    CUSTOMER_ACCOUNT_ID: customer.id,
    CUSTOMER_VPC_ID: customerVpc.id,
    PLATFORM_AWS_ACCESS_KEY_ID: platform.accessKeyId,
    PLATFORM_AWS_SECRET_ACCESS_KEY: platform.secretAccessKey,
    ALI_DEPLOYMENT_ID: ali.id,
    ALI_DEPLOYMENT_VPC_ID: aliPlatformVpc.id,
    ALI_PLATFORM_UID: aliPlatform.uid,
    ALI_PLATFORM_ROUTE_TABLE_ID: aliPlatformVpc.routeTableId,
    PEERLINK_SIM_ALIBABA_ENDPOINT: sim.endpoints.alibaba,
    ALIBABA_CLOUD_REGION_ID: aliRegion,
    ALIBABA_CLOUD_ACCESS_KEY_ID: aliCustomer.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: aliCustomer.accessKeySecret,
    ALI_CUSTOMER_VPC_ID: aliCustomerVpc.id,
    ALI_CUSTOMER_ROUTE_TABLE_ID: aliCustomerVpc.routeTableId,
    PLATFORM_ALIBABA_ACCESS_KEY_ID: aliPlatform.accessKeyId,
    PLATFORM_ALIBABA_ACCESS_KEY_SECRET: aliPlatform.accessKeySecret,
    HW_DEPLOYMENT_ID: hw.id,
    HW_DEPLOYMENT_VPC_ID: hwPlatformVpc.id,
    HW_PLATFORM_PROJECT_ID: hwPlatform.projectId,
    HW_PLATFORM_ROUTE_TABLE_ID: hwPlatformVpc.routeTableId,
    PEERLINK_SIM_HUAWEI_ENDPOINT: sim.endpoints.huawei,
    HUAWEICLOUD_SDK_AK: hwCustomer.ak,
    HUAWEICLOUD_SDK_SK: hwCustomer.sk,
    HUAWEICLOUD_SDK_PROJECT_ID: hwCustomer.projectId,
    HW_CUSTOMER_VPC_ID: hwCustomerVpc.id,
    HW_CUSTOMER_ROUTE_TABLE_ID: hwCustomerVpc.routeTableId,
    PLATFORM_HUAWEI_AK: hwPlatform.ak,
    PLATFORM_HUAWEI_SK: hwPlatform.sk,
    TC_DEPLOYMENT_ID: tc.id,
    TC_DEPLOYMENT_VPC_ID: tcPlatformVpc.id,
    TC_PLATFORM_UIN: tcPlatform.uin,
    PEERLINK_SIM_TENCENT_ENDPOINT: sim.endpoints.tencent,
    TENCENTCLOUD_REGION: tcRegion,
    TENCENTCLOUD_SECRET_ID: tcCustomer.secretId,
    TENCENTCLOUD_SECRET_KEY: tcCustomer.secretKey,
    TC_CUSTOMER_UIN: tcCustomer.uin,
    TC_CUSTOMER_VPC_ID: tcCustomerVpc.id,
  };
}

export const newOperatorToken = () => randomBytes(24).toString('base64url');
