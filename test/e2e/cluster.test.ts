/**
 * Several instances on one PostgreSQL: three `serve` processes, 1,000 peerings submitted round-robin, one instance
 * SIGKILLed midway and another SIGTERMed. Everything converges; the simulator saw exactly one accept per peering and
 * one route per peering; every history is complete.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { startCluster, type Cluster } from '../support/cluster.js';
import { json, pool, until } from '../support/processes.js';
import { must } from '../support/must.js';

const onPostgres = !!process.env.PEERLINK_TEST_PG;
const PEERINGS = 1_000;
let cluster: Cluster | undefined;
let database: TestDatabase | undefined;
const dir = mkdtempSync(join(tmpdir(), 'peerlink-cluster-'));
after(async () => {
  await cluster?.stop();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

test(
  'three instances, 1,000 peerings, one killed and one stopped midway: all converge, nothing twice',
  { skip: !onPostgres && 'several instances need PostgreSQL (runs in the PostgreSQL pass)', timeout: 600_000 },
  async () => {
    const t0 = Date.now();
    database = await freshDatabase(dir);
    cluster = await startCluster({ database: database.url, instances: 3, deployments: 100, peerings: PEERINGS });
    const c = cluster;
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    try {
      const tSetup = Date.now();
      const owners = await Promise.all(
        c.nodes.map(async (n) => (await json<{ instance: string }>('GET', `${n.url}/healthz`)).body.instance),
      );
      const alive = new Set([0, 1, 2]);
      let killed = false;
      const stopping: { exited?: Promise<number | null> } = {};
      const ids: string[] = [];
      await pool(c.requests, 24, async (r, i) => {
        if (i === 400 && !killed) {
          killed = true;
          alive.delete(1);
          c.nodes[1].child.kill('SIGKILL'); // dies mid-step, holding leases
        }
        if (i === 700 && !stopping.exited) {
          alive.delete(2);
          c.nodes[2].child.kill('SIGTERM'); // finishes its step, hands back its leases, exits 0
          stopping.exited = c.nodes[2].exited;
        }
        const node = [...alive][i % alive.size];
        const res = await json<{ id: string; code?: string }>(
          'POST',
          `${c.nodes[node].url}/v1/peerings`,
          {
            deploymentId: r.deploymentId,
            providerPeeringId: r.pcx,
            customerAccountId: r.accountId,
            customerVpcId: r.vpcId,
          },
          c.apiKey,
        ).catch(() => null);
        if (res?.status === 201) ids.push(res.body.id);
        else {
          // the instance went away under this request: submit it again elsewhere (idempotent by provider id)
          const again = await json<{ id: string; code?: string; details?: { peeringId?: string } }>(
            'POST',
            `${c.nodes[0].url}/v1/peerings`,
            {
              deploymentId: r.deploymentId,
              providerPeeringId: r.pcx,
              customerAccountId: r.accountId,
              customerVpcId: r.vpcId,
            },
            c.apiKey,
          );
          if (again.status === 201) ids.push(again.body.id);
          else if (again.body.code === 'PROVIDER_ID_TAKEN') ids.push(must(again.body.details?.peeringId, 'the holder'));
          else assert.fail(`submit failed: ${JSON.stringify(again.body)}`);
        }
      });
      assert.equal(await stopping.exited, 0, 'SIGTERM exits cleanly');
      const held = await db.query<{ n: number }>('select count(*)::int as n from peerings where lease_owner = $1', [
        owners[2],
      ]);
      assert.equal(held.rows[0]?.n, 0, 'a stopped instance holds no lease');
      assert.equal(new Set(ids).size, PEERINGS);

      const tSubmitted = Date.now();
      await until(
        'all running',
        async () => {
          const r = await db.query<{ status: string; n: number }>(
            `select status, count(*)::int as n from peerings group by status`,
          );
          const by: Record<string, number> = Object.fromEntries(r.rows.map((x) => [x.status, x.n]));
          return by.running === PEERINGS ? by : undefined;
        },
        240_000,
        500,
      );

      const tConverged = Date.now();
      console.log(
        `cluster: setup ${tSetup - t0} ms, submit ${tSubmitted - tSetup} ms, converge ${tConverged - tSubmitted} ms`,
      );
      const calls = (
        await json<{ calls: Array<{ target?: string }> }>(
          'GET',
          `${c.sim.url}/_sim/calls?action=AcceptVpcPeeringConnection`,
        )
      ).body.calls;
      const acceptsPer = new Map<string, number>();
      for (const call of calls) {
        const target = must(call.target, 'the accepted pcx');
        acceptsPer.set(target, (acceptsPer.get(target) ?? 0) + 1);
      }
      assert.equal(acceptsPer.size, PEERINGS);
      assert.deepEqual([...new Set(acceptsPer.values())], [1], 'exactly one accept per peering');

      const state = (
        await json<{
          routeTables: Array<{
            id: string;
            routes: Array<{ destinationCidrBlock: string; vpcPeeringConnectionId?: string }>;
          }>;
        }>('GET', `${c.sim.url}/_sim/aws`)
      ).body;
      const tables = new Map(state.routeTables.map((t) => [t.id, t]));
      for (const r of c.requests) {
        const t = must(tables.get(must(c.routeTableOf.get(r.deploymentId), 'its route table id')), 'its table');
        const routes = t.routes.filter((x) => x.vpcPeeringConnectionId === r.pcx);
        assert.equal(routes.length, 1, `one route for ${r.pcx}`);
      }

      type Row = { peering_id: string; kind: string; to_status: string | null; note: string };
      const events = await db.query<Row>('select peering_id, kind, to_status, note from peering_events order by id');
      const byPeering = new Map<string, Row[]>();
      for (const e of events.rows) byPeering.set(e.peering_id, [...(byPeering.get(e.peering_id) ?? []), e]);
      assert.equal(byPeering.size, PEERINGS);
      for (const [id, evs] of byPeering) {
        assert.deepEqual(
          evs.filter((e) => e.to_status).map((e) => e.to_status),
          ['pending', 'running'],
          id,
        );
        // every intent is settled: followed by its action, or by a recovery after a crash, before the next intent
        let open: string | null = null;
        for (const e of evs) {
          if (e.kind === 'intent') {
            assert.equal(open, null, `${id}: intent "${e.note}" while "${open}" was unsettled`);
            open = e.note;
          } else if (['action', 'recovered', 'conflict', 'retrying', 'error'].includes(e.kind)) open = null;
        }
        // the accept is on record: done, or landed just before its instance died and found on recovery
        assert.ok(
          evs.some(
            (e) =>
              (e.kind === 'action' && e.note.startsWith('accept')) ||
              (e.kind === 'recovered' && e.note.includes('"accept"')),
          ),
          `${id} accounts for its accept: ${JSON.stringify(evs)}`,
        );
      }
      const operator = { authorization: `Bearer ${c.operator}` };
      const metrics = await fetch(`${c.nodes[0].url}/metrics`, { headers: operator }).then((r) => r.text());
      assert.match(metrics, new RegExp(`peerlink_peerings\\{cloud="aws",status="running"\\} ${PEERINGS}`));
      assert.match(
        metrics,
        /peerlink_provider_calls_total\{cloud="aws",action="AcceptVpcPeeringConnection",outcome="ok"\} \d+/,
      );
    } finally {
      await db.end();
    }
  },
);
