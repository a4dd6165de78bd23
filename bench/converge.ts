/**
 * 10,000 peerings across 1,000 deployments submitted over HTTP and driven to running, on SQLite (one instance) and
 * on PostgreSQL with one and three instances: wall time and each instance's peak RSS. The simulator enforces no
 * rate limit and Peerlink paces nothing: this measures Peerlink, not the cloud's limits (bench/paced.ts does that).
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startCluster } from '../test/support/cluster.js';
import { pool, until } from '../test/support/processes.js';

const PG = 'postgres://postgres@127.0.0.1:5432';

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

async function one(
  engine: 'sqlite' | 'postgres',
  instances: number,
  peerings: number,
  deployments: number,
  profile?: string,
) {
  const dir = mkdtempSync(join(tmpdir(), 'peerlink-converge-'));
  const dbName = `peerlink_bench_${Date.now()}`;
  let url = join(dir, 'bench.db');
  if (engine === 'postgres') {
    const admin = new pg.Client({ connectionString: `${PG}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    url = `${PG}/${dbName}`;
  }
  // Peerlink's own throughput: the simulator enforces no limit here, so nor does Peerlink (startCluster turns pacing
  // off; with EC2's, one account's 10,000 accepts alone take 2,000 s at 5 a second — the paced bench's subject)
  const c = await startCluster({
    database: url,
    instances,
    deployments,
    peerings,
    leaseMs: 30_000,
    compiled: true,
    // the operator's default sweep (30 s), not the tests' 5 s: a sweep lists every connection of the account, which at
    // 10,000 peerings is ten pages of a thousand, and the bench measures the product as it ships
    extraEnv: { PEERLINK_SWEEP_INTERVAL_MS: '30000' },
    // --profile=DIR: a CPU profile of each instance, written to DIR when it stops
    nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
  });
  const t0 = performance.now();
  await pool(c.requests, 32, (r, i) => c.submit(r, i % instances));
  const submitted = performance.now() - t0;
  await until('converged', async () => ((await c.running()) === peerings ? true : undefined), 1_800_000, 250);
  const converged = performance.now() - t0;
  const rss = c.nodes.map((n) => (n.child.pid ? peakRssMb(n.child.pid) : 0));
  await c.stop();
  if (engine === 'postgres') {
    const admin = new pg.Client({ connectionString: `${PG}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  rmSync(dir, { recursive: true, force: true });
  return { submitted, converged, rss };
}

const setups = { sqlite: ['sqlite', 1], pg1: ['postgres', 1], pg3: ['postgres', 3] } as const;

/**
 * `stores`: which of sqlite, pg1 (PostgreSQL, one instance), pg3 (three) to run — all by default; `profile`: a
 * directory for the instances' CPU profiles.
 */
export async function convergeBench(
  peerings = 10_000,
  deployments = 1_000,
  stores: ReadonlyArray<keyof typeof setups> = ['sqlite', 'pg1', 'pg3'],
  profile?: string,
): Promise<void> {
  const rows: string[] = [];
  for (const [engine, instances] of stores.map((s) => setups[s])) {
    const r = await one(engine, instances, peerings, deployments, profile);
    const cells = [
      engine === 'sqlite' ? 'SQLite' : 'PostgreSQL',
      instances,
      `${(r.submitted / 1000).toFixed(1)} s`,
      `${(r.converged / 1000).toFixed(1)} s`,
      Math.round(peerings / (r.converged / 1000)),
      r.rss.map((x) => `${x} MB`).join(', '),
    ];
    rows.push(`| ${cells.join(' | ')} |`);
  }
  console.log(
    `\n## ${peerings} peerings across ${deployments} deployments, submitted over HTTP (32 at a time, ` +
      `round-robin) and driven to running`,
  );
  console.log(`| store | instances | all submitted | all running | peerings/s | peak RSS per instance |`);
  console.log(`|---|---:|---:|---:|---:|---|`);
  for (const r of rows) console.log(r);
}
