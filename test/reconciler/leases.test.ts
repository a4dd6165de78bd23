/**
 * Two reconcilers on one database: each peering is driven by exactly one at a time, and every side effect happens once.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { awsSimulation, type AwsFixture } from '../../src/clouds/aws/simulation.js';
import { startHarness, type Harness } from '../support/harness.js';
import { Reconciler } from '../../src/reconciler/loop.js';
import { CloudCatalog } from '../../src/clouds/catalog.js';
import { systemClock } from '../../src/core/clock.js';
import { defaultRulesConfig } from '../../src/core/rules.js';
import { deletePeering } from '../../src/service/peerings.js';
import { reposOf } from '../../src/store/repos.js';

let h: Harness;
let aws: AwsFixture;
before(async () => {
  // the harness's own reconciler loop stays off: the test drives two competing instances itself
  h = await startHarness({}, { startReconciler: false });
  aws = await h.fixture(awsSimulation);
});
after(() => h.close());

test('racing reconcilers accept once and route once', async () => {
  const log = pino({ level: 'silent' });
  const make = (owner: string) =>
    new Reconciler({
      store: h.peerlink.store,
      clouds: new CloudCatalog(),
      clock: systemClock,
      rules: defaultRulesConfig,
      log,
      owner,
      leaseMs: 30_000,
      tickMs: 50,
      sweepIntervalMs: 3_600_000,
    });
  const a = make('instance-a');
  const b = make('instance-b');
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const vpc = aws.customerVpc(`192.168.${i}.0/24`);
    const pcx = await aws.requestPeering(vpc);
    // slow the accept so both instances are in flight at once
    h.sim.faults.add({ kind: 'latency', action: 'AcceptVpcPeeringConnection', ms: 30, times: 1 });
    const r = await h.api<{ id: string }>('POST', '/v1/peerings', aws.submitBody(pcx, { customerVpcId: vpc }));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids.push(r.body.id);
  }
  await Promise.all(ids.flatMap((id) => [a.kick(id), b.kick(id), a.kick(id), b.kick(id)]));
  // both instances keep working the due queue until every peering is running (bounded)
  const allRunning = async () =>
    (await h.peerlink.store.db.selectFrom('peerings').select('status').where('id', 'in', ids).execute()).every(
      (r) => r.status === 'running',
    );
  for (const deadline = Date.now() + 10_000; !(await allRunning()) && Date.now() < deadline;) {
    await Promise.all([a.runDue(), b.runDue()]);
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const id of ids) {
    const p = await h.api<{ status: string; providerPeeringId: string }>('GET', `/v1/peerings/${id}`);
    assert.equal(p.body.status, 'running', id);
    const accepts = h.sim.faults.calls.filter((c) => c.action === 'AcceptVpcPeeringConnection').length;
    assert.equal(accepts, ids.length, 'one accept per peering');
    const table = aws.world.routeTables.get(aws.platformVpc.routeTableId);
    const routes = (table?.routes ?? []).filter((r) => r.vpcPeeringConnectionId === p.body.providerPeeringId);
    assert.equal(routes.length, 1);
  }
  const events = await h.peerlink.store.db
    .selectFrom('peering_events')
    .select(['peering_id', 'kind', 'note'])
    .where('kind', '=', 'action')
    .execute();
  const acceptsRecorded = events.filter((e) => e.note.startsWith('accept'));
  assert.equal(acceptsRecorded.length, ids.length, 'no accept was recorded twice');
  await a.stop();
  await b.stop();
});

for (const [n, end] of [
  ['releases', 'its lease alone'],
  ['records its outcome', 'and hands the lease back in one transaction'],
] as const) {
  test(`a customer’s delete during an in-flight step keeps its schedule: the step ${n} ${end}`, async () => {
    const vpc = aws.customerVpc(`192.168.${100 + n.length}.0/24`);
    const pcx = await aws.requestPeering(vpc);
    const r = await h.api<{ id: string }>('POST', '/v1/peerings', aws.submitBody(pcx, { customerVpcId: vpc }));
    const { leases } = reposOf(h.peerlink.store);
    // the API's kick drives it to running; wait until that step has let go of it
    await h.waitFor<{ status: string }>(`/v1/peerings/${r.body.id}`, (p) => p.status === 'running');
    for (
      let i = 0;
      i < 50 &&
      (
        await h.peerlink.store.db
          .selectFrom('peerings')
          .select('lease_owner')
          .where('id', '=', r.body.id)
          .executeTakeFirstOrThrow()
      ).lease_owner;
      i++
    )
      await new Promise((res) => setTimeout(res, 20));
    const now = h.sim.clock.now();
    // a step claims it …
    const claimed = await leases.claim({ id: r.body.id, owner: 'instance-x', now, ttlMs: 30_000 });
    assert.ok(claimed, 'claimed');
    // … the customer deletes meanwhile …
    const service = {
      store: h.peerlink.store,
      repos: reposOf(h.peerlink.store),
      clouds: h.peerlink.clouds,
      rules: defaultRulesConfig,
      clock: h.sim.clock,
      resyncCooldownMs: 10_000,
    };
    const deleting = await deletePeering(service, h.orgId, 'customer', r.body.id, now);
    assert.equal(deleting.status, 'deleting');
    // … and the step, having seen `running`, releases as if steady (or as after an action, with its outcome)
    const next = { nextAttemptAt: null, attempts: 0, lastError: null };
    if (n === 'releases')
      await leases.release({ id: r.body.id, owner: 'instance-x', seenStatus: 'running', now, next });
    else {
      const step = { peering: claimed, owner: 'instance-x', kind: 'action', note: 'create routes: done', now };
      await leases.recordOutcome({ ...step, release: { ...next, nextAttemptAt: now.toISOString() } });
      const outcome = await h.peerlink.store.db
        .selectFrom('peering_events')
        .select('note')
        .where('peering_id', '=', r.body.id)
        .where('kind', '=', 'action')
        .where('note', '=', 'create routes: done')
        .execute();
      assert.equal(outcome.length, 1, 'the outcome is recorded');
    }
    const row = await h.peerlink.store.db
      .selectFrom('peerings')
      .select(['status', 'next_attempt_at', 'lease_owner'])
      .where('id', '=', r.body.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'deleting');
    assert.ok(row.next_attempt_at, 'the delete stays scheduled');
    assert.equal(row.lease_owner, null, 'and the lease is free');
  });
}
