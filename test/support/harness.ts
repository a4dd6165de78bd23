/**
 * A whole Peerlink for a test: the simulator in-process, Peerlink on SQLite listening on a loopback port, the
 * operator setup done through the admin API, and the customer's side driven with the official AWS SDK.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EC2Client, CreateVpcPeeringConnectionCommand } from '@aws-sdk/client-ec2';
import { startSimulator, type Simulator } from '../../src/clouds/sim/index.js';
import { AliCustomer } from '../../src/clouds/alibaba/customer.js';
import { HwCustomer } from '../../src/clouds/huawei/customer.js';
import { TcCustomer } from '../../src/clouds/tencent/customer.js';
import { createPeerlink, type Peerlink } from '../../src/runtime.js';
import { loadConfig, type Config } from '../../src/config.js';
import { freshDatabase } from './databases.js';
import type { Logger } from 'pino';

export const REGION = 'us-east-1';
export const PLATFORM_ACCOUNT = '111111111111';
export const CUSTOMER_ACCOUNT = '222222222222';
export const OPERATOR_TOKEN = 'operator-token-for-tests-only';
export const ALI_REGION = 'cn-hangzhou';
export const ALI_PLATFORM_UID = '253460731706911258';
export const ALI_CUSTOMER_UID = '1210123456123456';
export const TC_REGION = 'ap-guangzhou';
export const TC_PLATFORM_UIN = '100000000001';
export const TC_CUSTOMER_UIN = '200000000002';
export const HW_REGION = 'cn-north-4';
export const HW_PLATFORM_PROJECT = '059a737356594b41b447b557bf0aae56';
export const HW_CUSTOMER_PROJECT = 'f65e9ebcd5d418b4a931a9a723718ba4';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface Harness {
  sim: Simulator;
  peerlink: Peerlink;
  url: string;
  dir: string;
  apiKey: string;
  orgId: string;
  proDeploymentId: string;
  trialDeploymentId: string;
  platformVpc: { vpcId: string; routeTableId: string; cidr: string };
  customer: { ec2: EC2Client; vpcId: string; accountId: string };
  /** an Alibaba deployment and the customer's side of Alibaba Cloud (its SDK client, a VPC 172.31.0.0/16) */
  /** two Tencent deployments (VPCs 10.14/16 and 10.15/16) and the customer's side of Tencent Cloud (a VPC 172.31/16, its SDK client) */
  tencent: {
    deploymentId: string;
    secondDeploymentId: string;
    deploymentVpcId: string;
    secondVpcId: string;
    customer: TcCustomer;
    vpcId: string;
    vpc(cidr: string): string;
  };
  /** stops Peerlink and starts a new one on the same database (the simulator and its clock go on) */
  restart(): Promise<void>;
  /** a Huawei deployment and the customer's side of Huawei Cloud (its SDK client, a VPC 192.168.0.0/16) */
  huawei: {
    deploymentId: string;
    platformVpc: { vpcId: string; routeTableId: string; cidr: string };
    customer: HwCustomer;
    vpcId: string;
    routeTableId: string;
    vpc(cidr: string): { id: string; routeTableId: string };
  };
  alibaba: {
    deploymentId: string;
    platformVpc: { vpcId: string; routeTableId: string; cidr: string };
    customer: AliCustomer;
    vpcId: string;
    routeTableId: string;
    vpc(cidr: string, region?: string): { id: string; routeTableId: string };
  };
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    opts?: { key?: string | null; lang?: string; idem?: string },
  ): Promise<ApiResponse<T>>;
  /** a customer-side VPC in the simulator (optionally another account) */
  customerVpc(cidr: string, region?: string): string;
  /** the customer creates a peering request to the deployment VPC, with the official SDK */
  requestPeering(vpcId?: string, peerVpcId?: string): Promise<string>;
  waitFor<T>(path: string, until: (body: T) => boolean, timeoutMs?: number): Promise<T>;
  /** polls a peering, moving the shared clock forward each time so waits and backoff pass quickly */
  drive<T = Record<string, unknown>>(
    peeringId: string,
    until: (p: T) => boolean,
    stepMs?: number,
    timeoutMs?: number,
  ): Promise<T>;
  close(): Promise<void>;
}

