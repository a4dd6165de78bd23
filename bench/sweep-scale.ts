/**
 * The sweep in a large estate: 100,000 running AWS peerings across 100 platform accounts (10 deployments × 100
 * peerings each) on PostgreSQL. A compiled `serve` runs as its own process; its first sweep is timed, its RSS read
 * before (idle, data loaded) and its peak after, and the simulator counts the list calls per account.
 * `--bin=…/bin/peerlink.js` measures another build (the before figure of docs/PERFORMANCE.md).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { awsSimulation } from '../src/clouds/aws/simulation.js';
import { startSimulator } from '../src/clouds/sim/index.js';
import { openStore } from '../src/store/db.js';
import { OrgRepo } from '../src/store/orgs.js';
import { PlatformRepo } from '../src/store/platform.js';
import { newId } from '../src/store/ids.js';
import { SecretBox } from '../src/store/secrets.js';
import { until } from '../test/support/processes.js';

const PG = 'postgres://postgres@127.0.0.1:5432';
const KEYS = 'k1:' + Buffer.alloc(32, 7).toString('base64');
const OPERATOR = 'sweep-scale-operator-token-0123456789abcdef';

function memMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

export async function sweepScaleBench(accounts = 100, perAccount = 1_000, bin = 'bin/peerlink.js'): Promise<void> {
  const sim = await startSimulator();
  const world = sim.world(awsSimulation);
  const endpoint = sim.endpoint(awsSimulation);
  const dbName = `peerlink_sweep_${Date.now()}`;
  const admin = new pg.Client({ connectionString: `${PG}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = `${PG}/${dbName}`;
  const store = await openStore(url, { secrets: SecretBox.parse(KEYS) });
  const now = new Date();
  const at = now.toISOString();
  const org = await new OrgRepo(store.db).create('scale', now);
  const catalog = new PlatformRepo(store.db, store.secrets);
  const region = 'us-east-1';
  const perDeployment = 100;
  const t0 = performance.now();
  for (let a = 0; a < accounts; a++) {
    const platformId = String(100_000_000_000 + a);
    const customerId = String(200_000_000_000 + a);
    const p = world.createAccount(platformId);
    world.createAccount(customerId);
    const account = await catalog.addAccount(
      {
        provider: 'aws',
        region,
        accountId: platformId,
        endpoint,
        credentials: { accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey },
      },
      now,
    );
    for (let d = 0; d < perAccount / perDeployment; d++) {
      const cidr = `10.${100 + d}.0.0/16`;
      const vpc = world.createVpc({ accountId: platformId, region }, cidr);
      const dep = await catalog.addDeployment(
        {
          orgId: org.id,
          name: `a${a}d${d}`,
          plan: 'dedicated-professional',
          provider: 'aws',
          region,
          vpcId: vpc.id,
          vpcCidr: cidr,
          platformAccountId: account.id,
          routeTableIds: [world.mainRouteTable(vpc.id).id],
        },
        now,
      );
      const rows = [];
      for (let i = 0; i < perDeployment; i++) {
        const n = d * perDeployment + i;
        const customer = { accountId: customerId, region };
        const cvpc = world.createVpc(customer, `172.${16 + (n >> 8)}.${n & 255}.0/24`);
        const pcx = world.createPeering(customer, cvpc.id, vpc.id, platformId, region);
        world.acceptPeering({ accountId: platformId, region }, pcx.id);
        rows.push({
          id: newId('pr'),
          org_id: org.id,
          deployment_id: dep.id,
          provider: 'aws' as const,
          provider_peering_id: pcx.id,
          customer_account_id: customerId,
          customer_vpc_id: cvpc.id,
          customer_cidrs: JSON.stringify(cvpc.cidrs),
          region,
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
      await store.db.insertInto('peerings').values(rows).execute();
    }
  }
  await store.close();
  sim.clock.advance(60_000); // every accepted connection active
  const setupS = ((performance.now() - t0) / 1000).toFixed(0);

  const sweepAfterMs = 8_000;
  const child = spawn(process.execPath, [bin, 'serve'], {
    env: {
      ...process.env,
      PEERLINK_DATABASE: url,
      PEERLINK_PORT: '0',
      PEERLINK_LOG_LEVEL: 'warn',
      PEERLINK_SECRET_KEYS: KEYS,
      PEERLINK_OPERATOR_TOKEN: OPERATOR,
      PEERLINK_SWEEP_INTERVAL_MS: String(sweepAfterMs),
      PEERLINK_TICK_MS: '500',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const pid = child.pid ?? 0;
  const base = await new Promise<string>((resolve) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/i.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
  });
  await new Promise((r) => setTimeout(r, sweepAfterMs - 2_000));
  const before = memMb(pid, 'VmRSS');
  sim.faults.resetCounts();
  const sweeps = async () => {
    const text = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${OPERATOR}` } }).then((r) =>
      r.text(),
    );
    const m = /^peerlink_sweep_duration_seconds_count (\d+)/m.exec(text);
    return Number(m?.[1] ?? 0);
  };
  const t = performance.now();
  await until('the first sweep', async () => ((await sweeps()) >= 1 ? true : undefined), 600_000, 100);
  const sweepS = ((performance.now() - t + 2_000 - 500) / 1000).toFixed(1);
  const peak = memMb(pid, 'VmHWM');
  const calls = sim.faults.count('aws');
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await sim.close();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();

  console.log(
    `\n## Sweep at scale: ${accounts * perAccount} running AWS peerings, ${accounts} platform accounts, PostgreSQL ` +
      `(setup ${setupS} s)`,
  );
  console.log(`| RSS before the sweep | peak RSS | added | list calls | per account | first sweep (about) |`);
  console.log(`|---:|---:|---:|---:|---:|---:|`);
  console.log(
    `| ${before} MB | ${peak} MB | ${peak - before} MB | ${calls} | ${(calls / accounts).toFixed(1)} | ${sweepS} s |`,
  );
}
