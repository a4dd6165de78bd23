/**
 * One reconcile step, unit-tested with a fake adapter on the engine under test: every kind of decision (act,
 * transition, wait, steady) and every failure branch (transient, conflict, permanent, the cloud's refusal of a
 * customer's mistake, a bug, the lease lost before acting, an intent found after a crash, backoff growth).
 * Table-driven: each case sets the cloud's answers and the peering's state, runs one step, and checks what was called
 * and recorded.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Clock } from '../../src/core/clock.js';
import type { ConnectionObservation, ConnectionPhase, RouteObservation } from '../../src/core/observation.js';
import { defaultRulesConfig } from '../../src/core/rules.js';
import type { PeeringStatus } from '../../src/core/status.js';
import { CloudCatalog } from '../../src/clouds/catalog.js';
import { ProviderError, type CloudAdapter, type ConnectionRef, type RouteRef } from '../../src/clouds/provider.js';
import type { StepDeps } from '../../src/reconciler/context.js';
import { reconcileStep } from '../../src/reconciler/step.js';
import { openStore, type Store } from '../../src/store/db.js';
import { reposOf, type Repos } from '../../src/store/repos.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { must } from '../support/must.js';
import { TEST_SECRET_KEYS } from '../support/harness.js';
import { SecretBox } from '../../src/store/secrets.js';

const dir = mkdtempSync(join(tmpdir(), 'peerlink-step-'));
let database: TestDatabase;
let store: Store;
let repos: Repos;
let orgId: string;
/** a deployment on a cloud where the customer opens and the platform routes, and one where the platform opens */
const deployments: Record<'accepts' | 'requests', string> = { accepts: '', requests: '' };
let now = new Date('2026-12-01T00:00:00.000Z');
const clock: Clock = { now: () => now };

/** What the fake cloud answers and what it was asked. */
interface FakeCloud {
  connection: ConnectionObservation | null;
  routes: RouteObservation[];
  /** the next call of this operation throws this */
  failOn: Map<string, Error>;
  /** runs inside the next observe (e.g. another instance steals the lease meanwhile) */
  duringObserve?: () => Promise<void>;
  calls: string[];
}

const cloud: FakeCloud = { connection: null, routes: [], failOn: new Map(), calls: [] };

async function maybeFail(op: string): Promise<void> {
  cloud.calls.push(op);
  const err = cloud.failOn.get(op);
  if (err !== undefined) {
    cloud.failOn.delete(op);
    throw err;
  }
  await Promise.resolve();
}

const connections = {
  async observe(_t: unknown, _ref: ConnectionRef) {
    await maybeFail('observe');
    if (cloud.duringObserve) {
      const hook = cloud.duringObserve;
      cloud.duringObserve = undefined;
      await hook();
    }
    return cloud.connection;
  },
  async *list() {
    await maybeFail('list');
    yield cloud.connection ? [cloud.connection] : [];
  },
  async close() {
    await maybeFail('close');
  },
};
const routes = {
  async observe() {
    await maybeFail('routes.observe');
    return cloud.routes;
  },
  async create(_t: unknown, _id: string, wanted: RouteRef[]) {
    await maybeFail(`routes.create ${wanted.map((r) => r.cidr).join(',')}`);
  },
  async remove(_t: unknown, _id: string, gone: RouteRef[]) {
    await maybeFail(`routes.remove ${gone.map((r) => r.cidr).join(',')}`);
  },
};
const acceptingAdapter: CloudAdapter = {
  connections,
  acceptor: { accept: () => maybeFail('accept') },
  routes,
};
const requestingAdapter: CloudAdapter = {
  connections,
  requester: { precheck: async () => ({ deploymentJoined: null }), request: () => maybeFail('request') },
};

let deps: StepDeps;

