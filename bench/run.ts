/**
 * Benchmarks (npm run bench). Prints figures; asserts nothing. Recorded in docs/PERFORMANCE.md. One part with
 * `-- --only=<part>`:
 *  sweep        provider calls per sweep for N running peerings (batched per account+region) vs one per peering
 *  startup      CLI wall time, `serve` ready time and idle memory (bench/startup.ts)
 *  sweep-scale  100,000 running peerings over 100 platform accounts on PostgreSQL: RSS and list calls per sweep
 *  paced        500 AWS peerings at once under EC2's enforced buckets, against the floor they impose (bench/paced.ts)
 *  submit       platform overhead from submit to running against the zero-latency simulator (p50, p99)
 *  http         GET one / list against bare Fastify serving the same bytes (bench/http.ts)
 *  converge     10,000 peerings over 1,000 deployments submitted and running; SQLite, PostgreSQL ×1, ×3
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { awsSimulation } from '../src/clouds/aws/simulation.js';
import type { AnyCloud } from '../src/clouds/provider.js';
import { clouds, type ProviderName } from '../src/clouds/registry.js';
import { startSimulator } from '../src/clouds/sim/index.js';
import { createPeerlink } from '../src/runtime.js';
import { loadConfig } from '../src/config.js';
import { OrgRepo } from '../src/store/orgs.js';
import { PlatformRepo } from '../src/store/platform.js';
import { newId } from '../src/store/ids.js';
import { httpBench } from './http.js';
import { convergeBench } from './converge.js';
import { startupBench } from './startup.js';
import { sweepScaleBench } from './sweep-scale.js';
import { pacedBench } from './paced.js';

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
      operatorToken: 'bench-operator-token-0123456789abcdef',
      rateLimitPerKey: 1_000_000,
      rateLimitPerOrg: 1_000_000,
      cloudBudgetPerOrg: 1_000_000,
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
  const catalog = new PlatformRepo(peerlink.store.db, peerlink.store.secrets);
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

async function sweepBench(cloud: AnyCloud & { name: ProviderName }): Promise<void> {
  const env = await setup(1_000); // rows are inserted directly below, so the quota does not apply
  const { sim, peerlink, org, catalog } = env;
  const simulation = await cloud.simulation();
  const world = sim.world(simulation);
  const driver = simulation.bench;
  const creds = driver.account(world, sim.endpoint(simulation));
  const account = await catalog.addAccount({ provider: cloud.name, ...creds }, new Date());
  const perDeployment = 100;
  const deployments = Math.ceil(SWEEP_N / perDeployment);
  const now = new Date();
  const ids: Array<{ id: string; vpcId: string; customerVpcId: string; customerAccountId: string }> = [];
  let deploymentRows = 0;
  const addDeployment = async (vpc: { vpcId: string; cidr: string; routeTableIds: string[] }) => {
    deploymentRows++;
    return (
      await catalog.addDeployment(
        {
          orgId: org.id,
          name: `d${deploymentRows}`,
          plan: 'dedicated-professional',
          provider: cloud.name,
          region: driver.region,
          vpcId: vpc.vpcId,
          vpcCidr: vpc.cidr,
          platformAccountId: account.id,
          routeTableIds: vpc.routeTableIds,
        },
        now,
      )
    ).id;
  };
  for (let d = 0; d < deployments; d++) {
    const vpc = driver.deployment(world, d);
    const depId = await addDeployment(vpc);
    const rows = [];
    for (let i = 0; i < perDeployment && ids.length < SWEEP_N; i++) {
      const c = driver.connection(world, ids.length, vpc.vpcId);
      // where a deployment network joins one customer network, each peering is its own deployment
      const deploymentId = c.deploymentVpcId
        ? await addDeployment({ vpcId: c.deploymentVpcId, cidr: '10.0.0.0/24', routeTableIds: vpc.routeTableIds })
        : depId;
      const vpcId = c.deploymentVpcId ?? vpc.vpcId;
      ids.push({ id: c.id, vpcId, customerVpcId: c.customerVpcId, customerAccountId: c.customerAccountId });
      const at = now.toISOString();
      rows.push({
        id: newId('pr'),
        org_id: org.id,
        deployment_id: deploymentId,
        provider: cloud.name,
        provider_peering_id: c.id,
        customer_account_id: c.customerAccountId,
        customer_vpc_id: c.customerVpcId,
        customer_cidrs: JSON.stringify(c.cidrs),
        region: driver.region,
        status: 'running' as const,
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
  const sweepCalls = sim.faults.count(cloud.name);

  // drift: the customer deletes 25 of them; one sweep must see every one
  for (const c of ids.slice(0, 25)) driver.deleteByCustomer(world, c.id, c.vpcId);
  sim.clock.advance(60_000);
  sim.faults.resetCounts();
  t = performance.now();
  const drift = await peerlink.reconciler.sweep();
  const driftMs = performance.now() - t;
  const driftCalls = sim.faults.count(cloud.name);
  const failed = (await peerlink.store.db.selectFrom('peerings').select('id').where('status', '=', 'failed').execute())
    .length;

  // the baseline: one describe per peering
  const target = { provider: cloud.name, ...creds };
  const adapter = await cloud.adapter({});
  sim.faults.resetCounts();
  t = performance.now();
  // measured on up to 1,000 peerings, scaled to all of them (a Tencent describe is up to three calls and slow to
  // simulate)
  const sample = ids.slice(25, 25 + 1_000);
  for (const c of sample) {
    const ref = { connectionId: c.id, deploymentVpcId: c.vpcId, customerAccountId: c.customerAccountId };
    await adapter.connections.observe(target, { ...ref, customerVpcId: c.customerVpcId, customerCidrs: [] });
  }
  const scale = (ids.length - 25) / sample.length;
  const baselineMs = (performance.now() - t) * scale;
  const baselineCalls = Math.round(sim.faults.count(cloud.name) * scale);

  console.log(
    `\n## Sweep (${cloud.name}): ${ids.length} running peerings, ${deploymentRows} deployments, 1 platform ` +
      `account+region`,
  );
  console.log(`| | provider calls | wall time |`);
  console.log(`|---|---:|---:|`);
  console.log(`| batched sweep, steady state | ${sweepCalls} | ${sweepMs.toFixed(0)} ms |`);
  console.log(`| batched sweep, 25 deleted by the customer | ${driftCalls} | ${driftMs.toFixed(0)} ms |`);
  console.log(
    `| baseline: one describe per peering (measured on ${sample.length}, scaled) | ${baselineCalls} | ` +
      `${baselineMs.toFixed(0)} ms |`,
  );
  console.log(
    `steady sweep looked at ${steady.peerings} peerings, ${steady.attention} needed a step; drift sweep: ` +
      `${drift.attention} needed a step, ${failed} now failed (PEERING_DELETED_BY_CUSTOMER)`,
  );
  await env.close();
}

async function submitBench(): Promise<void> {
  const env = await setup(SUBMIT_N + 1);
  const { sim, peerlink, org, key, catalog } = env;
  // one cloud stands for all here: the platform's overhead does not depend on which
  const aws = sim.world(awsSimulation);
  const creds = awsSimulation.bench.account(aws, sim.endpoint(awsSimulation));
  const account = await catalog.addAccount({ provider: 'aws', ...creds }, new Date());
  const platform = { id: creds.accountId };
  const customer = { id: '222222222222' };
  const url = await peerlink.listen();
  const vpc = aws.createVpc({ accountId: platform.id, region: REGION }, '10.11.0.0/16');
  const rtb = aws.mainRouteTable(vpc.id);
  const dep = await catalog.addDeployment(
    {
      orgId: org.id,
      name: 'd',
      plan: 'dedicated-professional',
      provider: 'aws',
      region: REGION,
      vpcId: vpc.id,
      vpcCidr: '10.11.0.0/16',
      platformAccountId: account.id,
      routeTableIds: [rtb.id],
    },
    new Date(),
  );
  const post: number[] = [];
  const toRunning: number[] = [];
  for (let i = 0; i < SUBMIT_N; i++) {
    const cvpc = aws.createVpc({ accountId: customer.id, region: REGION }, `172.${16 + (i >> 8)}.${i & 255}.0/24`);
    const pcx = aws.createPeering({ accountId: customer.id, region: REGION }, cvpc.id, vpc.id, platform.id, REGION);
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
    `| POST /v1/peerings (validation + read-only describe + insert) | ${pct(post, 50).toFixed(1)} ms | ` +
      `${pct(post, 99).toFixed(1)} ms | ${post[post.length - 1].toFixed(1)} ms |`,
  );
  console.log(
    `| submit → running (accept, describe routes, create route, record) | ${pct(toRunning, 50)} ms | ` +
      `${pct(toRunning, 99)} ms | ${toRunning[toRunning.length - 1]} ms |`,
  );
  await env.close();
}

const only = args.get('only');
console.log(`Peerlink benchmarks — node ${process.version}, ${new Date().toISOString()}`);
const which = args.get('cloud');
for (const cloud of clouds)
  if ((!only || only === 'sweep') && (!which || which === cloud.name)) await sweepBench(cloud);
if (!only || only === 'startup') await startupBench();
if (!only || only === 'sweep-scale')
  await sweepScaleBench(
    Number(args.get('accounts') ?? 100),
    Number(args.get('per-account') ?? 1_000),
    args.get('bin') ?? 'bin/peerlink.js',
  );
if (!only || only === 'paced') await pacedBench(Number(args.get('paced-peerings') ?? 500));
if (!only || only === 'submit') await submitBench();
if (!only || only === 'http')
  await httpBench(Number(args.get('seconds') ?? 10), args.get('profile'), args.get('route'));
if (!only || only === 'converge')
  await convergeBench(
    Number(args.get('converge-peerings') ?? 10_000),
    Number(args.get('converge-deployments') ?? 1_000),
    (args.get('converge-stores')?.split(',') as Parameters<typeof convergeBench>[2]) ?? undefined,
    args.get('profile'),
  );
