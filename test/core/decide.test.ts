import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { peeringActions } from '../../src/core/actions.js';
import { backoffMs } from '../../src/core/backoff.js';
import type { Capabilities } from '../../src/core/capabilities.js';
import { decide, needsRoutes, sweepWants } from '../../src/core/decide.js';
import {
  pickLocated,
  type ConnectionObservation,
  type ConnectionPhase,
  type DeploymentView,
  type PeeringView,
} from '../../src/core/observation.js';
import { pollAfter } from '../../src/core/polling.js';
import { defaultRulesConfig } from '../../src/core/rules.js';
import { canTransition, peeringStatuses, transitions } from '../../src/core/status.js';

/** The two shapes every cloud falls into, as far as decide() is concerned. */
const customerOpens: Capabilities = {
  opens: 'customer',
  finds: 'id',
  routes: 'platform',
  customerCidrs: 'reported',
  approvalWindow: false,
  oneCustomerNetwork: false,
};
const platformOpens: Capabilities = {
  opens: 'platform',
  finds: 'id',
  routes: 'propagated',
  customerCidrs: 'reported',
  approvalWindow: true,
  oneCustomerNetwork: true,
};

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
const ctx = {
  now: '2026-01-01T00:00:00.000Z',
  capabilities: customerOpens,
  reservedRanges: defaultRulesConfig.reservedRanges,
  cidrPolicy: defaultRulesConfig.cidrPolicy,
  siblings: [],
};
const conn = (phase: ConnectionPhase, over: Partial<ConnectionObservation> = {}): ConnectionObservation => ({
  providerId: 'pcx-1',
  phase,
  providerStatus: phase,
  providerMessage: '',
  customer: { accountId: '222222222222', vpcId: 'vpc-cust1', region: 'us-east-1', cidrs: ['172.31.0.0/16'] },
  platform: { accountId: '111111111111', vpcId: 'vpc-platform1', region: 'us-east-1', cidrs: ['10.11.0.0/16'] },
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
  assert.equal(done.kind === 'transition' && done.next, 'idle');
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
        platform: { accountId: '111111111111', vpcId: 'vpc-other', region: 'us-east-1', cidrs: [] },
      }),
    ),
    'PEERING_WRONG_TARGET',
  );
  assert.equal(
    fail(
      conn('awaiting-acceptance', {
        customer: { accountId: '333333333333', vpcId: 'vpc-cust1', region: 'us-east-1', cidrs: ['172.31.0.0/16'] },
      }),
    ),
    'PEERING_REQUESTER_MISMATCH',
  );
  assert.equal(
    fail(
      conn('awaiting-acceptance', {
        customer: { accountId: '222222222222', vpcId: 'vpc-cust1', region: 'eu-west-1', cidrs: ['172.31.0.0/16'] },
      }),
    ),
    'REGION_MISMATCH',
  );
  assert.equal(
    fail(
      conn('awaiting-acceptance', {
        customer: { accountId: '222222222222', vpcId: 'vpc-cust1', region: 'us-east-1', cidrs: ['10.20.0.0/16'] },
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
    assert.ok(
      d.kind === 'transition' && d.to === 'failed' && d.reason?.code === 'PEERING_DELETED_BY_CUSTOMER',
      'drift',
    );
  }
});

test('running: routes follow the stored CIDRs (a corrected CIDR adds its route and removes the old one)', () => {
  const running = { ...peering, status: 'running' as const, customerCidrs: ['172.32.0.0/16'] };
  const old = ['rtb-a', 'rtb-b'].map((tableId) => ({ tableId, cidr: '172.31.0.0/16', state: 'active' as const }));
  const add = decide(running, deployment, { connection: conn('active'), routes: old }, ctx);
  assert.ok(add.kind === 'act' && add.action.kind === 'ensure-routes', 'the new route is added first');
  assert.deepEqual(add.action.missing, [
    { tableId: 'rtb-a', cidr: '172.32.0.0/16' },
    { tableId: 'rtb-b', cidr: '172.32.0.0/16' },
  ]);
  const both = [...old, ...old.map((r) => ({ ...r, cidr: '172.32.0.0/16' }))];
  const remove = decide(running, deployment, { connection: conn('active'), routes: both }, ctx);
  assert.ok(remove.kind === 'act' && remove.action.kind === 'remove-routes', 'then the old one removed');
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
    'close',
  );
  // a route the cloud is still removing is waited for before the connection goes
  const removing = [{ tableId: 'rtb-a', cidr: '172.31.0.0/16', state: 'pending' as const }];
  const waiting = decide(deleting, deployment, { connection: conn('active'), routes: removing }, ctx);
  assert.ok(waiting.kind === 'wait' && waiting.afterMs === pollAfter.routesProgramming, 'waits for the route');
  const closing = decide(deleting, deployment, { connection: conn('deleting'), routes: [] }, ctx);
  assert.ok(closing.kind === 'wait' && closing.afterMs === pollAfter.cloudBusy, 'waits for the cloud to finish');
  const gone = decide(deleting, deployment, { connection: conn('deleted'), routes: [] }, ctx);
  assert.ok(gone.kind === 'transition' && gone.to === 'deleted', 'deleted');
  // a pending request is closed too (the adapter picks reject or delete by its phase)
  const pending = decide(deleting, deployment, { connection: conn('awaiting-acceptance'), routes: [] }, ctx);
  assert.ok(pending.kind === 'act' && pending.action.kind === 'close', 'a pending request is closed');
});