before(async () => {
  database = await freshDatabase(dir);
  store = await openStore(database.url, { secrets: SecretBox.parse(TEST_SECRET_KEYS) });
  repos = reposOf(store);
  orgId = (await repos.orgs.create('o', now)).id;
  // the fakes stand in for a customer-opens cloud (aws) and a platform-opens one (tencent): only the declared
  // capabilities of those descriptors are used
  const clouds = new CloudCatalog(undefined, { aws: acceptingAdapter, tencent: requestingAdapter });
  for (const [key, provider, vpcId] of [
    ['accepts', 'aws', 'vpc-dep'],
    ['requests', 'tencent', 'vpc-dep2'],
  ] as const) {
    const account = await repos.platform.addAccount(
      { provider, region: 'r1', accountId: `${key}-acct`, credentials: { accessKeyId: 'a', secretAccessKey: 's' } },
      now,
    );
    const d = await repos.platform.addDeployment(
      {
        orgId,
        name: key,
        plan: 'dedicated-professional',
        provider,
        region: 'r1',
        vpcId,
        vpcCidr: '10.11.0.0/16',
        platformAccountId: account.id,
        routeTableIds: provider === 'aws' ? ['rtb-1'] : [],
      },
      now,
    );
    deployments[key] = d.id;
  }
  deps = {
    peerings: repos.peerings,
    leases: repos.leases,
    platform: repos.platform,
    clouds,
    clock,
    rules: defaultRulesConfig,
    log: pino({ level: 'silent' }),
    random: () => 0,
    owner: 'me',
    leaseMs: 30_000,
  };
});
after(async () => {
  await store.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

let serial = 0;
/** A fresh peering in `status`, its connection named (or not), nothing scheduled. */
async function peering(
  o: { status?: PeeringStatus; kind?: 'accepts' | 'requests'; cidrs?: string[]; deadlineAt?: string | null } = {},
) {
  const kind = o.kind ?? 'accepts';
  const id = `conn-${++serial}`;
  // each case on its own: earlier peerings are no longer live siblings (their CIDRs would overlap)
  await store.db.updateTable('peerings').set({ status: 'deleted' }).execute();
  const p = await repos.peerings.create(
    {
      orgId,
      deploymentId: deployments[kind],
      provider: kind === 'accepts' ? 'aws' : 'tencent',
      providerPeeringId: id,
      customerAccountId: '222222222222',
      customerVpcId: `vpc-c${serial}`,
      customerCidrs: o.cidrs ?? [],
      region: 'r1',
      deadlineAt: o.deadlineAt ?? null,
      hint: null,
    },
    'test',
    now,
  );
  if (o.status && o.status !== 'pending')
    await store.db.updateTable('peerings').set({ status: o.status }).where('id', '=', p.id).execute();
  return { id: p.id, connectionId: id };
}

function connection(id: string, phase: ConnectionPhase, over: Partial<ConnectionObservation> = {}) {
  return {
    providerId: id,
    phase,
    providerStatus: phase,
    providerMessage: '',
    customer: { accountId: '222222222222', vpcId: `vpc-c${serial}`, region: 'r1', cidrs: ['172.31.0.0/16'] },
    platform: { accountId: 'accepts-acct', vpcId: 'vpc-dep', region: 'r1', cidrs: ['10.11.0.0/16'] },
    ...over,
  };
}

function reset(c: ConnectionObservation | null, r: RouteObservation[] = []) {
  cloud.connection = c;
  cloud.routes = r;
  cloud.failOn.clear();
  cloud.calls = [];
  cloud.duringObserve = undefined;
}

async function row(id: string) {
  return store.db.selectFrom('peerings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
async function events(id: string) {
  return store.db.selectFrom('peering_events').selectAll().where('peering_id', '=', id).orderBy('id').execute();
}

const transient = (op: string) => new ProviderError('transient', op, 'Throttling', 'slow down');
const conflict = (op: string) => new ProviderError('conflict', op, 'IncorrectState', 'state moved');
const permanent = (op: string, code = 'Denied') => new ProviderError('permanent', op, code, 'no');

interface Case {
  name: string;
  status?: PeeringStatus;
  kind?: 'accepts' | 'requests';
  cidrs?: string[];
  phase: ConnectionPhase | null;
  routes?: RouteObservation[];
  failOn?: [string, (op: string) => Error];
  expect: {
    outcome: string;
    again?: boolean;
    calls: string[];
    status: PeeringStatus;
    reason?: string | null;
    event?: string;
    attempts?: number;
    /** ms from now to the next attempt; null: none scheduled */
    nextInMs?: number | null;
  };
}

const active = (cidr: string): RouteObservation => ({ tableId: 'rtb-1', cidr, state: 'active' });

const cases: Case[] = [
  {
    name: 'verified and awaiting acceptance: the intent is recorded, then accepted, and stepped again at once',
    phase: 'awaiting-acceptance',
    expect: { outcome: 'acted', again: true, calls: ['observe', 'accept'], status: 'pending', event: 'action' },
  },
  {
    name: 'active without its routes: the missing route is created',
    phase: 'active',
    expect: {
      outcome: 'acted',
      again: true,
      calls: ['observe', 'routes.observe', 'routes.create 172.31.0.0/16'],
      status: 'pending',
    },
  },
  {
    name: 'active and routed: running, the reported CIDRs stored',
    phase: 'active',
    routes: [active('172.31.0.0/16')],
    expect: { outcome: 'transitioned', calls: ['observe', 'routes.observe'], status: 'running', nextInMs: null },
  },
  {
    name: 'running and steady: nothing to do, nothing scheduled',
    status: 'running',
    cidrs: ['172.31.0.0/16'],
    phase: 'active',
    routes: [active('172.31.0.0/16')],
    expect: { outcome: 'steady', calls: ['observe', 'routes.observe'], status: 'running', nextInMs: null },
  },
  {
    name: 'the cloud is still provisioning: wait and look again',
    phase: 'accepting',
    expect: { outcome: 'waiting', calls: ['observe'], status: 'pending', nextInMs: 1_000 },
  },
  {
    name: 'the customer’s request targets another network: failed with the rule, nothing accepted',
    phase: 'awaiting-acceptance',
    expect: { outcome: 'transitioned', calls: ['observe'], status: 'failed', reason: 'PEERING_WRONG_TARGET' },
  },
  {
    name: 'a transient error observing: retried with backoff, never failed',
    phase: 'awaiting-acceptance',
    failOn: ['observe', transient],
    expect: {
      outcome: 'retrying',
      calls: ['observe'],
      status: 'pending',
      event: 'retrying',
      attempts: 1,
      nextInMs: 1_000,
    },
  },
  {
    name: 'a conflict accepting: observed again at once',
    phase: 'awaiting-acceptance',
    failOn: ['accept', conflict],
    expect: {
      outcome: 'retrying',
      again: true,
      calls: ['observe', 'accept'],
      status: 'pending',
      event: 'conflict',
      attempts: 1,
      nextInMs: 0,
    },
  },
  {
    name: 'a permanent refusal while in flight: failed, with the cloud’s code',
    phase: 'awaiting-acceptance',
    failOn: ['accept', (op) => permanent(op, 'OperationDenied')],
    expect: { outcome: 'transitioned', calls: ['observe', 'accept'], status: 'failed', reason: 'PROVIDER_ERROR' },
  },
  {
    name: 'a permanent refusal while running: shown, retried slowly, still running',
    status: 'running',
    cidrs: ['172.31.0.0/16'],
    phase: 'active',
    routes: [],
    failOn: ['routes.create 172.31.0.0/16', permanent],
    expect: {
      outcome: 'retrying',
      calls: ['observe', 'routes.observe', 'routes.create 172.31.0.0/16'],
      status: 'running',
      event: 'error',
      attempts: 1,
      nextInMs: 1_000,
    },
  },
  {
    name: 'a bug (not a cloud error): backed off, never failed',
    phase: 'awaiting-acceptance',
    failOn: ['observe', () => new TypeError('undefined is not a function')],
    expect: { outcome: 'error', calls: ['observe'], status: 'pending', attempts: 1, nextInMs: 1_000 },
  },
  {
    name: 'deleting: the routes go first',
    status: 'deleting',
    phase: 'active',
    routes: [active('172.31.0.0/16')],
    expect: {
      outcome: 'acted',
      again: true,
      calls: ['observe', 'routes.observe', 'routes.remove 172.31.0.0/16'],
      status: 'deleting',
    },
  },
  {
    name: 'deleting, routes gone: the connection is closed',
    status: 'deleting',
    phase: 'active',
    expect: { outcome: 'acted', again: true, calls: ['observe', 'routes.observe', 'close'], status: 'deleting' },
  },
  {
    name: 'deleting, the connection gone: deleted',
    status: 'deleting',
    phase: 'deleted',
    expect: { outcome: 'transitioned', calls: ['observe', 'routes.observe'], status: 'deleted', nextInMs: null },
  },
  {
    name: 'the cloud says the customer typed a network that does not exist: failed in the customer’s words',
    kind: 'requests',
    phase: null,
    failOn: ['request', (op) => permanent(op, 'ResourceNotFound')],
    expect: {
      outcome: 'transitioned',
      calls: ['observe', 'request'],
      status: 'failed',
      reason: 'CUSTOMER_NETWORK_NOT_FOUND',
      // a failed request the platform made is withdrawn by the next step
      nextInMs: 0,
    },
  },
  {
    name: 'the platform opens: no request yet, so it asks',
    kind: 'requests',
    phase: null,
    expect: { outcome: 'acted', again: true, calls: ['observe', 'request'], status: 'pending' },
  },
];

for (const c of cases) {
  test(`step: ${c.name}`, async () => {
    const p = await peering({ status: c.status, kind: c.kind, cidrs: c.cidrs });
    const platform =
      c.kind === 'requests'
        ? { accountId: 'requests-acct', vpcId: 'vpc-dep2', region: 'r1', cidrs: ['10.11.0.0/16'] }
        : undefined;
    const wrongTarget = c.expect.reason === 'PEERING_WRONG_TARGET';
    const obs =
      c.phase === null
        ? null
        : connection(p.connectionId, c.phase, {
            ...(platform ? { platform } : {}),
            ...(wrongTarget ? { platform: { accountId: 'x', vpcId: 'vpc-other', region: 'r1', cidrs: [] } } : {}),
          });
    reset(obs, c.routes ?? []);
    if (c.failOn) cloud.failOn.set(c.failOn[0], c.failOn[1](c.failOn[0]));
    const before = (await events(p.id)).length;
    const result = await reconcileStep(deps, p.id);
    const seen = await row(p.id);
    assert.equal(result.outcome, c.expect.outcome, `${seen.status} ${seen.reason_code ?? ''} ${seen.last_error ?? ''}`);
    assert.equal(result.again, c.expect.again ?? false, 'whether to step again at once');
    assert.deepEqual(cloud.calls, c.expect.calls, 'the cloud calls made');
    const r = await row(p.id);
    assert.equal(r.status, c.expect.status);
    assert.equal(r.lease_owner, null, 'the lease is handed back');
    assert.equal(r.intent, null, 'no intent left behind');
    if (c.expect.reason !== undefined) assert.equal(r.reason_code, c.expect.reason);
    if (c.expect.attempts !== undefined) assert.equal(r.attempts, c.expect.attempts);
    if (c.expect.nextInMs !== undefined) {
      const next = r.next_attempt_at === null ? null : Date.parse(r.next_attempt_at) - now.getTime();
      assert.equal(next, c.expect.nextInMs, 'when it is looked at again');
    }
    const added = (await events(p.id)).slice(before);
    if (c.expect.event)
      assert.ok(
        added.some((e) => e.kind === c.expect.event),
        `an event ${c.expect.event}`,
      );
    if (c.expect.outcome === 'acted') {
      const intent = added.find((e) => e.kind === 'intent');
      assert.ok(intent, 'the intent is recorded before the side effect');
      assert.ok(added.indexOf(intent) < added.findIndex((e) => e.kind === 'action'), 'intent, then outcome');
    }
  });
}

test('step: backoff grows with each failed attempt and is capped', async () => {
  const p = await peering();
  reset(connection(p.connectionId, 'awaiting-acceptance'));
  const delays: number[] = [];
  for (let i = 0; i < 12; i++) {
    cloud.failOn.set('observe', transient('observe'));
    await reconcileStep(deps, p.id);
    const r = await row(p.id);
    delays.push(Date.parse(must(r.next_attempt_at, 'a next attempt')) - now.getTime());
  }
  assert.deepEqual(delays.slice(0, 5), [1_000, 2_000, 4_000, 8_000, 16_000], 'doubling (jitter at its floor)');
  assert.equal(delays.at(-1), (5 * 60_000) / 2 + 0, 'capped at 5 minutes (the half the jitter floor keeps)');
  const retrying = (await events(p.id)).filter((e) => e.kind === 'retrying');
  assert.equal(retrying.length, 1, 'the history says so once, not per attempt');
});

test('step: a conflict is observed again at once three times, then backs off', async () => {
  const p = await peering();
  reset(connection(p.connectionId, 'awaiting-acceptance'));
  const again: boolean[] = [];
  for (let i = 0; i < 4; i++) {
    cloud.failOn.set('accept', conflict('accept'));
    again.push((await reconcileStep(deps, p.id)).again);
  }
  assert.deepEqual(again, [true, true, true, false]);
  const r = await row(p.id);
  assert.ok(Date.parse(must(r.next_attempt_at, 'a next attempt')) > now.getTime(), 'the fourth backs off');
});

test('step: the lease lost before acting — another instance took the peering — so nothing is done', async () => {
  const p = await peering();
  reset(connection(p.connectionId, 'awaiting-acceptance'));
  cloud.duringObserve = async () => {
    await store.db.updateTable('peerings').set({ lease_owner: 'other' }).where('id', '=', p.id).execute();
  };
  const result = await reconcileStep(deps, p.id);
  assert.equal(result.outcome, 'busy');
  assert.deepEqual(cloud.calls, ['observe'], 'no accept');
  assert.equal((await row(p.id)).lease_owner, 'other', 'the other instance keeps it');
});

test('step: a lease held by another instance is left alone', async () => {
  const p = await peering();
  const until = new Date(now.getTime() + 60_000).toISOString();
  await store.db
    .updateTable('peerings')
    .set({ lease_owner: 'other', lease_until: until })
    .where('id', '=', p.id)
    .execute();
  reset(connection(p.connectionId, 'awaiting-acceptance'));
  assert.equal((await reconcileStep(deps, p.id)).outcome, 'busy');
  assert.deepEqual(cloud.calls, []);
});

test("step: a sweep's list older than the peering's last change is not its state: observed again", async () => {
  // the list was asked for while the peering was being accepted; it has run since
  const p = await peering({ status: 'running', cidrs: ['172.31.0.0/16'] });
  const listedWhileAccepting = { connection: connection(p.connectionId, 'awaiting-acceptance'), at: now };
  reset(connection(p.connectionId, 'active'), [active('172.31.0.0/16')]);
  const result = await reconcileStep(deps, p.id, listedWhileAccepting);
  assert.equal(result.outcome, 'steady');
  assert.deepEqual(cloud.calls, ['observe', 'routes.observe'], 'the connection described afresh');
  assert.equal((await row(p.id)).status, 'running', 'not failed for a stale view');

  // nor does one asked for only a little after its last change (instances' clocks may differ that much)
  const soonAfter = { connection: null, at: new Date(Date.parse((await row(p.id)).updated_at) + 10_000) };
  reset(connection(p.connectionId, 'active'), [active('172.31.0.0/16')]);
  await reconcileStep(deps, p.id, soonAfter);
  assert.equal(cloud.calls[0], 'observe', "described afresh within the clocks' allowance");
  assert.equal((await row(p.id)).status, 'running');

  // a list asked for well after the peering last changed speaks for it: no describe, and drift is drift
  const later = { connection: null, at: new Date(Date.parse((await row(p.id)).updated_at) + 60_000) };
  reset(connection(p.connectionId, 'active'), [active('172.31.0.0/16')]);
  await reconcileStep(deps, p.id, later);
  assert.ok(!cloud.calls.includes('observe'), "the sweep's view used");
  assert.equal((await row(p.id)).status, 'failed', 'gone at the cloud');
});

test("step: a submit's look speaks for its first step only while nothing but that step's claim moved it", async () => {
  const fresh = await peering();
  const submitted = { connection: connection(fresh.connectionId, 'awaiting-acceptance'), at: now, version: 0 };
  reset(connection(fresh.connectionId, 'awaiting-acceptance'));
  assert.equal((await reconcileStep(deps, fresh.id, submitted)).outcome, 'acted');
  assert.deepEqual(cloud.calls, ['accept'], 'accepted on what the submit saw, without describing again');

  // changed between the submit and its step (here: by the customer): described afresh
  const moved = await peering();
  await store.db.updateTable('peerings').set({ customer_cidrs: '[]' }).where('id', '=', moved.id).execute();
  const stale = { connection: connection(moved.connectionId, 'awaiting-acceptance'), at: now, version: 0 };
  reset(null);
  await reconcileStep(deps, moved.id, stale);
  assert.equal(cloud.calls[0], 'observe', 'the cloud asked again');
  assert.ok(!cloud.calls.includes('accept'), 'nothing accepted on a stale view');
});

test('step: an intent found after a crash is recorded as recovered, the cloud observed again', async () => {
  const p = await peering();
  await store.db.updateTable('peerings').set({ intent: 'accept' }).where('id', '=', p.id).execute();
  // the accept had landed before the crash: the cloud now shows it provisioning
  reset(connection(p.connectionId, 'accepting'));
  const result = await reconcileStep(deps, p.id);
  assert.equal(result.outcome, 'waiting');
  assert.deepEqual(cloud.calls, ['observe'], 'not accepted again');
  const recovered = (await events(p.id)).find((e) => e.kind === 'recovered');
  assert.match(must(recovered, 'a recovered event').note, /interrupted during "accept"/);
  assert.equal((await row(p.id)).intent, null);
});

test('step: the platform’s request expires at its deadline, then is withdrawn by the next step', async () => {
  const deadline = new Date(now.getTime() + 10 * 60_000).toISOString();
  const p = await peering({ kind: 'requests', status: 'awaiting-customer', deadlineAt: deadline });
  const platform = { accountId: 'requests-acct', vpcId: 'vpc-dep2', region: 'r1', cidrs: ['10.11.0.0/16'] };
  reset(connection(p.connectionId, 'awaiting-customer', { platform }));
  const saved = now;
  now = new Date(Date.parse(deadline));
  try {
    const expired = await reconcileStep(deps, p.id);
    assert.equal(expired.outcome, 'transitioned');
    const r = await row(p.id);
    assert.equal(r.status, 'failed');
    assert.equal(r.reason_code, 'PEERING_APPROVAL_EXPIRED');
    assert.equal(r.next_attempt_at, now.toISOString(), 'the withdrawal is due at once');
    cloud.calls = [];
    const withdrawn = await reconcileStep(deps, p.id);
    assert.equal(withdrawn.outcome, 'acted');
    assert.deepEqual(cloud.calls, ['observe', 'close']);
  } finally {
    now = saved;
  }
});

test('step: an accept the cloud applies asynchronously is remembered, waited for, and not repeated', async () => {
  const p = await peering();
  // the cloud still shows the request awaiting acceptance right after the accept (its accept is asynchronous)
  reset(connection(p.connectionId, 'awaiting-acceptance'));
  assert.equal((await reconcileStep(deps, p.id)).outcome, 'acted');
  assert.equal((await row(p.id)).accepted_at, now.toISOString(), 'the accept is remembered');
  cloud.calls = [];
  const again = await reconcileStep(deps, p.id);
  assert.equal(again.outcome, 'waiting');
  assert.deepEqual(cloud.calls, ['observe'], 'not accepted twice');
  // an accept that never took effect (10 minutes on) is taken as lost and made again
  const saved = now;
  now = new Date(now.getTime() + 10 * 60_000);
  try {
    cloud.calls = [];
    assert.equal((await reconcileStep(deps, p.id)).outcome, 'acted');
    assert.deepEqual(cloud.calls, ['observe', 'accept']);
  } finally {
    now = saved;
  }
});

test('step: a failed request whose withdrawal the cloud refuses: shown once, retried slowly and quietly', async () => {
  const p = await peering({ kind: 'requests', status: 'failed' });
  const platform = { accountId: 'requests-acct', vpcId: 'vpc-dep2', region: 'r1', cidrs: ['10.11.0.0/16'] };
  reset(connection(p.connectionId, 'awaiting-customer', { platform }));
  const refusals = async () => (await events(p.id)).filter((e) => e.kind === 'error').length;
  for (let i = 0; i < 3; i++) {
    cloud.failOn.set('close', permanent('close', 'UnsupportedOperation.CcnNotAttached'));
    assert.equal((await reconcileStep(deps, p.id)).outcome, 'retrying');
    const r = await row(p.id);
    assert.equal(r.status, 'failed');
    assert.ok(Date.parse(must(r.next_attempt_at, 'a next attempt')) > now.getTime(), 'retried later, not at once');
  }
  assert.equal(await refusals(), 1, 'the refusal is in the history once');
});
