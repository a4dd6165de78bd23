/**
 * A Peerlink cluster for the multi-instance test and benchmark: the simulator process, N `serve` processes on one
 * database, the operator setup (one platform account, D deployments), and P customer peering requests.
 */
import { EC2Client, CreateVpcPeeringConnectionCommand } from '@aws-sdk/client-ec2';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { testLimitsEnv } from './harness.js';
import { json, pool, startProcess, type Proc } from './processes.js';

export interface Cluster {
  sim: Proc;
  nodes: Proc[];
  env: Record<string, string>;
  apiKey: string;
  operator: string;
  /** one per peering to submit */
  requests: Array<{ deploymentId: string; pcx: string; accountId: string; vpcId: string }>;
  routeTableOf: Map<string, string>;
  /** submits one of `requests` to the node at `node` (201 or it throws) */
  submit(request: Cluster['requests'][number], node?: number): Promise<void>;
  /** peerings `running` now, read from the database */
  running(): Promise<number>;
  startNode(): Promise<Proc>;
  stop(): Promise<void>;
}

export async function startCluster(o: {
  database: string;
  instances: number;
  deployments: number;
  peerings: number;
  leaseMs?: number;
  extraEnv?: Record<string, string>;
  /** run the built CLI (benchmarks), not the sources (tests) */
  compiled?: boolean;
  /** node's own arguments for each instance (a benchmark's --cpu-prof) */
  nodeArgs?: string[];
}): Promise<Cluster> {
  const sim = await startProcess(['sim', 'start', '--port', '0'], {}, { compiled: o.compiled });
  const operator = 'cluster-operator-token-0123456789';
  const env = {
    PEERLINK_DATABASE: o.database,
    PEERLINK_PORT: '0',
    PEERLINK_OPERATOR_TOKEN: operator,
    ...testLimitsEnv,
    PEERLINK_LOG_LEVEL: 'warn',
    PEERLINK_TICK_MS: '200',
    PEERLINK_LEASE_MS: String(o.leaseMs ?? 2_000),
    PEERLINK_SWEEP_INTERVAL_MS: '5000',
    PEERLINK_PEERING_QUOTA: String(Math.ceil(o.peerings / o.deployments)),
    // the simulator enforces no rate limit here (bench/paced.ts switches both on): at EC2's, one account's 1,000
    // accepts alone would take minutes, split three ways between instances
    PEERLINK_PACE_CLOUD_CALLS: 'off',
    ...o.extraEnv,
  };
  const nodes: Proc[] = [];
  // migrations run on the first start; the others find them applied
  const serve = () => startProcess(['serve'], env, { compiled: o.compiled, nodeArgs: o.nodeArgs });
  nodes.push(await serve());
  nodes.push(...(await Promise.all(Array.from({ length: o.instances - 1 }, serve))));
  const aws = (op: string, body: unknown) => json<Record<string, string>>('POST', `${sim.url}/_sim/aws/${op}`, body);
  const platform = (await aws('account', { accountId: '111111111111' })).body;
  const customer = (await aws('account', { accountId: '222222222222' })).body;
  const base = nodes[0].url;
  const org = (
    await json<{ org: { id: string }; apiKey: { key: string } }>(
      'POST',
      `${base}/v1/admin/orgs`,
      { name: 'Cluster' },
      operator,
    )
  ).body;
  const account = (
    await json<{ id: string }>(
      'POST',
      `${base}/v1/admin/platform-accounts`,
      {
        provider: 'aws',
        region: 'us-east-1',
        accountId: platform.accountId,
        endpoint: `${sim.url}/aws`,
        credentials: { accessKeyId: platform.accessKeyId, secretAccessKey: platform.secretAccessKey },
      },
      operator,
    )
  ).body;
  const ec2 = new EC2Client({
    region: 'us-east-1',
    endpoint: `${sim.url}/aws`,
    credentials: { accessKeyId: customer.accessKeyId, secretAccessKey: customer.secretAccessKey },
    maxAttempts: 3,
  });
  const requests: Cluster['requests'] = [];
  const routeTableOf = new Map<string, string>();
  const perDeployment = Math.ceil(o.peerings / o.deployments);
  await pool(
    Array.from({ length: o.deployments }, (_, d) => d),
    8,
    async (d) => {
      const pvpc = (
        await aws('vpc', {
          accountId: platform.accountId,
          region: 'us-east-1',
          cidr: `10.${100 + (d >> 8)}.${d & 255}.0/24`,
        })
      ).body;
      const dep = (
        await json<{ id: string }>(
          'POST',
          `${base}/v1/admin/deployments`,
          {
            orgId: org.org.id,
            name: `d${d}`,
            plan: 'dedicated-professional',
            region: 'us-east-1',
            vpcId: pvpc.vpcId,
            vpcCidr: pvpc.cidr,
            platformAccountId: account.id,
            routeTableIds: [pvpc.routeTableId],
          },
          operator,
        )
      ).body;
      routeTableOf.set(dep.id, pvpc.routeTableId);
      for (let i = 0; i < perDeployment && d * perDeployment + i < o.peerings; i++) {
        const n = d * perDeployment + i;
        const cvpc = (
          await aws('vpc', {
            accountId: customer.accountId,
            region: 'us-east-1',
            // private and allowed by the default CIDR policy for up to 32,768 peerings (172.16/12 holds 4,096)
            cidr: `10.${128 + (n >> 8)}.${n & 255}.0/24`,
          })
        ).body;
        const pcx = (
          await ec2.send(
            new CreateVpcPeeringConnectionCommand({
              VpcId: cvpc.vpcId,
              PeerVpcId: pvpc.vpcId,
              PeerOwnerId: platform.accountId,
            }),
          )
        ).VpcPeeringConnection?.VpcPeeringConnectionId;
        if (!pcx) throw new Error('the simulator created no pcx');
        requests.push({ deploymentId: dep.id, pcx, accountId: customer.accountId, vpcId: cvpc.vpcId });
      }
    },
  );
  return {
    sim,
    nodes,
    env,
    apiKey: org.apiKey.key,
    operator,
    requests,
    routeTableOf,
    async submit(r, node = 0) {
      const body = {
        deploymentId: r.deploymentId,
        providerPeeringId: r.pcx,
        customerAccountId: r.accountId,
        customerVpcId: r.vpcId,
      };
      const res = await json('POST', `${nodes[node]?.url}/v1/peerings`, body, org.apiKey.key);
      if (res.status !== 201) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async running() {
      const sql = `select count(*) as n from peerings where status = 'running'`;
      if (!o.database.startsWith('postgres')) {
        const db = new SQLite(o.database, { readonly: true });
        try {
          return (db.prepare(sql).get() as { n: number }).n;
        } finally {
          db.close();
        }
      }
      const client = new pg.Client({ connectionString: o.database });
      await client.connect();
      try {
        return Number((await client.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
      } finally {
        await client.end();
      }
    },
    startNode: serve,
    async stop() {
      for (const n of nodes) n.child.kill('SIGTERM');
      await Promise.race([Promise.all(nodes.map((n) => n.exited)), new Promise((r) => setTimeout(r, 10_000))]);
      for (const n of nodes) n.child.kill('SIGKILL');
      sim.child.kill('SIGKILL');
      await sim.exited;
    },
  };
}
