/** Two reconcilers on one database: each peering is driven by exactly one at a time, and every side effect happens once. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startHarness, submitBody, type Harness } from '../support/harness.js';
import { Reconciler } from '../../src/reconciler/reconciler.js';
import { defaultClouds } from '../../src/runtime.js';
import { systemClock } from '../../src/clouds/sim/clock.js';
import { defaultRulesConfig } from '../../src/core/rules.js';

let h: Harness;
before(async () => {
  // the harness's own reconciler loop stays off: the test drives two competing instances itself
  h = await startHarness({}, { startReconciler: false });
});
after(() => h.close());

test('racing reconcilers accept once and route once', async () => {
  const log = pino({ level: 'silent' });
  const make = (owner: string) => new Reconciler({ store: h.peerlink.store, clouds: defaultClouds(), clock: systemClock, rules: defaultRulesConfig, log, owner });
  const a = make('instance-a');
  const b = make('instance-b');
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const vpc = h.customerVpc(`192.168.${i}.0/24`);
    const pcx = await h.requestPeering(vpc);
    // slow the accept so both instances are in flight at once
    h.sim.faults.add({ kind: 'latency', action: 'AcceptVpcPeeringConnection', ms: 30, times: 1 });
    const r = await h.api<{ id: string }>('POST', '/v1/peerings', submitBody(h, pcx, { customerVpcId: vpc }));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids.push(r.body.id);
  }
  await Promise.all(ids.flatMap((id) => [a.kick(id), b.kick(id), a.kick(id), b.kick(id)]));
  // both instances keep working the due queue until every peering is running (bounded)
  const allRunning = async () => (await h.peerlink.store.db.selectFrom('peerings').select('status').where('id', 'in', ids).execute()).every((r) => r.status === 'running');
  for (const deadline = Date.now() + 10_000; !(await allRunning()) && Date.now() < deadline; ) {
    await Promise.all([a.runDue(), b.runDue()]);
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const id of ids) {
    const p = await h.api<{ status: string; providerPeeringId: string }>('GET', `/v1/peerings/${id}`);
    assert.equal(p.body.status, 'running', id);
    const accepts = h.sim.faults.calls.filter((c) => c.action === 'AcceptVpcPeeringConnection').length;
    assert.equal(accepts, ids.length, 'one accept per peering');
    const routes = h.sim.aws.routeTables.get(h.platformVpc.routeTableId)!.routes.filter((r) => r.vpcPeeringConnectionId === p.body.providerPeeringId);
    assert.equal(routes.length, 1);
  }
  const events = await h.peerlink.store.db.selectFrom('peering_events').select(['peering_id', 'kind', 'note']).where('kind', '=', 'action').execute();
  const acceptsRecorded = events.filter((e) => e.note.startsWith('accept'));
  assert.equal(acceptsRecorded.length, ids.length, 'no accept was recorded twice');
  await a.stop();
  await b.stop();
});