test(
  'a peering still looking for its connection waits with a ' +
    'hint until its deadline, then fails naming what to check',
  () => {
    const looking = { ...peering, providerId: '', customerAccountId: '', deadlineAt: '2026-01-01T01:00:00.000Z' };
    const d = decide(looking, deployment, { connection: null }, ctx);
    assert.ok(d.kind === 'wait' && d.hint?.code === 'PEERING_SEARCHING', 'a hint while searching');
    assert.equal(d.afterMs, pollAfter.searching);
    assert.equal(d.hint.params.customerVpcId, 'vpc-cust1');
    assert.equal(d.hint.params.deploymentVpcId, 'vpc-platform1');
    const late = decide(looking, deployment, { connection: null }, { ...ctx, now: '2026-01-01T01:00:00.000Z' });
    assert.ok(
      late.kind === 'transition' && late.to === 'failed' && late.reason?.code === 'PEERING_NOT_LOCATED',
      'late',
    );
    // with no deadline there is nothing to wait for
    const none = decide({ ...looking, deadlineAt: null }, deployment, { connection: null }, ctx);
    assert.ok(none.kind === 'transition' && none.reason?.code === 'PEERING_NOT_LOCATED', 'no deadline');
  },
);

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
  assert.ok(done.kind === 'transition' && done.to === 'running', 'running once programmed');
});

test('one route change at a time: while any route is still changing, nothing else is asked of the routes', () => {
  const one = { tableId: 'rtb-a', cidr: '172.31.0.0/16' };
  const other = { tableId: 'rtb-b', cidr: '172.31.0.0/16' };
  // pending: one route added and still Pending, the other missing — wait, do not ask for the second yet
  const adding = decide(
    peering,
    deployment,
    { connection: conn('active'), routes: [{ ...one, state: 'pending' }] },
    ctx,
  );
  assert.ok(adding.kind === 'wait' && adding.afterMs === pollAfter.routesProgramming, 'waits before the next route');
  // running: a route to a CIDR no longer peered is not removed while another is still changing
  const running = { ...peering, status: 'running' as const, customerCidrs: ['172.31.0.0/16'] };
  const routes = [
    { ...one, state: 'pending' as const },
    { tableId: 'rtb-a', cidr: '172.30.0.0/16', state: 'active' as const },
  ];
  assert.equal(decide(running, deployment, { connection: conn('active'), routes }, ctx).kind, 'wait');
  // deleting: one Deleting, one still Available — wait, then remove the other
  const deleting = { ...peering, status: 'deleting' as const };
  const removing = [
    { ...one, state: 'pending' as const },
    { ...other, state: 'active' as const },
  ];
  assert.equal(decide(deleting, deployment, { connection: conn('active'), routes: removing }, ctx).kind, 'wait');
  const next = decide(
    deleting,
    deployment,
    { connection: conn('active'), routes: [{ ...other, state: 'active' }] },
    ctx,
  );
  assert.ok(next.kind === 'act' && next.action.kind === 'remove-routes', 'then the next');
});

