/**
 * Benchmarks (npm run bench). Prints figures; asserts nothing. Recorded in docs/PERFORMANCE.md.
 *  1. Provider calls per sweep for N running peerings (batched per account+region) vs one describe per peering.
 *  2. Platform overhead from submit to running against the zero-latency simulator (p50, p99).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startSimulator } from '../src/clouds/sim/index.js';
import { AwsAdapter } from '../src/clouds/aws/adapter.js';
import { AlibabaAdapter } from '../src/clouds/alibaba/adapter.js';
import { HuaweiAdapter } from '../src/clouds/huawei/adapter.js';
import { TencentAdapter } from '../src/clouds/tencent/adapter.js';
import type { PeeringAdapter } from '../src/clouds/provider.js';
import type { Simulator } from '../src/clouds/sim/index.js';
import { createPeerlink } from '../src/runtime.js';
import { loadConfig } from '../src/config.js';
import { OrgRepo } from '../src/store/orgs.js';
import { PlatformRepo } from '../src/store/platform.js';
import { newId } from '../src/store/ids.js';
import { httpBench } from './http.js';
import { convergeBench } from './converge.js';

// The AWS SDK's once-only 'Node >= 22 from 2027' notice would land in the middle of the figures.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const REGION = 'us-east-1';
const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const SWEEP_N = Number(args.get('peerings') ?? 10_000);
const SUBMIT_N = Number(args.get('submits') ?? 300);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function setup(quota: number) {
  const sim = await startSimulator();
  const dir = mkdtempSync(join(tmpdir(), 'peerlink-bench-'));
  const config = loadConfig(
    {},
    {
      database: join(dir, 'bench.db'),
      port: 0,
      operatorToken: 'bench-operator-token',
      logLevel: 'silent',
      tickMs: 1_000,
      sweepIntervalMs: 3_600_000,
      peeringQuota: quota,
    },
  );
  const peerlink = await createPeerlink(config, { log: pino({ level: 'silent' }) });
  const now = new Date();
  const org = await new OrgRepo(peerlink.store.db).create('bench', now);
  const { key } = await new OrgRepo(peerlink.store.db).issueKey(org.id, 'bench', 'admin', now);
  const catalog = new PlatformRepo(peerlink.store.db);
  return {
    sim,
    dir,
    peerlink,
    org,
    key,
    catalog,
    close: async () => {
      await peerlink.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What the sweep benchmark needs of one cloud's simulator: a deployment, a running connection, a customer deletion. */
interface SweepDriver {
  cloud: 'aws' | 'alibaba' | 'huawei' | 'tencent';
  region: string;
  account(sim: Simulator): { accountId: string; endpoint: string; accessKeyId: string; secretAccessKey: string };
  deployment(sim: Simulator, d: number): { vpcId: string; cidr: string; tableId: string };
  /** the n-th customer VPC, peered to the deployment VPC and active */
  /** `accepterVpcId`: where each peering needs its own deployment VPC (Tencent: a VPC joins one CCN) */
  connection(
    sim: Simulator,
    n: number,
    deploymentVpcId: string,
  ): { id: string; customerAccountId: string; customerVpcId: string; cidrs: string[]; accepterVpcId?: string };
  deleteByCustomer(sim: Simulator, id: string, accepterVpcId?: string): void;
  baseline: PeeringAdapter;
}

const customerCidr = (n: number) => `172.${16 + (n >> 8)}.${n & 255}.0/24`;

