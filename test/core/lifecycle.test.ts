import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  backoffMs,
  canTransition,
  decide,
  pickLocated,
  peeringStatuses,
  transitions,
  type ConnectionObservation,
  type ConnectionPhase,
  type DeploymentView,
  type PeeringView,
} from '../../src/core/lifecycle.js';
import { defaultRulesConfig } from '../../src/core/rules.js';

const deployment: DeploymentView = {
  id: 'd1',
  region: 'us-east-1',
  vpcId: 'vpc-platform1',
  vpcCidr: '10.11.0.0/16',
  platformAccountId: '111111111111',
  routeTableIds: ['rtb-a', 'rtb-b'],
};
const peering: PeeringView = {
  id: 'p1',
  status: 'pending',
  providerId: 'pcx-1',
  customerAccountId: '222222222222',
  customerVpcId: 'vpc-cust1',
  customerCidrs: [],
  deadlineAt: null,
};
const ctx = { now: '2026-01-01T00:00:00.000Z', reservedRanges: defaultRulesConfig.reservedRanges, siblings: [] };
const conn = (phase: ConnectionPhase, over: Partial<ConnectionObservation> = {}): ConnectionObservation => ({
  providerId: 'pcx-1',
  phase,
  providerStatus: phase,
  providerMessage: '',
  requester: { accountId: '222222222222', vpcId: 'vpc-cust1', region: 'us-east-1', cidrs: ['172.31.0.0/16'] },
  accepter: { accountId: '111111111111', vpcId: 'vpc-platform1', region: 'us-east-1', cidrs: ['10.11.0.0/16'] },
  ...over,
});

test('transition table: deleted is final, every status is reachable from pending or running', () => {
  assert.deepEqual(transitions.deleted, []);
  assert.equal(canTransition('pending', 'running'), true);
  assert.equal(canTransition('running', 'pending'), false);
  const reach = new Set(['pending']);
  for (let i = 0; i < peeringStatuses.length; i++)
    for (const s of [...reach]) for (const t of transitions[s as keyof typeof transitions]) reach.add(t);
  assert.deepEqual([...reach].sort(), [...peeringStatuses].sort());
});

test('pending: verify, accept, route, run', () => {
  assert.deepEqual(decide(peering, deployment, { connection: conn('awaiting-acceptance') }, ctx), {
    kind: 'act',
    action: { kind: 'accept' },
    note: 'verified; accepting',
  });
  assert.equal(decide(peering, deployment, { connection: conn('accepting') }, ctx).kind, 'wait');
  const partly = decide(
    peering,
    deployment,
    { connection: conn('active'), routes: [{ tableId: 'rtb-a', cidr: '172.31.0.0/16', state: 'active' }] },
    ctx,
  );
  assert.deepEqual(partly, {
    kind: 'act',
    action: { kind: 'ensure-routes', cidrs: ['172.31.0.0/16'], missing: [{ tableId: 'rtb-b', cidr: '172.31.0.0/16' }] },
    note: '1 route(s) to add',
  });
  const routes = deployment.routeTableIds.map((tableId) => ({
    tableId,
    cidr: '172.31.0.0/16',
    state: 'active' as const,
  }));
  const done = decide(peering, deployment, { connection: conn('active'), routes }, ctx);
  assert.equal(done.kind === 'transition' && done.to, 'running');
});

