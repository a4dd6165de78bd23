/** The store on the engine under test (SQLite, or PostgreSQL in the second pass): migrations, constraints, claims. */
import { test, before, after } from 'node:test';
import { sql } from 'kysely';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrations/index.js';
import { OrgRepo } from '../../src/store/orgs.js';
import { PeeringLeases } from '../../src/store/peering-leases.js';
import { PlatformRepo } from '../../src/store/platform.js';
import { ConnectionIdTaken, PeeringRepo } from '../../src/store/peerings.js';
import { decodeCursor } from '../../src/store/pagination.js';
import { Prepared } from '../../src/store/prepared.js';
import { IdempotencyRepo } from '../../src/store/idempotency.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { TEST_SECRET_KEYS } from '../support/harness.js';
import { SecretBox } from '../../src/store/secrets.js';

const dir = mkdtempSync(join(tmpdir(), 'peerlink-store-'));
let database: TestDatabase;
let store: Store;
let orgId: string;
let deploymentId: string;
const now = new Date('2026-11-23T10:00:00.000Z');

before(async () => {
  database = await freshDatabase(dir);
  store = await openStore(database.url, { secrets: SecretBox.parse(TEST_SECRET_KEYS) });
  orgId = (await new OrgRepo(store.db).create('o', now)).id;
  const platform = new PlatformRepo(store.db, store.secrets);
  const account = await platform.addAccount(
    {
      provider: 'aws',
      region: 'us-east-1',
      accountId: '111111111111',
      credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
    },
    now,
  );
  deploymentId = (
    await platform.addDeployment(
      {
        orgId,
        name: 'd',
        plan: 'dedicated-professional',
        provider: 'aws',
        region: 'us-east-1',
        vpcId: 'vpc-1',
        vpcCidr: '10.11.0.0/16',
        platformAccountId: account.id,
        routeTableIds: ['rtb-1'],
      },
      now,
    )
  ).id;
});
after(async () => {
  await store.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

const input = (pcx: string) => ({
  orgId,
  deploymentId,
  provider: 'aws' as const,
  providerPeeringId: pcx,
  customerAccountId: '222222222222',
  customerVpcId: 'vpc-c',
  customerCidrs: ['172.31.0.0/16'],
  region: 'us-east-1',
  deadlineAt: null,
  hint: null,
});

test(
  `migrations are applied once and are current ` + `(${process.env.PEERLINK_TEST_PG ? 'postgres' : 'sqlite'})`,
  async () => {
    assert.equal(store.engine, process.env.PEERLINK_TEST_PG ? 'postgres' : 'sqlite');
    assert.deepEqual(await store.pending(), []);
    assert.deepEqual(await migrate(store.db), []);
  },
);

test('a provider id is held once among live peerings; a failed one frees it', async () => {
  const repo = new PeeringRepo(store.db, store.engine);
  const leases = new PeeringLeases(store.db, store.engine);
  const a = await repo.create(input('pcx-aaaaaaaa'), 'test', now);
  await assert.rejects(
    repo.create(input('pcx-aaaaaaaa'), 'test', now),
    (e: unknown) => e instanceof ConnectionIdTaken && e.providerPeeringId === 'pcx-aaaaaaaa',
  );
  assert.deepEqual(await repo.providerIdHolder('aws', 'pcx-aaaaaaaa', deploymentId), { id: a.id, orgId });
  const claimed = await leases.claim({ id: a.id, owner: 'me', now, ttlMs: 10_000 });
  assert.ok(claimed, 'claimed');
  const failed = { peering: claimed, owner: 'me', to: 'failed' as const, reason: null, note: 'test', now };
  assert.equal(await leases.transition(failed), true);
  const again = await repo.create(input('pcx-aaaaaaaa'), 'test', now);
  assert.notEqual(again.id, a.id);
});

test('every update of a peering counts its version up, whichever repository writes it', async () => {
  const repo = new PeeringRepo(store.db, store.engine);
  const leases = new PeeringLeases(store.db, store.engine);
  const version = async (id: string) => {
    const page = await repo.getMany(orgId, [id]);
    return page[0]?.version ?? -1;
  };
  const p = await repo.create(input('pcx-versions'), 'test', now);
  assert.equal(await version(p.id), 0, 'a new peering');
  const claimed = await leases.claim({ id: p.id, owner: 'v', now, ttlMs: 10_000 });
  assert.ok(claimed, 'claimed');
  const afterClaim = await version(p.id);
  assert.ok(afterClaim > 0, 'a lease claim is an update');
  const outcome = { peering: claimed, owner: 'v', to: 'running' as const, reason: null, note: 'test', now };
  assert.equal(await leases.transition(outcome), true);
  const afterTransition = await version(p.id);
  assert.ok(afterTransition > afterClaim, 'a transition');
  await repo.scheduleNow({ peering: claimed, actor: 'test', note: 'again', now });
  assert.ok((await version(p.id)) > afterTransition, 'a repository update');
  // aliased and raw-builder updates alike: the plugin sees the query, not the call site
  await store.db.updateTable('peerings as x').set({ attempts: 3 }).where('x.id', '=', p.id).execute();
  const listed = await repo.listVersions(orgId, { limit: 500 });
  const mine = listed.items.find((i) => i.id === p.id);
  assert.equal(mine?.version, await version(p.id), 'the narrow list reads the same version');
  assert.ok((mine?.version ?? 0) > afterTransition + 1, 'an aliased update too');
});

test('leases: claims exclude each other, expire, and due work is split between instances', async () => {
  const repo = new PeeringRepo(store.db, store.engine);
  const leases = new PeeringLeases(store.db, store.engine);
  const ids: string[] = [];
  for (let i = 0; i < 20; i++)
    ids.push((await repo.create(input(`pcx-b${String(i).padStart(7, '0')}`), 'test', now)).id);
  const id0 = ids[0] ?? '';
  const first = await leases.claim({ id: id0, owner: 'a', now, ttlMs: 1_000 });
  assert.ok(first && !first.takeover, 'a free lease is claimed');
  assert.equal(await leases.claim({ id: id0, owner: 'b', now, ttlMs: 1_000 }), undefined);
  const later = new Date(now.getTime() + 2_000);
  const taken = await leases.claim({ id: id0, owner: 'b', now: later, ttlMs: 1_000 });
  assert.ok(taken?.takeover, 'an expired lease is taken over');
  const due = (owner: string) => leases.claimDue({ owner, now: later, ttlMs: 10_000, limit: 15 });
  const [x, y] = await Promise.all([due('x'), due('y')]);
  assert.equal(new Set([...x, ...y]).size, x.length + y.length, 'no peering claimed by both');
  assert.ok(!x.includes(id0) && !y.includes(id0), 'a held lease is skipped');
  assert.equal(await leases.releaseAll('x'), x.length);
  const p = await repo.getById(ids[1] ?? '');
  assert.ok(p, 'the peering exists');
  const intent = { peering: p, owner: 'nobody', intent: 'accept', note: 'test', now: later, ttlMs: 1_000 };
  assert.equal(await leases.recordIntent(intent), false, 'no intent without the lease');
});

test('idempotency keys: first wins, repeat replays, other body is a mismatch, 5xx frees the key', async () => {
  const repo = new IdempotencyRepo(store.db);
  assert.deepEqual(await repo.begin(orgId, 'k1', 'h1', now), { state: 'new' });
  assert.deepEqual(await repo.begin(orgId, 'k1', 'h1', now), { state: 'in-progress' });
  await repo.finish(orgId, 'k1', 201, '{"ok":true}');
  assert.deepEqual(await repo.begin(orgId, 'k1', 'h1', now), {
    state: 'done',
    statusCode: 201,
    response: '{"ok":true}',
  });
  assert.deepEqual(await repo.begin(orgId, 'k1', 'h2', now), { state: 'mismatch' });
  assert.deepEqual(await repo.begin('other-org', 'k1', 'h2', now), { state: 'new' });
  assert.deepEqual(await repo.begin(orgId, 'k2', 'h1', now), { state: 'new' });
  await repo.abandon(orgId, 'k2');
  assert.deepEqual(await repo.begin(orgId, 'k2', 'h1', now), { state: 'new' });
});

test("queries compiled once run with each call's values, in and out of transactions, on either engine", async () => {
  const repo = new PeeringRepo(store.db, store.engine);
  const a = await repo.create(input('pcx-prep-a'), 'test', now);
  const b = await repo.create(input('pcx-prep-b'), 'test', new Date(now.getTime() + 1_000));
  assert.equal((await repo.get(orgId, a.id))?.providerPeeringId, 'pcx-prep-a');
  assert.equal((await repo.get(orgId, b.id))?.providerPeeringId, 'pcx-prep-b', 'the second call, its own values');
  assert.equal(await repo.get('org_other', a.id), undefined, 'scoped by organization');
  assert.equal(await repo.versionOf(orgId, a.id), 0);
  assert.equal(await repo.versionOf('org_other', a.id), undefined);
  await repo.scheduleNow({ peering: a, actor: 'test', note: 'again', now });
  assert.equal(await repo.versionOf(orgId, a.id), 1, 'read again after a write');
  // inside a transaction (another Kysely instance of the same store) the same compiled text serves
  await store.db.transaction().execute(async (trx) => {
    assert.equal((await new PeeringRepo(trx, store.engine).getVersioned(orgId, b.id))?.version, 0);
  });
  // every shape of the narrow list: filters present or absent, with and without a cursor
  const all = await repo.list(orgId, { limit: 500 });
  const one = await repo.listVersions(orgId, { limit: 1 });
  assert.equal(one.items[0]?.id, all.items[0]?.id, 'the first page of one');
  assert.ok(one.nextCursor, 'more to come');
  const rest = await repo.listVersions(orgId, { limit: 500, cursor: decodeCursor(one.nextCursor ?? '') });
  assert.deepEqual(
    [...one.items, ...rest.items].map((i) => i.id),
    all.items.map((i) => i.id),
    'pages after the cursor continue the full list',
  );
  const failed = await repo.listVersions(orgId, { limit: 500, status: 'failed', deploymentId });
  assert.deepEqual(
    failed.items.map((i) => i.id),
    all.items.filter((i) => i.status === 'failed').map((i) => i.id),
    'status and deployment filters',
  );
  assert.deepEqual((await repo.listVersions(orgId, { limit: 5, deploymentId: 'dep_none' })).items, []);
  // a builder that changes a value instead of passing it through is refused when first compiled
  const changed = new Prepared((db, v: { id: string }) =>
    db.selectFrom('peerings').select('id').where('id', '=', `${v.id}x`),
  );
  await assert.rejects(changed.run(store.db, { id: a.id }), /pass values through untouched/);
  // and so is one that does not pass a value as a parameter at all (baked into the text, or left out)
  const inlined = new Prepared((db, v: { id: string }) =>
    db.selectFrom('peerings').select('id').where('id', '=', sql.lit(v.id)),
  );
  await assert.rejects(inlined.run(store.db, { id: a.id }), /must pass each value as a parameter/);
});

test('tenancy: another org cannot read a peering or its events', async () => {
  const repo = new PeeringRepo(store.db, store.engine);
  const p = await repo.create(input('pcx-cccccccc'), 'test', now);
  assert.ok(await repo.get(orgId, p.id), 'its own org reads it');
  assert.equal(await repo.get('org_other', p.id), undefined);
  assert.deepEqual(await repo.events('org_other', p.id, { limit: 10 }), { items: [], nextCursor: null });
  assert.equal((await repo.events(orgId, p.id, { limit: 10 })).items.length, 1);
});

test(
  'a database connection dropped by the server does not crash the process',
  { skip: !process.env.PEERLINK_TEST_PG && 'PostgreSQL only' },
  async () => {
    const pg = (await import('pg')).default;
    const dropped: Error[] = [];
    const s2 = await openStore(database.url, {
      migrate: false,
      instance: 'dropped-test',
      onConnectionError: (e) => dropped.push(e),
    });
    await s2.db.selectFrom('orgs').select('id').execute(); // a pooled connection now idles
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> ` +
        `pg_backend_pid() and application_name = 'peerlink:dropped-test'`,
    );
    await admin.end();
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(dropped.length >= 1, 'the drop was reported');
    assert.equal(
      (await s2.db.selectFrom('orgs').select('id').execute()).length >= 1,
      true,
      'and the next query gets a fresh connection',
    );
    await s2.close();
    // the suite's own store lost its connection too; it must still work
    assert.ok((await store.db.selectFrom('orgs').select('id').execute()).length >= 1);
  },
);

test('readiness sees a database behind the code', async () => {
  const behind = await freshDatabase(dir, 'behind.db');
  const s = await openStore(behind.url, { migrate: false });
  try {
    assert.deepEqual(await s.pending(), [
      '0001_initial',
      '0002_locate_and_deadline',
      '0003_provider_id_per_deployment',
      '0004_platform_credentials',
      '0005_trust',
      '0006_performance',
      '0007_accepted_at',
      '0008_notifications',
      '0009_private_endpoint',
      '0010_connection_lookup',
    ]);
    await migrate(s.db);
    assert.deepEqual(await s.pending(), []);
  } finally {
    await s.close();
    await behind.drop();
  }
});