const awsDriver: SweepDriver = {
  cloud: 'aws',
  region: REGION,
  account: (sim) => {
    const a = sim.aws.createAccount('111111111111');
    sim.aws.createAccount('222222222222');
    return {
      accountId: a.id,
      endpoint: sim.endpoints.aws,
      accessKeyId: a.accessKeyId,
      secretAccessKey: a.secretAccessKey,
    };
  },
  deployment: (sim, d) => {
    const vpc = sim.aws.createVpc(
      { accountId: '111111111111', region: REGION },
      `10.${100 + Math.floor(d / 256)}.${d % 256}.0/24`,
    );
    return {
      vpcId: vpc.id,
      cidr: vpc.cidrs[0],
      tableId: sim.aws
        .describeRouteTables({ accountId: '111111111111', region: REGION })
        .find((t) => t.vpcId === vpc.id)!.id,
    };
  },
  connection: (sim, n, deploymentVpcId) => {
    const cvpc = sim.aws.createVpc({ accountId: '222222222222', region: REGION }, customerCidr(n));
    const pcx = sim.aws.createPeering(
      { accountId: '222222222222', region: REGION },
      cvpc.id,
      deploymentVpcId,
      '111111111111',
      REGION,
    );
    sim.aws.acceptPeering({ accountId: '111111111111', region: REGION }, pcx.id);
    return { id: pcx.id, customerAccountId: '222222222222', customerVpcId: cvpc.id, cidrs: cvpc.cidrs };
  },
  deleteByCustomer: (sim, id) => sim.aws.deletePeering({ accountId: '222222222222', region: REGION }, id),
  baseline: new AwsAdapter(),
};

const ALI_REGION = 'cn-hangzhou';
const ALI_PLATFORM = '253460731706911258';
const ALI_CUSTOMER = '1210123456123456';
const alibabaDriver: SweepDriver = {
  cloud: 'alibaba',
  region: ALI_REGION,
  account: (sim) => {
    const a = sim.alibaba.createAccount(ALI_PLATFORM);
    sim.alibaba.createAccount(ALI_CUSTOMER);
    return {
      accountId: a.uid,
      endpoint: sim.endpoints.alibaba,
      accessKeyId: a.accessKeyId,
      secretAccessKey: a.accessKeySecret,
    };
  },
  deployment: (sim, d) => {
    const vpc = sim.alibaba.createVpc(
      { uid: ALI_PLATFORM, region: ALI_REGION },
      `10.${100 + Math.floor(d / 256)}.${d % 256}.0/24`,
    );
    return { vpcId: vpc.id, cidr: vpc.cidrs[0], tableId: vpc.routeTableId };
  },
  connection: (sim, n, deploymentVpcId) => {
    const cvpc = sim.alibaba.createVpc({ uid: ALI_CUSTOMER, region: ALI_REGION }, customerCidr(n));
    const pcc = sim.alibaba.createConnection(
      { uid: ALI_CUSTOMER, region: ALI_REGION },
      { vpcId: cvpc.id, acceptingAliUid: ALI_PLATFORM, acceptingVpcId: deploymentVpcId },
    );
    sim.alibaba.accept({ uid: ALI_PLATFORM, region: ALI_REGION }, pcc.id);
    return { id: pcc.id, customerAccountId: ALI_CUSTOMER, customerVpcId: cvpc.id, cidrs: cvpc.cidrs };
  },
  deleteByCustomer: (sim, id) => sim.alibaba.delete({ uid: ALI_CUSTOMER, region: ALI_REGION }, id, true),
  baseline: new AlibabaAdapter(),
};

const HW_REGION = 'cn-north-4';
const HW_PLATFORM = '059a737356594b41b447b557bf0aae56';
const HW_CUSTOMER = 'f65e9ebcd5d418b4a931a9a723718ba4';
const huaweiDriver: SweepDriver = {
  cloud: 'huawei',
  region: HW_REGION,
  account: (sim) => {
    const p = sim.huawei.createProject(HW_REGION, HW_PLATFORM);
    sim.huawei.createProject(HW_REGION, HW_CUSTOMER);
    return { accountId: p.projectId, endpoint: sim.endpoints.huawei, accessKeyId: p.ak, secretAccessKey: p.sk };
  },
  deployment: (sim, d) => {
    const vpc = sim.huawei.createVpc(
      { projectId: HW_PLATFORM, region: HW_REGION },
      `10.${100 + Math.floor(d / 256)}.${d % 256}.0/24`,
    );
    return { vpcId: vpc.id, cidr: vpc.cidr, tableId: vpc.routeTableId };
  },
  connection: (sim, n, deploymentVpcId) => {
    const cvpc = sim.huawei.createVpc({ projectId: HW_CUSTOMER, region: HW_REGION }, customerCidr(n));
    const p = sim.huawei.createPeering(
      { projectId: HW_CUSTOMER, region: HW_REGION },
      { name: `p${n}`, requestVpcId: cvpc.id, acceptVpcId: deploymentVpcId, acceptTenantId: HW_PLATFORM },
    );
    sim.huawei.accept({ projectId: HW_PLATFORM, region: HW_REGION }, p.id);
    return { id: p.id, customerAccountId: HW_CUSTOMER, customerVpcId: cvpc.id, cidrs: [cvpc.cidr] };
  },
  deleteByCustomer: (sim, id) => sim.huawei.delete({ projectId: HW_CUSTOMER, region: HW_REGION }, id),
  baseline: new HuaweiAdapter(),
};

