/**
 * Crash safety: Peerlink is SIGKILLed between accepting the peering and creating its route, restarted on the same
 * database, and converges to running with exactly one platform route (the intent recorded before the side effect
 * makes it re-observe rather than trust memory).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { json, startProcess, until } from '../support/processes.js';
import { CRASH_OPERATOR, awsOverHttp, crashEnv } from '../support/aws-process.js';
import { must } from '../support/must.js';

const dir = mkdtempSync(join(tmpdir(), 'peerlink-crash-'));
const children: ChildProcess[] = [];
const databases: TestDatabase[] = [];
after(async () => {
  for (const c of children) c.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 100));
  for (const d of databases) await d.drop();
  rmSync(dir, { recursive: true, force: true });
});

for (const killDuring of ['DescribeRouteTables', 'CreateRoute']) {
  test(`killed after accept, during ${killDuring}: restart converges with one route`, async () => {
    const sim = await startProcess(['sim', 'start', '--port', '0']);
    children.push(sim.child);
    const database = await freshDatabase(dir, `${killDuring}.db`);
    databases.push(database);
    const env = crashEnv(database.url);
    const first = await startProcess(['serve'], env);
    children.push(first.child);
    // the customer's request, made with the official SDK against the simulator
    const world = await awsOverHttp(sim.url, first.url, CRASH_OPERATOR);
    const { pcx, body } = await world.request();
    const { apiKey, pvpc } = world;

    // hold the call after accept long enough to kill the process while it is in flight
    await json('POST', `${sim.url}/_sim/faults`, {
      kind: 'latency',
      provider: 'aws',
      action: killDuring,
      ms: 1_500,
      times: 1,
    });
    const created = await json<{ id: string }>('POST', `${first.url}/v1/peerings`, body, apiKey);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await until(`${killDuring} in flight`, async () => {
      const calls = (await json<{ calls: Array<{ action: string }> }>('GET', `${sim.url}/_sim/calls`)).body.calls;
      return calls.some((c) => c.action === killDuring) ? true : undefined;
    });
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await startProcess(['serve'], env);
    children.push(second.child);
    const final = await until('running after restart', async () => {
      const p = (
        await json<{ status: string }>('GET', `${second.url}/v1/peerings/${created.body.id}`, undefined, apiKey)
      ).body;
      return p.status === 'running' ? p : undefined;
    });
    assert.equal(final.status, 'running');
    const state = (
      await json<{
        routeTables: Array<{
          id: string;
          routes: Array<{ destinationCidrBlock: string; vpcPeeringConnectionId?: string }>;
        }>;
      }>('GET', `${sim.url}/_sim/aws`)
    ).body;
    const routes = must(
      state.routeTables.find((t) => t.id === pvpc.routeTableId),
      'the deployment route table',
    ).routes.filter((r) => r.destinationCidrBlock === '172.31.0.0/16');
    assert.deepEqual(
      routes.map((r) => r.vpcPeeringConnectionId),
      [pcx],
      'exactly one route, via the pcx',
    );
    const accepts = (
      await json<{ calls: Array<{ action: string }> }>('GET', `${sim.url}/_sim/calls`)
    ).body.calls.filter((c) => c.action === 'AcceptVpcPeeringConnection');
    assert.equal(accepts.length, 1, 'accepted once');
    const events = (
      await json<{ items: Array<{ kind: string; note: string }> }>(
        'GET',
        `${second.url}/v1/peerings/${created.body.id}/events`,
        undefined,
        apiKey,
      )
    ).body.items;
    if (killDuring === 'CreateRoute')
      assert.ok(
        events.some((e) => e.kind === 'recovered' && e.note.includes('create-routes')),
        JSON.stringify(events),
      );
    second.child.kill('SIGTERM');
    sim.child.kill('SIGKILL');
  });
}