test('an accept already made is waited for while the cloud applies it, not repeated; after 10 minutes, again', () => {
  const accepted = { ...peering, acceptedAt: '2025-12-31T23:59:00.000Z' };
  const waiting = decide(accepted, deployment, { connection: conn('awaiting-acceptance') }, ctx);
  assert.ok(waiting.kind === 'wait' && waiting.afterMs === pollAfter.cloudBusy, 'waits');
  const later = { ...ctx, now: '2026-01-01T00:09:00.000Z' };
  assert.equal(decide(accepted, deployment, { connection: conn('awaiting-acceptance') }, later).kind, 'act');
  const fresh = decide(peering, deployment, { connection: conn('awaiting-acceptance') }, ctx);
  assert.ok(fresh.kind === 'act' && fresh.action.kind === 'accept', 'never accepted: accept');
});

test('platform opens: a request the cloud expired before the approval deadline is made again; after it, failed', () => {
  const pctx = { ...ctx, capabilities: platformOpens };
  const waiting = { ...peering, status: 'awaiting-customer' as const, deadlineAt: '2026-01-01T00:10:00.000Z' };
  const again = decide(waiting, deployment, { connection: conn('expired') }, pctx);
  assert.ok(again.kind === 'act' && again.action.kind === 'request', 'asked again within the window');
  const late = decide(
    waiting,
    deployment,
    { connection: conn('expired') },
    { ...pctx, now: '2026-01-01T00:10:00.000Z' },
  );
  assert.ok(late.kind === 'transition' && late.to === 'failed', 'failed once the window is over');
  // Peerlink's window is what ran out (the cloud's shorter one was only renewed): the customer is told so
  assert.equal(late.kind === 'transition' && late.reason?.code, 'PEERING_APPROVAL_EXPIRED');
});

test('typed CIDRs: what the customer typed is used; where the cloud also shows them, they must be among them', () => {
  const typedCaps: Capabilities = { ...platformOpens, customerCidrs: 'typed' };
  const tctx = { ...ctx, capabilities: typedCaps };
  const typed = { ...peering, status: 'awaiting-customer' as const, customerCidrs: ['172.31.0.0/16'] };
  // not readable: the typed CIDRs are used
  const unread = conn('active', { customer: { ...conn('active').customer, cidrs: [] } });
  const run = decide(typed, deployment, { connection: unread }, tctx);
  assert.ok(run.kind === 'transition' && run.to === 'running', 'runs');
  assert.deepEqual(run.cidrs, ['172.31.0.0/16']);
  // readable and containing them (the customer network has more): fine, the typed ones are stored
  const more = conn('active', { customer: { ...conn('active').customer, cidrs: ['172.31.0.0/16', '172.20.0.0/16'] } });
  const ok = decide(typed, deployment, { connection: more }, tctx);
  assert.ok(ok.kind === 'transition' && ok.to === 'running', 'runs');
  assert.deepEqual(ok.cidrs, ['172.31.0.0/16']);
  // readable and not containing them: refused, naming both
  const wrong = decide({ ...typed, customerCidrs: ['192.168.0.0/16'] }, deployment, { connection: more }, tctx);
  assert.ok(wrong.kind === 'transition' && wrong.reason?.code === 'CUSTOMER_CIDRS_MISMATCH', 'mismatch');
  assert.equal(wrong.reason.params.typed, '192.168.0.0/16');
  assert.equal(wrong.reason.params.reported, '172.31.0.0/16, 172.20.0.0/16');
  // a peering stored before its cloud asked for CIDRs falls back to what the cloud shows
  const old = decide({ ...typed, customerCidrs: [] }, deployment, { connection: more }, tctx);
  assert.ok(old.kind === 'transition' && old.to === 'running', 'runs');
  assert.deepEqual(old.cidrs, ['172.31.0.0/16', '172.20.0.0/16']);
  // where the cloud reports them, a typed CIDR is not checked against it (it is not asked for)
  const reported = decide({ ...typed, customerCidrs: ['192.168.0.0/16'] }, deployment, { connection: more }, ctx);
  assert.notEqual(reported.kind === 'transition' ? reported.reason?.code : '', 'CUSTOMER_CIDRS_MISMATCH');
});

