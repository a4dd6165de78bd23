/**
 * GET list and GET one: Peerlink (its own process, SQLite file, auth, tenancy, presenters) against bare Fastify
 * serving the same bytes (its own process), both measured in this run by autocannon.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { openStore } from '../src/store/db.js';
import { OrgRepo } from '../src/store/orgs.js';
import { PlatformRepo } from '../src/store/platform.js';
import { newId } from '../src/store/ids.js';
import { SecretBox } from '../src/store/secrets.js';
import { startProcess } from '../test/support/processes.js';

async function cannon(url: string, headers: Record<string, string>, seconds: number) {
  const r = await autocannon({ url, headers, connections: 16, duration: seconds });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

/** `route`: only the list or only the one-peering read ('list' | 'one'); `profile`: a CPU profile directory. */
export async function httpBench(seconds = 10, profile?: string, route?: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'peerlink-http-bench-'));
  const database = join(dir, 'http.db');
  // the key file beside the database, as `serve` below finds it
  const store = await openStore(database, { secrets: SecretBox.fromFile(join(dir, 'peerlink.keys'), true) });
  const now = new Date();
  const orgs = new OrgRepo(store.db);
  const org = await orgs.create('bench', now);
  const { key } = await orgs.issueKey(org.id, 'bench', 'viewer', now);
  const catalog = new PlatformRepo(store.db, store.secrets);
  const account = await catalog.addAccount(
    {
      provider: 'aws',
      region: 'us-east-1',
      accountId: '111111111111',
      endpoint: 'http://127.0.0.1:9/aws',
      credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
    },
    now,
  );
  const dep = await catalog.addDeployment(
    {
      orgId: org.id,
      name: 'd',
      plan: 'dedicated-professional',
      provider: 'aws',
      region: 'us-east-1',
      vpcId: 'vpc-00000001',
      vpcCidr: '10.11.0.0/16',
      platformAccountId: account.id,
      routeTableIds: ['rtb-00000001'],
    },
    now,
  );
  const rows = Array.from({ length: 50 }, (_, i) => ({
    id: newId('pr'),
    org_id: org.id,
    deployment_id: dep.id,
    provider: 'aws' as const,
    provider_peering_id: `pcx-${String(i).padStart(8, '0')}`,
    customer_account_id: '222222222222',
    customer_vpc_id: `vpc-${String(i).padStart(8, '0')}`,
    customer_cidrs: JSON.stringify([`172.16.${i}.0/24`]),
    region: 'us-east-1',
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
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  }));
  await store.db.insertInto('peerings').values(rows).execute();
  await store.close();

  // the sweep would try the unreachable endpoint: keep it out of the measurement
  const peerlink = await startProcess(
    ['serve'],
    {
      PEERLINK_DATABASE: database,
      PEERLINK_PORT: '0',
      PEERLINK_LOG_LEVEL: 'warn',
      PEERLINK_SWEEP_INTERVAL_MS: '3600000',
      PEERLINK_OPERATOR_TOKEN: 'http-bench-operator-token-0123456789',
      // the load generator is one client: the per-key limit would measure the limiter, not the read path
      PEERLINK_RATE_LIMIT_PER_KEY: '100000000',
      PEERLINK_RATE_LIMIT_PER_ORG: '100000000',
    },
    // --profile=DIR: a CPU profile of the Peerlink process, written to DIR when it exits
    { compiled: true, nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [] },
  );
  const headers = { authorization: `Bearer ${key}` };
  const id = rows[0].id;
  const list = await fetch(`${peerlink.url}/v1/peerings?limit=50`, { headers }).then((r) => r.text());
  const one = await fetch(`${peerlink.url}/v1/peerings/${id}`, { headers }).then((r) => r.text());
  const payloads = join(dir, 'payloads.json');
  writeFileSync(payloads, JSON.stringify({ list, one, id }));
  const bareChild = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-server.ts', payloads], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const bareUrl = await new Promise<string>((resolve) =>
    bareChild.stdout.on('data', (d: Buffer) => {
      const m = /listening on (\S+)/.exec(d.toString());
      if (m) resolve(m[1]);
    }),
  );

  const results: Array<[string, Awaited<ReturnType<typeof cannon>>]> = [];
  for (const [name, path] of [
    ['GET list (50 peerings)', '/v1/peerings?limit=50'],
    ['GET one', `/v1/peerings/${id}`],
  ].filter(([n]) => !route || n.includes(route))) {
    await cannon(`${peerlink.url}${path}`, headers, 2); // warm-up
    results.push([`Peerlink ${name}`, await cannon(`${peerlink.url}${path}`, headers, seconds)]);
    await cannon(`${bareUrl}${path}`, {}, 2);
    results.push([`bare Fastify ${name}`, await cannon(`${bareUrl}${path}`, {}, seconds)]);
  }
  console.log(
    `\n## HTTP: ${seconds} s each, 16 connections, autocannon in the bench process, each server in its own process`,
  );
  console.log(`| | req/s | p50 | p99 | errors |`);
  console.log(`|---|---:|---:|---:|---:|`);
  for (const [name, r] of results)
    console.log(`| ${name} | ${Math.round(r.rps)} | ${r.p50} ms | ${r.p99} ms | ${r.errors} |`);
  console.log(`(list body ${list.length} bytes, one body ${one.length} bytes)`);
  peerlink.child.kill('SIGTERM');
  bareChild.kill('SIGTERM');
  await peerlink.exited;
  rmSync(dir, { recursive: true, force: true });
}