export async function startHarness(
  overrides: Partial<Config> = {},
  options: { database?: string; startReconciler?: boolean; log?: Logger } = {},
): Promise<Harness> {
  const sim = await startSimulator();
  const dir = mkdtempSync(join(tmpdir(), 'peerlink-test-'));
  const platform = sim.aws.createAccount(PLATFORM_ACCOUNT);
  const customerAccount = sim.aws.createAccount(CUSTOMER_ACCOUNT);
  const pv = sim.aws.createVpc({ accountId: platform.id, region: REGION }, '10.11.0.0/16');
  const platformVpc = {
    vpcId: pv.id,
    routeTableId: sim.aws.describeRouteTables({ accountId: platform.id, region: REGION })[0].id,
    cidr: '10.11.0.0/16',
  };
  const customerVpcId = sim.aws.createVpc({ accountId: customerAccount.id, region: REGION }, '172.31.0.0/16').id;
  const database = await freshDatabase(dir);
  const aliPlatform = sim.alibaba.createAccount(ALI_PLATFORM_UID);
  const aliCustomer = sim.alibaba.createAccount(ALI_CUSTOMER_UID);
  const aliPv = sim.alibaba.createVpc({ uid: ALI_PLATFORM_UID, region: ALI_REGION }, '10.12.0.0/16');
  const aliCv = sim.alibaba.createVpc({ uid: ALI_CUSTOMER_UID, region: ALI_REGION }, '172.31.0.0/16');
  const hwPlatform = sim.huawei.createProject(HW_REGION, HW_PLATFORM_PROJECT);
  const hwCustomer = sim.huawei.createProject(HW_REGION, HW_CUSTOMER_PROJECT);
  const hwPv = sim.huawei.createVpc({ projectId: HW_PLATFORM_PROJECT, region: HW_REGION }, '10.13.0.0/16');
  const hwCv = sim.huawei.createVpc({ projectId: HW_CUSTOMER_PROJECT, region: HW_REGION }, '192.168.0.0/16');
  const tcPlatform = sim.tencent.createAccount(TC_PLATFORM_UIN);
  const tcCustomer = sim.tencent.createAccount(TC_CUSTOMER_UIN);
  const tcPv = sim.tencent.createVpc({ uin: TC_PLATFORM_UIN, region: TC_REGION }, '10.14.0.0/16');
  const tcPv2 = sim.tencent.createVpc({ uin: TC_PLATFORM_UIN, region: TC_REGION }, '10.15.0.0/16');
  const tcCv = sim.tencent.createVpc({ uin: TC_CUSTOMER_UIN, region: TC_REGION }, '172.31.0.0/16');
  const config = loadConfig(
    {},
    {
      database: options.database ?? database.url,
      port: 0,
      operatorToken: OPERATOR_TOKEN,
      logLevel: 'silent',
      tickMs: 50,
      sweepIntervalMs: 3_600_000,
      ...overrides,
    },
  );
  // Peerlink and the simulated clouds share one clock, so tests can move time (expiry, deadlines, backoff).
  let peerlink = await createPeerlink(config, {
    clock: sim.clock,
    startReconciler: options.startReconciler,
    log: options.log,
  });
  let url = await peerlink.listen();

  async function api<T>(
    method: string,
    path: string,
    body?: unknown,
    opts: { key?: string | null; lang?: string; idem?: string } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    const key = opts.key === undefined ? h.apiKey : opts.key;
    if (key) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (opts.lang) headers['accept-language'] = opts.lang;
    if (opts.idem) headers['idempotency-key'] = opts.idem;
    const res = await fetch(`${url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
  }

  const op = { key: OPERATOR_TOKEN };
  const org = await api<{ org: { id: string }; apiKey: { key: string } }>(
    'POST',
    '/v1/admin/orgs',
    { name: 'Acme' },
    op,
  );
  const account = await api<{ id: string }>(
    'POST',
    '/v1/admin/platform-accounts',
    {
      provider: 'aws',
      region: REGION,
      accountId: platform.id,
      endpoint: sim.endpoints.aws,
      accessKeyId: platform.accessKeyId,
      secretAccessKey: platform.secretAccessKey,
    },
    op,
  );
  const common = {
    orgId: org.body.org.id,
    region: REGION,
    vpcId: pv.id,
    vpcCidr: pv.cidrs[0],
    platformAccountId: account.body.id,
    routeTableIds: [platformVpc.routeTableId],
  };
  const pro = await api<{ id: string }>(
    'POST',
    '/v1/admin/deployments',
    { ...common, name: 'prod-broker', plan: 'dedicated-professional' },
    op,
  );
  const trial = await api<{ id: string }>(
    'POST',
    '/v1/admin/deployments',
    { ...common, name: 'trial-broker', plan: 'trial' },
    op,
  );
  const aliAccount = await api<{ id: string }>(
    'POST',
    '/v1/admin/platform-accounts',
    {
      provider: 'alibaba',
      region: ALI_REGION,
      accountId: ALI_PLATFORM_UID,
      endpoint: sim.endpoints.alibaba,
      accessKeyId: aliPlatform.accessKeyId,
      secretAccessKey: aliPlatform.accessKeySecret,
    },
    op,
  );
  const aliPro = await api<{ id: string }>(
    'POST',
    '/v1/admin/deployments',
    {
      orgId: org.body.org.id,
      region: ALI_REGION,
      vpcId: aliPv.id,
      vpcCidr: aliPv.cidrs[0],
      platformAccountId: aliAccount.body.id,
      routeTableIds: [aliPv.routeTableId],
      name: 'ali-broker',
      plan: 'dedicated-professional',
    },
    op,
  );
  const hwAccount = await api<{ id: string }>(
    'POST',
    '/v1/admin/platform-accounts',
    {
      provider: 'huawei',
      region: HW_REGION,
      accountId: HW_PLATFORM_PROJECT,
      endpoint: sim.endpoints.huawei,
      accessKeyId: hwPlatform.ak,
      secretAccessKey: hwPlatform.sk,
    },
    op,
  );
  const hwPro = await api<{ id: string }>(
    'POST',
    '/v1/admin/deployments',
    {
      orgId: org.body.org.id,
      region: HW_REGION,
      vpcId: hwPv.id,
      vpcCidr: hwPv.cidr,
      platformAccountId: hwAccount.body.id,
      routeTableIds: [hwPv.routeTableId],
      name: 'hw-broker',
      plan: 'dedicated-professional',
    },
    op,
  );
  const tcAccount = await api<{ id: string }>(
    'POST',
    '/v1/admin/platform-accounts',
    {
      provider: 'tencent',
      region: TC_REGION,
      accountId: TC_PLATFORM_UIN,
      endpoint: sim.endpoints.tencent,
      accessKeyId: tcPlatform.secretId,
      secretAccessKey: tcPlatform.secretKey,
    },
    op,
  );
  const tcCommon = {
    orgId: org.body.org.id,
    region: TC_REGION,
    platformAccountId: tcAccount.body.id,
    routeTableIds: ['rtb-default'],
    plan: 'dedicated-professional',
  };
  const tcPro = await api<{ id: string }>(
    'POST',
    '/v1/admin/deployments',
    { ...tcCommon, vpcId: tcPv.id, vpcCidr: tcPv.cidr, name: 'tc-broker' },
    op,
  );
  const tcPro2 = await api<{ id: string }>(
    'POST',
    '/v1/admin/deployments',
    { ...tcCommon, vpcId: tcPv2.id, vpcCidr: tcPv2.cidr, name: 'tc-broker-2' },
    op,
  );
  if (tcPro.status !== 201 || tcPro2.status !== 201)
    throw new Error(`harness setup failed: ${JSON.stringify([tcAccount.body, tcPro.body, tcPro2.body])}`);
  if (pro.status !== 201 || trial.status !== 201 || aliPro.status !== 201 || hwPro.status !== 201)
    throw new Error(
      `harness setup failed: ${JSON.stringify([org.body, account.body, pro.body, trial.body, aliAccount.body, aliPro.body, hwAccount.body, hwPro.body])}`,
    );

  const ec2 = new EC2Client({
    region: REGION,
    endpoint: sim.endpoints.aws,
    credentials: { accessKeyId: customerAccount.accessKeyId, secretAccessKey: customerAccount.secretAccessKey },
    maxAttempts: 1,
  });
  const h: Harness = {
    sim,
    peerlink,
    url,
    dir,
    apiKey: org.body.apiKey.key,
    orgId: org.body.org.id,
    proDeploymentId: pro.body.id,
    trialDeploymentId: trial.body.id,
    platformVpc,
    customer: { ec2, vpcId: customerVpcId, accountId: customerAccount.id },
    tencent: {
      deploymentId: tcPro.body.id,
      secondDeploymentId: tcPro2.body.id,
      deploymentVpcId: tcPv.id,
      secondVpcId: tcPv2.id,
      customer: new TcCustomer({
        endpoint: sim.endpoints.tencent,
        region: TC_REGION,
        secretId: tcCustomer.secretId,
        secretKey: tcCustomer.secretKey,
      }),
      vpcId: tcCv.id,
      vpc: (cidr) => sim.tencent.createVpc({ uin: TC_CUSTOMER_UIN, region: TC_REGION }, cidr).id,
    },
    async restart() {
      await peerlink.close();
      peerlink = await createPeerlink(config, {
        clock: sim.clock,
        startReconciler: options.startReconciler,
        log: options.log,
      });
      url = await peerlink.listen();
      h.peerlink = peerlink;
      h.url = url;
    },
    huawei: {
      deploymentId: hwPro.body.id,
      platformVpc: { vpcId: hwPv.id, routeTableId: hwPv.routeTableId, cidr: hwPv.cidr },
      customer: new HwCustomer({
        endpoint: sim.endpoints.huawei,
        ak: hwCustomer.ak,
        sk: hwCustomer.sk,
        projectId: HW_CUSTOMER_PROJECT,
      }),
      vpcId: hwCv.id,
      routeTableId: hwCv.routeTableId,
      vpc: (cidr) => sim.huawei.createVpc({ projectId: HW_CUSTOMER_PROJECT, region: HW_REGION }, cidr),
    },
    alibaba: {
      deploymentId: aliPro.body.id,
      platformVpc: { vpcId: aliPv.id, routeTableId: aliPv.routeTableId, cidr: aliPv.cidrs[0] },
      customer: new AliCustomer({
        endpoint: sim.endpoints.alibaba,
        region: ALI_REGION,
        accessKeyId: aliCustomer.accessKeyId,
        accessKeySecret: aliCustomer.accessKeySecret,
      }),
      vpcId: aliCv.id,
      routeTableId: aliCv.routeTableId,
      vpc: (cidr, region = ALI_REGION) => sim.alibaba.createVpc({ uid: ALI_CUSTOMER_UID, region }, cidr),
    },
    api,
    customerVpc: (cidr, region = REGION) => sim.aws.createVpc({ accountId: customerAccount.id, region }, cidr).id,
    async requestPeering(vpcId = customerVpcId, peerVpcId = pv.id) {
      const region = sim.aws.vpcs.get(vpcId)?.region ?? REGION;
      const client =
        region === REGION
          ? ec2
          : new EC2Client({
              region,
              endpoint: sim.endpoints.aws,
              credentials: {
                accessKeyId: customerAccount.accessKeyId,
                secretAccessKey: customerAccount.secretAccessKey,
              },
              maxAttempts: 1,
            });
      const out = await client.send(
        new CreateVpcPeeringConnectionCommand({
          VpcId: vpcId,
          PeerVpcId: peerVpcId,
          PeerOwnerId: PLATFORM_ACCOUNT,
          PeerRegion: REGION,
        }),
      );
      return out.VpcPeeringConnection!.VpcPeeringConnectionId!;
    },
    async waitFor<T>(path: string, until: (body: T) => boolean, timeoutMs = 5_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      let last: T | undefined;
      while (Date.now() < deadline) {
        const r = await api<T>('GET', path);
        last = r.body;
        if (r.status === 200 && until(r.body)) return r.body;
        await new Promise((res) => setTimeout(res, 20));
      }
      throw new Error(`timed out waiting on ${path}; last: ${JSON.stringify(last)}`);
    },
    async drive<T>(peeringId: string, until: (p: T) => boolean, stepMs = 2_000, timeoutMs = 10_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      let last: T | undefined;
      while (Date.now() < deadline) {
        last = (await api<T>('GET', `/v1/peerings/${peeringId}`)).body;
        if (until(last)) return last;
        sim.clock.advance(stepMs);
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`peering ${peeringId} never got there; last: ${JSON.stringify(last)}`);
    },
    async close() {
      await peerlink.close();
      await sim.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

export function submitBody(h: Harness, pcx: string, over: Record<string, unknown> = {}) {
  return {
    deploymentId: h.proDeploymentId,
    providerPeeringId: pcx,
    customerAccountId: h.customer.accountId,
    customerVpcId: h.customer.vpcId,
    ...over,
  };
}