test('platform opens: request, wait for the customer with a hint until the deadline, expire, withdraw', () => {
  const c = { ...ctx, capabilities: platformOpens };
  const p = { ...peering, providerId: 'ccn-1', deadlineAt: '2026-01-01T00:10:00.000Z' };
  const customerNet = (phase: ConnectionPhase) =>
    conn(phase, {
      providerId: 'ccn-1',
      customer: { accountId: '222222222222', vpcId: 'vpc-cust1', region: 'us-east-1', cidrs: ['172.31.0.0/16'] },
    });
  assert.deepEqual(decide(p, deployment, { connection: null }, c).kind, 'act');
  const asked = decide(p, deployment, { connection: customerNet('awaiting-customer') }, c);
  assert.ok(asked.kind === 'transition' && asked.to === 'awaiting-customer', 'awaiting the customer');
  assert.equal(asked.reason?.code, 'PEERING_AWAITING_CUSTOMER');
  // polled at most every approvalAtMost, and not later than the deadline
  assert.deepEqual(asked.next, { afterMs: pollAfter.approvalAtMost });
  const waiting = { ...p, status: 'awaiting-customer' as const };
  const soon = decide(
    waiting,
    deployment,
    { connection: customerNet('awaiting-customer') },
    { ...c, now: '2026-01-01T00:09:55.000Z' },
  );
  assert.ok(soon.kind === 'wait' && soon.afterMs === 5_000, 'the last poll lands on the deadline');
  const late = decide(
    waiting,
    deployment,
    { connection: customerNet('awaiting-customer') },
    { ...c, now: '2026-01-01T00:10:00.000Z' },
  );
  assert.ok(late.kind === 'transition' && late.to === 'failed', 'expired');
  assert.equal(late.reason?.code, 'PEERING_APPROVAL_EXPIRED');
  assert.deepEqual(late.next, { afterMs: 0 }, 'the clean-up is the next step');
  const failed = { ...p, status: 'failed' as const };
  const withdraw = decide(failed, deployment, { connection: customerNet('awaiting-customer') }, c);
  assert.ok(withdraw.kind === 'act' && withdraw.action.kind === 'close', 'a failed request is withdrawn');
  assert.deepEqual(decide(failed, deployment, { connection: null }, c), { kind: 'steady' });
  // a live peering of the deployment asked for the same connection since: it is that one's, not withdrawn
  const held = { ...c, siblings: [{ id: 'p2', cidrs: [], providerId: failed.providerId }] };
  assert.deepEqual(decide(failed, deployment, { connection: customerNet('awaiting-customer') }, held), {
    kind: 'steady',
  });
  // active: no platform routes to program; conflicts in the customer's network are named
  const conflicted = { ...customerNet('active'), routeConflicts: ['rt-1 10.11.0.0/16 via vpc-x (overlaps)'] };
  const running = decide(waiting, deployment, { connection: conflicted }, c);
  assert.ok(running.kind === 'transition' && running.to === 'running', 'running');
  assert.equal(running.reason?.code, 'ROUTE_CONFLICT');
});

test('which peerings need routes observed, and which the sweep steps', () => {
  assert.equal(needsRoutes(customerOpens, 'deleting', null), true);
  assert.equal(needsRoutes(customerOpens, 'pending', conn('awaiting-acceptance')), false);
  assert.equal(needsRoutes(customerOpens, 'running', conn('active')), true);
  assert.equal(needsRoutes(platformOpens, 'deleting', null), false, 'routes propagated: none of ours');
  assert.equal(sweepWants('running', conn('active')), false);
  assert.equal(sweepWants('running', null), true);
  assert.equal(sweepWants('running', conn('deleted')), true);
  assert.equal(sweepWants('pending', conn('active')), true);
  assert.equal(sweepWants('running', conn('awaiting-customer')), true, 'the customer removed its half');
});