const TC_REGION = 'ap-guangzhou';
const TC_PLATFORM = '100000000001';
const TC_CUSTOMER = '200000000002';
let tcCcn = '';
const tencentDriver: SweepDriver = {
  cloud: 'tencent',
  region: TC_REGION,
  account: (sim) => {
    const a = sim.tencent.createAccount(TC_PLATFORM);
    sim.tencent.createAccount(TC_CUSTOMER);
    return { accountId: a.uin, endpoint: sim.endpoints.tencent, accessKeyId: a.secretId, secretAccessKey: a.secretKey };
  },
  // one deployment VPC per peering (a VPC joins one CCN); 100 customer CCNs of 100 deployments each
  deployment: (sim, d) => {
    tcCcn = sim.tencent.createCcn({ uin: TC_CUSTOMER, region: TC_REGION }, `ccn${d}`).id;
    const vpc = sim.tencent.createVpc(
      { uin: TC_PLATFORM, region: TC_REGION },
      `10.${100 + Math.floor(d / 256)}.${d % 256}.0/24`,
    );
    return { vpcId: vpc.id, cidr: vpc.cidr, tableId: 'rtb-default' };
  },
  connection: (sim, n) => {
    const vpc = sim.tencent.createVpc({ uin: TC_PLATFORM, region: TC_REGION }, `10.${110 + (n >> 8)}.${n & 255}.0/24`);
    sim.tencent.attach({ uin: TC_PLATFORM, region: TC_REGION }, tcCcn, TC_CUSTOMER, [
      { instanceId: vpc.id, instanceRegion: TC_REGION },
    ]);
    sim.tencent.accept({ uin: TC_CUSTOMER, region: TC_REGION }, tcCcn, [vpc.id]);
    return {
      id: tcCcn,
      customerAccountId: TC_CUSTOMER,
      customerVpcId: '',
      cidrs: ['172.16.0.0/16'],
      accepterVpcId: vpc.id,
    };
  },
  deleteByCustomer: (sim, id, accepterVpcId) =>
    sim.tencent.detach({ uin: TC_CUSTOMER, region: TC_REGION }, id, [accepterVpcId!]),
  baseline: new TencentAdapter(),
};

