/**
 * The outbox on the engine under test (issue 16): events are written with the change that causes them and never
 * without it; they fan out to enabled webhooks only; deliveries are claimed in order per peering and destination,
 * by one owner at a time; deadline warnings fire only for a peering still waiting on that deadline.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refusal } from '../../src/core/errors.js';
import { openStore, type Store } from '../../src/store/db.js';
import { OrgRepo } from '../../src/store/orgs.js';
import { PlatformRepo } from '../../src/store/platform.js';
import { ConnectionIdTaken } from '../../src/store/peerings.js';
import { reposOf, type Repos } from '../../src/store/repos.js';
import { SecretBox } from '../../src/store/secrets.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { TEST_SECRET_KEYS } from '../support/harness.js';
import { must } from '../support/must.js';

const dir = mkdtempSync(join(tmpdir(), 'peerlink-outbox-'));
let database: TestDatabase;
let store: Store;
let repos: Repos;
let orgId: string;
let deploymentId: string;
const now = new Date('2026-11-23T10:00:00.000Z');
const at = (ms: number) => new Date(now.getTime() + ms);

before(async () => {
  database = await freshDatabase(dir);
  store = await openStore(database.url, { secrets: SecretBox.parse(TEST_SECRET_KEYS) });
  repos = reposOf(store);
  orgId = (await new OrgRepo(store.db).create('o', now)).id;
  const platform = new PlatformRepo(store.db, store.secrets);
  const account = await platform.addAccount(
    {
      provider: 'aws',
      region: 'us-east-1',
      accountId: '111111111111',
      credentials: { accessKeyId: 'A', secretAccessKey: 'S' },
    },
    now,
  );
  const deployment = {
    orgId,
    name: 'd',
    plan: 'dedicated-professional',
    provider: 'aws' as const,
    region: 'us-east-1',
    vpcId: 'vpc-1',
    vpcCidr: '10.11.0.0/16',
    platformAccountId: account.id,
    routeTableIds: ['rtb-1'],
  };
  deploymentId = (await platform.addDeployment(deployment, now)).id;
});
after(async () => {
  await store.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const submit = (deadlineAt: string | null = null, hint = null as ReturnType<typeof refusal> | null) =>
  repos.peerings.create(
    {
      orgId,
      deploymentId,
      provider: 'aws',
      providerPeeringId: `pcx-${(++n).toString().padStart(8, '0')}`,
      customerAccountId: '222222222222',
      customerVpcId: 'vpc-c',
      customerCidrs: [`172.${16 + n}.0.0/16`],
      region: 'us-east-1',
      deadlineAt,
      hint,
    },
    'key:k',
    now,
  );
const typesOf = async (peeringId: string) =>
  (await repos.events.list(orgId, { peeringId }, { limit: 100 })).items.map((e) => e.type);

test('a submit and a transition write their events in their transaction; a lost race writes none', async () => {
  const p = await submit();
  assert.deepEqual(await typesOf(p.id), ['peering.status_changed']);
  const claimed = must(await repos.leases.claim({ id: p.id, owner: 'a', now, ttlMs: 10_000 }), 'claimed');
  // another owner cannot transition it: nothing is written
  const lost = { peering: claimed, owner: 'b', to: 'running' as const, reason: null, note: 'x', now };
  assert.equal(await repos.leases.transition(lost), false);
  assert.deepEqual(await typesOf(p.id), ['peering.status_changed'], 'no event for a change that did not happen');
  const won = { peering: claimed, owner: 'a', to: 'running' as const, reason: null, note: 'accepted', now };
  assert.equal(await repos.leases.transition(won), true);
  assert.deepEqual(await typesOf(p.id), [
    'peering.status_changed',
    'peering.status_changed',
    'peering.action_required',
  ]);
  const todo = must((await repos.events.list(orgId, { peeringId: p.id }, { limit: 100 })).items[2], 'the todo');
  assert.deepEqual(
    todo.data.reason,
    refusal('CUSTOMER_ROUTE_NEEDED', { providerId: p.providerPeeringId, deploymentCidr: '10.11.0.0/16' }),
  );
});

test('a submit refused by the unique index leaves no event behind', async () => {
  const first = await submit();
  const before = (await repos.events.list(orgId, {}, { limit: 500 })).items.length;
  await assert.rejects(
    repos.peerings.create({ ...first, hint: null }, 'key:k', now),
    (e: unknown) => e instanceof ConnectionIdTaken,
  );
  assert.equal(
    (await repos.events.list(orgId, {}, { limit: 500 })).items.length,
    before,
    'rolled back with the insert',
  );
});

test('events fan out to enabled webhooks that want them; deliveries go one at a time per peering', async () => {
  const all = await repos.webhooks.create({ orgId, url: 'https://a.example/h', description: '', eventTypes: [] }, now);
  const some = await repos.webhooks.create(
    { orgId, url: 'https://b.example/h', description: '', eventTypes: ['peering.drift_detected'] },
    now,
  );
  const off = await repos.webhooks.create({ orgId, url: 'https://c.example/h', description: '', eventTypes: [] }, now);
  await repos.webhooks.update(orgId, off.webhook.id, { enabled: false }, now);
  const p = await submit();
  await submit();
  const claimed = must(await repos.leases.claim({ id: p.id, owner: 'a', now, ttlMs: 10_000 }), 'claimed');
  await repos.leases.transition({ peering: claimed, owner: 'a', to: 'running', reason: null, note: 'x', now });
  assert.equal(await repos.deliveries.pendingFor(all.webhook.id), 4, 'p: three events, q: one');
  assert.equal(await repos.deliveries.pendingFor(some.webhook.id), 0, 'not subscribed to these types');
  assert.equal(await repos.deliveries.pendingFor(off.webhook.id), 0, 'a disabled webhook gets nothing');

  const first = await repos.deliveries.claimDue({ owner: 'x', now, ttlMs: 10_000, limit: 50 });
  assert.deepEqual(
    first.map((d) => d.targetId),
    [all.webhook.id, all.webhook.id],
    'the first event of each peering, nothing behind them',
  );
  const other = await repos.deliveries.claimDue({ owner: 'y', now, ttlMs: 10_000, limit: 50 });
  assert.equal(other.length, 0, 'another owner finds nothing claimable while the first ones are in flight');
  const ok = { ok: true, statusCode: 204, latencyMs: 3, excerpt: '', error: null };
  const pFirst = must(
    first.find((d) => d.eventId === first.map((x) => x.eventId).sort()[0]),
    'the earliest',
  );
  assert.equal(
    await repos.deliveries.complete({ delivery: pFirst, owner: 'y', result: ok, retryAt: null, now }),
    false,
    'fenced by the lease',
  );
  for (const d of first) {
    assert.equal(await repos.deliveries.complete({ delivery: d, owner: 'x', result: ok, retryAt: null, now }), true);
  }
  const next = await repos.deliveries.claimDue({ owner: 'x', now, ttlMs: 10_000, limit: 50 });
  assert.equal(next.length, 1, 'p’s second event is next; q has no more');
  const failed = { ok: false, statusCode: 500, latencyMs: 3, excerpt: 'no', error: 'HTTP 500' };
  const d2 = must(next[0], 'the second');
  await repos.deliveries.complete({ delivery: d2, owner: 'x', result: failed, retryAt: at(60_000), now });
  assert.equal(
    (await repos.deliveries.claimDue({ owner: 'x', now, ttlMs: 10_000, limit: 50 })).length,
    0,
    'p’s third waits behind its retry',
  );
  const retried = await repos.deliveries.claimDue({ owner: 'x', now: at(60_000), ttlMs: 10_000, limit: 50 });
  assert.deepEqual(
    retried.map((d) => d.eventId),
    [d2.eventId],
    'the retry comes first, when due',
  );
  await repos.webhooks.delete(orgId, all.webhook.id);
  await repos.webhooks.delete(orgId, some.webhook.id);
  await repos.webhooks.delete(orgId, off.webhook.id);
});

test('a deadline warning fires when due, only while the peering still waits on that deadline', async () => {
  const deadline = at(10 * 60_000).toISOString();
  const waiting = refusal('PEERING_SEARCHING', { customerVpcId: 'vpc-c' });
  const p = await submit(deadline, waiting);
  const q = await submit(deadline, waiting);
  assert.ok(
    (await typesOf(p.id)).includes('peering.action_required'),
    'a submit that asks the customer to act says so',
  );
  const lease = { owner: 'x', ttlMs: 10_000, limit: 10 };
  assert.equal(await repos.deliveries.fireDue({ ...lease, now: at(4 * 60_000) }), 0, 'not due before half the window');
  // q moves on before its warning is due
  const claimed = must(await repos.leases.claim({ id: q.id, owner: 'a', now, ttlMs: 10_000 }), 'claimed');
  await repos.leases.transition({ peering: claimed, owner: 'a', to: 'running', reason: null, note: 'x', now });
  assert.equal(await repos.deliveries.fireDue({ ...lease, now: at(5 * 60_000 + 1) }), 1, 'p only');
  assert.ok((await typesOf(p.id)).includes('peering.deadline_approaching'), 'p warned');
  assert.equal((await typesOf(q.id)).includes('peering.deadline_approaching'), false, 'q not');
  assert.equal(await repos.deliveries.fireDue({ ...lease, now: at(6 * 60_000) }), 0, 'fired once');
});

test('the purge drops what is old and finished, and keeps an event whose delivery is still being retried', async () => {
  const hook = await repos.webhooks.create({ orgId, url: 'https://p.example/h', description: '', eventTypes: [] }, now);
  const done = await submit();
  const waiting = await submit();
  const claimed = await repos.deliveries.claimDue({ owner: 'p', now, ttlMs: 10_000, limit: 50 });
  const ok = { ok: true, statusCode: 204, latencyMs: 1, excerpt: '', error: null };
  const failed = { ok: false, statusCode: 500, latencyMs: 1, excerpt: 'no', error: 'HTTP 500' };
  const eventOf = async (peeringId: string) =>
    must((await repos.events.list(orgId, { peeringId }, { limit: 10 })).items[0], 'its event').id;
  const doneEvent = await eventOf(done.id);
  const waitingEvent = await eventOf(waiting.id);
  for (const d of claimed) {
    const retrying = d.eventId === waitingEvent;
    const result = retrying ? failed : ok;
    await repos.deliveries.complete({ delivery: d, owner: 'p', result, retryAt: retrying ? at(60_000) : null, now });
  }
  const count = async (table: 'events' | 'deliveries' | 'delivery_attempts') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const before = { events: await count('events'), attempts: await count('delivery_attempts') };
  assert.deepEqual(
    await repos.events.purge(now),
    { events: 0, deliveries: 0, attempts: 0 },
    'nothing before now is older than itself',
  );
  const purged = await repos.events.purge(at(1));
  assert.ok(purged.attempts >= 2, `the attempts (${purged.attempts})`);
  assert.ok(purged.deliveries >= 1, `the delivered ones (${purged.deliveries})`);
  const kept = await repos.events.get(waitingEvent);
  assert.ok(kept, 'an event with a delivery still pending is kept');
  assert.equal(await repos.events.get(doneEvent), undefined, 'a delivered, old event is gone');
  assert.ok((await count('events')) < before.events, 'events were purged');
  assert.equal(await count('delivery_attempts'), before.attempts - purged.attempts);
  assert.equal(await repos.deliveries.pendingFor(hook.webhook.id), 1, 'the retry still waits');
  await repos.webhooks.delete(orgId, hook.webhook.id);
});
