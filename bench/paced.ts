/**
 * A burst under the cloud's own limits: 500 AWS peerings submitted at once into one platform account and region,
 * against the simulator enforcing EC2's token buckets (`peerlink sim start`, then POST /_sim/rate-limits). Prints
 * the time until all run against the floor the buckets impose on the calls that were made — for each bucket,
 * (calls − capacity) ÷ refill — and the RequestLimitExceeded answers; with pacing on (the default) and off.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsLimits } from '../src/clouds/aws/limits.js';
import { startCluster } from '../test/support/cluster.js';
import { json, pool, until } from '../test/support/processes.js';

interface LimitsReport {
  enabled: boolean;
  calls: Record<string, number>;
  throttled: Record<string, number>;
}

/**
 * The least time the calls the cloud accepted could take under the buckets: the slowest bucket's
 * (accepted − capacity) ÷ refill. Throttled answers take no token, so they do not count towards the floor.
 */
function floorSeconds(report: LimitsReport, account: string): { seconds: number; bucket: string } {
  let worst = { seconds: 0, bucket: '-' };
  for (const [key, made] of Object.entries(report.calls)) {
    const [provider, acct, , name] = key.split('|');
    if (provider !== 'aws' || acct !== account || !name) continue;
    const n = made - (report.throttled[key] ?? 0);
    const limit = awsLimits.buckets[name];
    if (limit?.kind !== 'bucket') continue;
    const seconds = Math.max(0, n - limit.capacity) / limit.refillPerSecond;
    if (seconds > worst.seconds) worst = { seconds, bucket: `${name} (${n} calls)` };
  }
  return worst;
}

async function one(peerings: number, pace: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'peerlink-paced-'));
  const url = join(dir, 'bench.db');
  const c = await startCluster({
    database: url,
    instances: 1,
    deployments: Math.ceil(peerings / 10),
    peerings,
    leaseMs: 30_000,
    compiled: true,
    extraEnv: { PEERLINK_PACE_CLOUD_CALLS: pace ? 'on' : 'off', PEERLINK_TICK_MS: '500' },
  });
  // the customers' requests were made during setup; EC2's limits apply from here on
  await json('POST', `${c.sim.url}/_sim/rate-limits`, { enabled: true });
  const t0 = performance.now();
  await pool(c.requests, 64, (r) => c.submit(r));
  const submitted = performance.now() - t0;
  await until('all running', async () => ((await c.running()) === peerings ? true : undefined), 1_800_000, 100);
  const converged = (performance.now() - t0) / 1000;
  const report = (await json<LimitsReport>('GET', `${c.sim.url}/_sim/rate-limits`)).body;
  await c.stop();
  rmSync(dir, { recursive: true, force: true });
  const floor = floorSeconds(report, '111111111111');
  const calls = Object.entries(report.calls)
    .filter(([k]) => k.startsWith('aws|111111111111|'))
    .reduce((a, [, n]) => a + n, 0);
  return { submitted: submitted / 1000, converged, floor, throttled: report.throttled.aws ?? 0, calls };
}

export async function pacedBench(peerings = 500): Promise<void> {
  console.log(
    `\n## ${peerings} AWS peerings at once, one account and region, the simulator enforcing EC2's buckets ` +
      `(non-mutating 100/20 s⁻¹, mutating 50/5, AcceptVpcPeeringConnection 50/5)`,
  );
  console.log(
    `| pacing | all submitted | all running | floor (slowest bucket) | running ÷ floor | calls | throttled |`,
  );
  console.log(`|---|---:|---:|---|---:|---:|---:|`);
  for (const pace of [true, false]) {
    const r = await one(peerings, pace);
    console.log(
      `| ${pace ? 'on' : 'off'} | ${r.submitted.toFixed(1)} s | ${r.converged.toFixed(1)} s | ` +
        `${r.floor.seconds.toFixed(1)} s, ${r.floor.bucket} | ${(r.converged / r.floor.seconds).toFixed(2)} | ` +
        `${r.calls} | ${r.throttled} |`,
    );
  }
}