test('each side adds its half: CIDRs checked once active, and a half waiting again while running is drift', () => {
  const halves: Capabilities = { ...platformOpens, approvalWindow: false, oneCustomerNetwork: false };
  const c = { ...ctx, capabilities: halves };
  const unknown = (phase: ConnectionPhase) => conn(phase, { customer: { ...conn(phase).customer, cidrs: [] } });
  const waiting = decide(peering, deployment, { connection: unknown('awaiting-customer') }, c);
  assert.ok(waiting.kind === 'transition' && waiting.to === 'awaiting-customer', 'no CIDRs yet is not a refusal');
  assert.equal(waiting.reason?.code, 'PEERING_AWAITING_CUSTOMER');
  assert.equal(waiting.reason.params.customerVpcId, 'vpc-cust1', 'the hint names the customer’s network');
  const none = decide(peering, deployment, { connection: unknown('active') }, c);
  assert.ok(none.kind === 'transition' && none.to === 'failed', 'active without CIDRs fails');
  assert.equal(none.reason?.code, 'PEERING_NO_CUSTOMER_CIDR');
  const reserved = conn('active', { customer: { ...conn('active').customer, cidrs: ['10.20.0.0/16'] } });
  const refused = decide(peering, deployment, { connection: reserved }, c);
  assert.ok(refused.kind === 'transition' && refused.to === 'failed', 'a reserved CIDR once active fails');
  assert.equal(refused.reason?.code, 'CIDR_RESERVED');
  assert.deepEqual(refused.next, { afterMs: 0 }, 'the platform’s half is removed next');
  const running = { ...peering, status: 'running' as const };
  const drift = decide(running, deployment, { connection: conn('awaiting-customer') }, c);
  assert.ok(drift.kind === 'transition' && drift.to === 'failed', 'drift');
  assert.equal(drift.reason?.code, 'PEERING_DELETED_BY_CUSTOMER');
  assert.deepEqual(drift.next, { afterMs: 0 }, 'its own half is cleaned up next');
  const failed = { ...peering, status: 'failed' as const };
  const cleanup = decide(failed, deployment, { connection: conn('awaiting-customer') }, c);
  assert.ok(cleanup.kind === 'act' && cleanup.action.kind === 'close', 'the lingering half is removed');
});

test('what a customer may do, by status and capabilities', () => {
  const typed = { ...customerOpens, customerCidrs: 'typed' as const };
  const searching = { ...customerOpens, finds: 'customer-network' as const };
  const a = (status: PeeringView['status'], caps: Capabilities, providerPeeringId = 'x') =>
    peeringActions({ status, providerPeeringId }, caps);
  assert.deepEqual(a('running', customerOpens), { delete: true, retry: false, correctCidrs: false, resync: true });
  assert.deepEqual(a('pending', typed), { delete: true, retry: false, correctCidrs: true, resync: true });
  assert.equal(a('failed', platformOpens).retry, true);
  assert.equal(a('failed', customerOpens).retry, false);
  assert.equal(a('failed', searching, '').retry, true, 'a failed search can be retried');
  assert.equal(a('failed', searching, 'pcc-1').retry, false);
  assert.deepEqual(a('deleting', customerOpens), { delete: false, retry: false, correctCidrs: false, resync: true });
  assert.deepEqual(a('deleted', customerOpens), { delete: false, retry: false, correctCidrs: false, resync: false });
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
      fc.boolean(),
      (status, phase, routed, platform) => {
        const c = { ...ctx, capabilities: platform ? platformOpens : customerOpens };
        const routes = routed ? [{ tableId: 'rtb-a', cidr: '172.31.0.0/16', state: 'active' as const }] : [];
        for (const providerId of ['pcx-1', '']) {
          const d = decide(
            { ...peering, status, providerId, deadlineAt: '2026-01-01T00:30:00.000Z' },
            deployment,
            { connection: phase ? conn(phase) : null, routes },
            c,
          );
          if (d.kind === 'transition') assert.ok(canTransition(status, d.to), `${status} -> ${d.to}`);
        }
        const d = decide({ ...peering, status }, deployment, { connection: phase ? conn(phase) : null, routes }, c);
        if (d.kind === 'transition') assert.ok(canTransition(status, d.to), `${status} -> ${d.to}`);
      },
    ),
  );
});

test('property: backoff grows, stays within its cap, and jitters', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 50 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (attempt, r) => {
      const ms = backoffMs(attempt, r);
      assert.ok(ms >= 500 && ms <= 5 * 60_000, `${ms} ms`);
    }),
  );
  assert.ok(backoffMs(3, 0) > backoffMs(1, 0), 'grows');
});