test('pending: every mismatch and ended phase fails with the reason the customer needs', () => {
  const fail = (c: ConnectionObservation | null) => {
    const d = decide(peering, deployment, { connection: c }, ctx);
    assert.equal(d.kind, 'transition');
    return d.kind === 'transition' ? d.reason?.code : undefined;
  };
  assert.equal(fail(null), 'PEERING_NOT_FOUND');
  assert.equal(fail(conn('rejected')), 'PEERING_REJECTED');
  assert.equal(fail(conn('expired')), 'PEERING_EXPIRED');
  assert.equal(fail(conn('failed', { providerMessage: 'overlapping CIDR' })), 'PEERING_FAILED_AT_PROVIDER');
  assert.equal(
    fail(
      conn('awaiting-acceptance', {
        accepter: { accountId: '111111111111', vpcId: 'vpc-other', region: 'us-east-1', cidrs: [] },
      }),
    ),
    'PEERING_WRONG_TARGET',
  );
  assert.equal(
    fail(
      conn('awaiting-acceptance', {
        requester: { accountId: '333333333333', vpcId: 'vpc-cust1', region: 'us-east-1', cidrs: ['172.31.0.0/16'] },
      }),
    ),
    'PEERING_REQUESTER_MISMATCH',
  );
  assert.equal(
    fail(
      conn('awaiting-acceptance', {
        requester: { accountId: '222222222222', vpcId: 'vpc-cust1', region: 'eu-west-1', cidrs: ['172.31.0.0/16'] },
      }),
    ),
    'REGION_MISMATCH',
  );
  assert.equal(
    fail(
      conn('awaiting-acceptance', {
        requester: { accountId: '222222222222', vpcId: 'vpc-cust1', region: 'us-east-1', cidrs: ['10.20.0.0/16'] },
      }),
    ),
    'CIDR_RESERVED',
  );
});

test('running: steady while active, drift to failed when the customer deletes it', () => {
  const running = { ...peering, status: 'running' as const };
  assert.deepEqual(decide(running, deployment, { connection: conn('active') }, ctx), { kind: 'steady' });
  for (const c of [null, conn('deleted')]) {
    const d = decide(running, deployment, { connection: c }, ctx);
    assert.ok(d.kind === 'transition' && d.to === 'failed' && d.reason?.code === 'PEERING_DELETED_BY_CUSTOMER');
  }
});

test('running: routes follow the stored CIDRs (a corrected CIDR adds its route and removes the old one)', () => {
  const running = { ...peering, status: 'running' as const, customerCidrs: ['172.32.0.0/16'] };
  const old = ['rtb-a', 'rtb-b'].map((tableId) => ({ tableId, cidr: '172.31.0.0/16', state: 'active' as const }));
  const add = decide(running, deployment, { connection: conn('active'), routes: old }, ctx);
  assert.ok(add.kind === 'act' && add.action.kind === 'ensure-routes');
  assert.deepEqual(add.action.missing, [
    { tableId: 'rtb-a', cidr: '172.32.0.0/16' },
    { tableId: 'rtb-b', cidr: '172.32.0.0/16' },
  ]);
  const both = [...old, ...old.map((r) => ({ ...r, cidr: '172.32.0.0/16' }))];
  const remove = decide(running, deployment, { connection: conn('active'), routes: both }, ctx);
  assert.ok(remove.kind === 'act' && remove.action.kind === 'remove-routes');
  assert.deepEqual(
    remove.action.routes,
    old.map(({ tableId, cidr }) => ({ tableId, cidr })),
  );
  assert.deepEqual(decide(running, deployment, { connection: conn('active'), routes: both.slice(2) }, ctx), {
    kind: 'steady',
  });
  // routes not observed (the sweep): nothing to say
  assert.deepEqual(decide(running, deployment, { connection: conn('active') }, ctx), { kind: 'steady' });
});

test('deleting: routes first, then the connection, then deleted', () => {
  const deleting = { ...peering, status: 'deleting' as const };
  const routes = [{ tableId: 'rtb-a', cidr: '172.31.0.0/16', state: 'active' as const }];
  assert.equal(
    (decide(deleting, deployment, { connection: conn('active'), routes }, ctx) as { action: { kind: string } }).action
      .kind,
    'remove-routes',
  );
  assert.equal(
    (decide(deleting, deployment, { connection: conn('active'), routes: [] }, ctx) as { action: { kind: string } })
      .action.kind,
    'delete-connection',
  );
  const gone = decide(deleting, deployment, { connection: conn('deleted'), routes: [] }, ctx);
  assert.ok(gone.kind === 'transition' && gone.to === 'deleted');
});