async function sweepBench(driver: SweepDriver): Promise<void> {
  const env = await setup(1_000); // rows are inserted directly below, so the quota does not apply
  const { sim, peerlink, org, catalog } = env;
  const creds = driver.account(sim);
  const account = await catalog.addAccount({ provider: driver.cloud, region: driver.region, ...creds }, new Date());
  const perDeployment = 100;
  const deployments = Math.ceil(SWEEP_N / perDeployment);
  const now = new Date();
  const ids: Array<{ id: string; vpcId: string }> = [];
  let deploymentRows = 0;
  const addDeployment = async (vpc: { vpcId: string; cidr: string; tableId: string }) => {
    deploymentRows++;
    return (
      await catalog.addDeployment(
        {
          orgId: org.id,
          name: `d${deploymentRows}`,
          plan: 'dedicated-professional',
          provider: driver.cloud,
          region: driver.region,
          vpcId: vpc.vpcId,
          vpcCidr: vpc.cidr,
          platformAccountId: account.id,
          routeTableIds: [vpc.tableId],
        },
        now,
      )
    ).id;
  };
  for (let d = 0; d < deployments; d++) {
    const vpc = driver.deployment(sim, d);
    const depId = await addDeployment(vpc);
    const rows = [];
    for (let i = 0; i < perDeployment && ids.length < SWEEP_N; i++) {
      const c = driver.connection(sim, ids.length, vpc.vpcId);
      // Tencent: each peering is its own deployment VPC joining the customer's CCN
      const deploymentId = c.accepterVpcId
        ? await addDeployment({ vpcId: c.accepterVpcId, cidr: '10.0.0.0/24', tableId: vpc.tableId })
        : depId;
      ids.push({ id: c.id, vpcId: c.accepterVpcId ?? vpc.vpcId });
      const at = now.toISOString();
      rows.push({
        id: newId('pr'),
        org_id: org.id,
        deployment_id: deploymentId,
        provider: driver.cloud,
        provider_peering_id: c.id,
        customer_account_id: c.customerAccountId,
        customer_vpc_id: c.customerVpcId,
        customer_cidrs: JSON.stringify(c.cidrs),
        region: driver.region,
        status: 'running',
        reason_code: null,
        reason_params: null,
        provider_status: 'active',
        intent: null,
        attempts: 0,
        next_attempt_at: null,
        lease_owner: null,
        lease_until: null,
        last_error: null,
        deadline_at: null,
        created_at: at,
        updated_at: at,
      });
    }
    await peerlink.store.db.insertInto('peerings').values(rows).execute();
  }
  sim.clock.advance(60_000); // let every accepted connection finish provisioning

  sim.faults.resetCounts();
  let t = performance.now();
  const steady = await peerlink.reconciler.sweep();
  const sweepMs = performance.now() - t;
  const sweepCalls = sim.faults.count(driver.cloud);

  // drift: the customer deletes 25 of them; one sweep must see every one
  for (const c of ids.slice(0, 25)) driver.deleteByCustomer(sim, c.id, c.vpcId);
  sim.clock.advance(60_000);
  sim.faults.resetCounts();
  t = performance.now();
  const drift = await peerlink.reconciler.sweep();
  const driftMs = performance.now() - t;
  const driftCalls = sim.faults.count(driver.cloud);
  const failed = (await peerlink.store.db.selectFrom('peerings').select('id').where('status', '=', 'failed').execute())
    .length;

  // the baseline: one describe per peering
  const target = {
    provider: driver.cloud,
    region: driver.region,
    accountId: creds.accountId,
    endpoint: creds.endpoint,
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey },
  };
  sim.faults.resetCounts();
  t = performance.now();
  // measured on up to 1,000 peerings, scaled to all of them (a Tencent describe is up to three calls and slow to simulate)
  const sample = ids.slice(25, 25 + 1_000);
  for (const c of sample) await driver.baseline.describe(target, [c.id], c.vpcId);
  const scale = (ids.length - 25) / sample.length;
  const baselineMs = (performance.now() - t) * scale;
  const baselineCalls = Math.round(sim.faults.count(driver.cloud) * scale);

  console.log(
    `\n## Sweep (${driver.cloud}): ${ids.length} running peerings, ${deploymentRows} deployments, 1 platform account+region`,
  );
  console.log(`| | provider calls | wall time |`);
  console.log(`|---|---:|---:|`);
  console.log(`| batched sweep, steady state | ${sweepCalls} | ${sweepMs.toFixed(0)} ms |`);
  console.log(`| batched sweep, 25 deleted by the customer | ${driftCalls} | ${driftMs.toFixed(0)} ms |`);
  console.log(
    `| baseline: one describe per peering (measured on ${sample.length}, scaled) | ${baselineCalls} | ${baselineMs.toFixed(0)} ms |`,
  );
  console.log(
    `steady sweep looked at ${steady.peerings} peerings, ${steady.attention} needed a step; drift sweep: ${drift.attention} needed a step, ${failed} now failed (PEERING_DELETED_BY_CUSTOMER)`,
  );
  await env.close();
}

