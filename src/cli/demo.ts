/**
 * `peerlink demo`: a fresh embedded database, the cloud simulator, and demo data — an organization with an API
 * key (printed once), a dedicated-professional and a trial AWS deployment, an Alibaba, a Huawei and a Tencent deployment, the
 * platform accounts, and a customer account with a VPC on each cloud — then serve. Writes data/demo.env so the README's commands can be pasted as they are.
 */
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startSimulator } from '../clouds/sim/index.js';
import { loadConfig } from '../config.js';
import { createPeerlink } from '../runtime.js';
import { OrgRepo } from '../store/orgs.js';
import { PlatformRepo } from '../store/platform.js';

export async function runDemo(o: { port: number; simPort: number; dataDir: string }): Promise<void> {
  mkdirSync(o.dataDir, { recursive: true });
  const database = join(o.dataDir, 'demo.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(database + suffix, { force: true });

  const sim = await startSimulator({ port: o.simPort, aws: { provisioningMs: 1_000 }, alibaba: { creatingMs: 1_000, updatingMs: 2_000, routePendingMs: 1_000 } });
  const region = 'us-east-1';
  const platform = sim.aws.createAccount('111122223333');
  const platformVpc = sim.aws.createVpc({ accountId: platform.id, region }, '10.11.0.0/16');
  const platformRtb = sim.aws.describeRouteTables({ accountId: platform.id, region }).find((t) => t.vpcId === platformVpc.id)!;
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

  const operatorToken = process.env.PEERLINK_OPERATOR_TOKEN ?? randomBytes(24).toString('base64url');
  const config = loadConfig(process.env, { database, port: o.port, operatorToken, sweepIntervalMs: 10_000 });
  const peerlink = await createPeerlink(config);
  const now = new Date();
  const orgs = new OrgRepo(peerlink.store.db);
  const catalog = new PlatformRepo(peerlink.store.db);
  const org = await orgs.create('Demo Org', now);
  const { key } = await orgs.issueKey(org.id, 'demo admin key', 'admin', now);
  const account = await catalog.addAccount({ provider: 'aws', region, accountId: platform.id, endpoint: sim.endpoints.aws, accessKeyId: platform.accessKeyId, secretAccessKey: platform.secretAccessKey }, now);
  const common = { orgId: org.id, provider: 'aws' as const, region, vpcId: platformVpc.id, vpcCidr: platformVpc.cidrs[0], platformAccountId: account.id, routeTableIds: [platformRtb.id] };
  const pro = await catalog.addDeployment({ ...common, id: 'dep-demo-pro', name: 'demo-broker', plan: 'dedicated-professional' }, now);
  const trial = await catalog.addDeployment({ ...common, id: 'dep-demo-trial', name: 'demo-trial', plan: 'trial' }, now);
  const aliAccount = await catalog.addAccount({ provider: 'alibaba', region: aliRegion, accountId: aliPlatform.uid, endpoint: sim.endpoints.alibaba, accessKeyId: aliPlatform.accessKeyId, secretAccessKey: aliPlatform.accessKeySecret }, now);
  const ali = await catalog.addDeployment({ orgId: org.id, provider: 'alibaba', region: aliRegion, vpcId: aliPlatformVpc.id, vpcCidr: aliPlatformVpc.cidrs[0], platformAccountId: aliAccount.id, routeTableIds: [aliPlatformVpc.routeTableId], id: 'dep-demo-ali', name: 'demo-broker-hangzhou', plan: 'dedicated-professional' }, now);
  const hwAccount = await catalog.addAccount({ provider: 'huawei', region: hwRegion, accountId: hwPlatform.projectId, endpoint: sim.endpoints.huawei, accessKeyId: hwPlatform.ak, secretAccessKey: hwPlatform.sk }, now);
  const hw = await catalog.addDeployment({ orgId: org.id, provider: 'huawei', region: hwRegion, vpcId: hwPlatformVpc.id, vpcCidr: hwPlatformVpc.cidr, platformAccountId: hwAccount.id, routeTableIds: [hwPlatformVpc.routeTableId], id: 'dep-demo-hw', name: 'demo-broker-beijing4', plan: 'dedicated-professional' }, now);
  const tcAccount = await catalog.addAccount({ provider: 'tencent', region: tcRegion, accountId: tcPlatform.uin, endpoint: sim.endpoints.tencent, accessKeyId: tcPlatform.secretId, secretAccessKey: tcPlatform.secretKey }, now);
  const tc = await catalog.addDeployment({ orgId: org.id, provider: 'tencent', region: tcRegion, vpcId: tcPlatformVpc.id, vpcCidr: tcPlatformVpc.cidr, platformAccountId: tcAccount.id, routeTableIds: ['rtb-default'], id: 'dep-demo-tc', name: 'demo-broker-guangzhou', plan: 'dedicated-professional' }, now);
  const url = await peerlink.listen();

  const env = {
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
  const envFile = join(o.dataDir, 'demo.env');
  writeFileSync(envFile, Object.entries(env).map(([k, v]) => `export ${k}=${v}`).join('\n') + '\n', { mode: 0o600 });

  console.log(`
Peerlink demo is running.

  API           ${url}            (interactive docs: ${url}/docs, OpenAPI: ${url}/openapi.json)
  Simulator     ${sim.url}        (AWS EC2: ${sim.endpoints.aws}; Alibaba Cloud: ${sim.endpoints.alibaba}; Huawei Cloud: ${sim.endpoints.huawei}; Tencent Cloud: ${sim.endpoints.tencent})
  Database      ${database}

  Organization  ${org.name} (${org.id})
  API key       ${key}
                (shown once; only its hash is stored — also written to ${envFile} for the README walk-through)
  Operator      ${operatorToken}

  Deployments   ${pro.id}  dedicated-professional  AWS ${region}  VPC ${platformVpc.id}  CIDR ${platformVpc.cidrs[0]}
                ${trial.id}  trial (peering not allowed)
                ${ali.id}    dedicated-professional  Alibaba ${aliRegion}  VPC ${aliPlatformVpc.id}  CIDR ${aliPlatformVpc.cidrs[0]}
                ${hw.id}     dedicated-professional  Huawei ${hwRegion}  VPC ${hwPlatformVpc.id}  CIDR ${hwPlatformVpc.cidr}
                ${tc.id}     dedicated-professional  Tencent ${tcRegion}  VPC ${tcPlatformVpc.id}  CIDR ${tcPlatformVpc.cidr}
  Platform accounts      AWS ${platform.id}; Alibaba UID ${aliPlatform.uid}; Huawei project ${hwPlatform.projectId}; Tencent UIN ${tcPlatform.uin}
  Customer accounts      AWS ${customer.id}, VPC ${customerVpc.id} (172.31.0.0/16)
                         Alibaba UID ${aliCustomer.uid}, VPC ${aliCustomerVpc.id} (172.30.0.0/16)
                         Huawei project ${hwCustomer.projectId}, VPC ${hwCustomerVpc.id} (192.168.0.0/16)
                         Tencent UIN ${tcCustomer.uin}, VPC ${tcCustomerVpc.id} (172.29.0.0/16)

In another terminal:  source ${envFile}   then follow the README.
Press Ctrl+C to stop.
`);
  const stop = async () => {
    await peerlink.close();
    await sim.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