test('a peering still looking for its connection waits with a hint until its deadline, then fails naming what to check', () => {
  const looking = { ...peering, providerId: '', customerAccountId: '', deadlineAt: '2026-01-01T01:00:00.000Z' };
  const d = decide(looking, deployment, { connection: null }, ctx);
  assert.ok(d.kind === 'wait' && d.hint?.code === 'PEERING_SEARCHING');
  assert.equal(d.hint.params.customerVpcId, 'vpc-cust1');
  assert.equal(d.hint.params.deploymentVpcId, 'vpc-platform1');
  const late = decide(looking, deployment, { connection: null }, { ...ctx, now: '2026-01-01T01:00:00.000Z' });
  assert.ok(late.kind === 'transition' && late.to === 'failed' && late.reason?.code === 'PEERING_NOT_LOCATED');
  // with no deadline there is nothing to wait for
  const none = decide({ ...looking, deadlineAt: null }, deployment, { connection: null }, ctx);
  assert.ok(none.kind === 'transition' && none.reason?.code === 'PEERING_NOT_LOCATED');
});

test('pickLocated: a live connection before a rejected or expired one; deleted ones are history', () => {
  assert.equal(pickLocated([]), null);
  assert.equal(pickLocated([conn('deleted')]), null);
  assert.equal(
    pickLocated([conn('expired', { providerId: 'old' }), conn('awaiting-acceptance', { providerId: 'new' })])
      ?.providerId,
    'new',
  );
  assert.equal(
    pickLocated([conn('deleted', { providerId: 'gone' }), conn('expired', { providerId: 'old' })])?.providerId,
    'old',
  );
});

test('routes the cloud is still programming are waited for, not created again', () => {
  const routes = ['rtb-a', 'rtb-b'].map((tableId) => ({ tableId, cidr: '172.31.0.0/16', state: 'pending' as const }));
  assert.equal(decide(peering, deployment, { connection: conn('active'), routes }, ctx).kind, 'wait');
  const done = decide(
    peering,
    deployment,
    { connection: conn('active'), routes: routes.map((r) => ({ ...r, state: 'active' as const })) },
    ctx,
  );
  assert.ok(done.kind === 'transition' && done.to === 'running');
});

test('property: decide only proposes transitions the table allows', () => {
  const phases: ConnectionPhase[] = [
    'initiating',
    'awaiting-acceptance',
    'awaiting-customer',
    'accepting',
    'active',
    'rejected',
    'expired',
    'failed',
    'deleting',
    'deleted',
  ];
  fc.assert(
    fc.property(
      fc.constantFrom(...peeringStatuses),
      fc.option(fc.constantFrom(...phases)),
      fc.boolean(),
      (status, phase, routed) => {
        const routes = routed ? [{ tableId: 'rtb-a', cidr: '172.31.0.0/16', state: 'active' as const }] : [];
        for (const providerId of ['pcx-1', '']) {
          const d = decide(
            { ...peering, status, providerId, deadlineAt: '2026-01-01T00:30:00.000Z' },
            deployment,
            { connection: phase ? conn(phase) : null, routes },
            ctx,
          );
          if (d.kind === 'transition') assert.ok(canTransition(status, d.to), `${status} -> ${d.to}`);
        }
        const d = decide({ ...peering, status }, deployment, { connection: phase ? conn(phase) : null, routes }, ctx);
        if (d.kind === 'transition') assert.ok(canTransition(status, d.to), `${status} -> ${d.to}`);
      },
    ),
  );
});

test('property: backoff grows, stays within its cap, and jitters', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 50 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (attempt, r) => {
      const ms = backoffMs(attempt, r);
      assert.ok(ms >= 500 && ms <= 5 * 60_000);
    }),
  );
  assert.ok(backoffMs(3, 0) > backoffMs(1, 0));
});