async function submitBench(): Promise<void> {
  const env = await setup(SUBMIT_N + 1);
  const { sim, peerlink, org, key, catalog } = env;
  const account = await catalog.addAccount({ provider: 'aws', region: REGION, ...awsDriver.account(sim) }, new Date());
  const platform = { id: '111111111111' };
  const customer = { id: '222222222222' };
  const url = await peerlink.listen();
  const vpc = sim.aws.createVpc({ accountId: platform.id, region: REGION }, '10.11.0.0/16');
  const rtb = sim.aws.describeRouteTables({ accountId: platform.id, region: REGION }).find((t) => t.vpcId === vpc.id)!;
  const dep = await catalog.addDeployment(
    {
      orgId: org.id,
      name: 'd',
      plan: 'dedicated-professional',
      provider: 'aws',
      region: REGION,
      vpcId: vpc.id,
      vpcCidr: vpc.cidrs[0],
      platformAccountId: account.id,
      routeTableIds: [rtb.id],
    },
    new Date(),
  );
  const post: number[] = [];
  const toRunning: number[] = [];
  for (let i = 0; i < SUBMIT_N; i++) {
    const cvpc = sim.aws.createVpc({ accountId: customer.id, region: REGION }, `172.${16 + (i >> 8)}.${i & 255}.0/24`);
    const pcx = sim.aws.createPeering({ accountId: customer.id, region: REGION }, cvpc.id, vpc.id, platform.id, REGION);
    const t0 = Date.now();
    const p0 = performance.now();
    const res = await fetch(`${url}/v1/peerings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        deploymentId: dep.id,
        providerPeeringId: pcx.id,
        customerAccountId: customer.id,
        customerVpcId: cvpc.id,
      }),
    });
    post.push(performance.now() - p0);
    const { id } = (await res.json()) as { id: string };
    if (res.status !== 201) throw new Error(`submit failed: ${res.status} ${JSON.stringify(id)}`);
    // the API kicked the peering in process; wait for its running event (polled every millisecond)
    let ev: { at: string } | undefined;
    for (
      const deadline = Date.now() + 10_000;
      !ev && Date.now() < deadline;
      await new Promise((r) => setTimeout(r, 1))
    ) {
      ev = await peerlink.store.db
        .selectFrom('peering_events')
        .select('at')
        .where('peering_id', '=', id)
        .where('to_status', '=', 'running')
        .executeTakeFirst();
    }
    if (!ev) throw new Error(`peering ${id} did not reach running`);
    toRunning.push(Date.parse(ev.at) - t0);
  }
  post.sort((a, b) => a - b);
  toRunning.sort((a, b) => a - b);
  console.log(`\n## Submit to running: ${SUBMIT_N} peerings, one at a time, zero-latency simulator, SQLite file`);
  console.log(`| | p50 | p99 | max |`);
  console.log(`|---|---:|---:|---:|`);
  console.log(
    `| POST /v1/peerings (validation + read-only describe + insert) | ${pct(post, 50).toFixed(1)} ms | ${pct(post, 99).toFixed(1)} ms | ${post[post.length - 1].toFixed(1)} ms |`,
  );
  console.log(
    `| submit → running (accept, describe routes, create route, record) | ${pct(toRunning, 50)} ms | ${pct(toRunning, 99)} ms | ${toRunning[toRunning.length - 1]} ms |`,
  );
  await env.close();
}

const only = args.get('only');
console.log(`Peerlink benchmarks — node ${process.version}, ${new Date().toISOString()}`);
const cloud = args.get('cloud');
for (const driver of [awsDriver, alibabaDriver, huaweiDriver, tencentDriver])
  if ((!only || only === 'sweep') && (!cloud || cloud === driver.cloud)) await sweepBench(driver);
if (!only || only === 'submit') await submitBench();
if (!only || only === 'http') await httpBench(Number(args.get('seconds') ?? 10));
if (!only || only === 'converge')
  await convergeBench(
    Number(args.get('converge-peerings') ?? 10_000),
    Number(args.get('converge-deployments') ?? 1_000),
  );
