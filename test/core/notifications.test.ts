/** Which events a change causes (core/notifications.ts), and the stream parser (core/sse.ts): pure, no database. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refusal } from '../../src/core/errors.js';
import { deadlineWarning, eventsForChange, warningLeadMs, type PeeringAfter } from '../../src/core/notifications.js';
import { EventStreamParser } from '../../src/core/sse.js';

const now = new Date('2026-12-01T10:00:00.000Z');
const base: PeeringAfter = {
  id: 'pr_1',
  providerPeeringId: 'pcx-1',
  customerVpcId: 'vpc-1',
  status: 'pending',
  deadlineAt: null,
  reason: null,
};
const change = { actor: 'reconciler', note: 'n', deploymentCidr: '10.11.0.0/16', customerRoutes: true };

test('a submit that waits on the customer asks for action and schedules the warning at half the time left', () => {
  const deadlineAt = '2026-12-01T10:10:00.000Z';
  const p = { ...base, deadlineAt, reason: refusal('PEERING_SEARCHING', {}) };
  const { events, schedule } = eventsForChange(p, { ...change, from: null, to: 'pending' }, now);
  assert.deepEqual(
    events.map((e) => e.type),
    ['peering.status_changed', 'peering.action_required'],
  );
  assert.deepEqual(schedule, { type: 'peering.deadline_approaching', dueAt: '2026-12-01T10:05:00.000Z', deadlineAt });
  assert.equal(warningLeadMs(now, '2026-12-01T12:00:00.000Z'), 30 * 60_000, 'at most 30 minutes before');
  assert.equal(warningLeadMs(now, '2026-12-01T10:00:20.000Z'), 30_000, 'at least 30 seconds before');
});

test('running asks for the route and rule, or the rule alone where the connection carries routes', () => {
  const p = { ...base, status: 'running' as const };
  const routed = eventsForChange(p, { ...change, from: 'pending', to: 'running' }, now).events;
  assert.equal(routed[1]?.type, 'peering.action_required');
  assert.equal((routed[1]?.data.reason as { code: string }).code, 'CUSTOMER_ROUTE_NEEDED');
  const carried = eventsForChange(p, { ...change, customerRoutes: false, from: 'pending', to: 'running' }, now).events;
  assert.equal((carried[1]?.data.reason as { code: string }).code, 'CUSTOMER_RULE_NEEDED');
  const again = eventsForChange(p, { ...change, from: 'running', to: 'running' }, now).events;
  assert.deepEqual(again, [], 'running → running (new CIDRs) is no status change and asks nothing new');
});

test('drift and route conflicts have events of their own', () => {
  const drift = { ...base, status: 'failed' as const, reason: refusal('PEERING_DELETED_BY_CUSTOMER', {}) };
  const types = eventsForChange(drift, { ...change, from: 'running', to: 'failed' }, now).events.map((e) => e.type);
  assert.deepEqual(types, ['peering.status_changed', 'peering.drift_detected']);
  const conflict = { ...base, status: 'running' as const, reason: refusal('ROUTE_CONFLICT', {}) };
  const c = eventsForChange(conflict, { ...change, from: 'pending', to: 'running' }, now).events.map((e) => e.type);
  assert.ok(c.includes('peering.route_conflict'), `a route conflict is named: ${c.join(', ')}`);
});

test('a reason kept through a delete or cancel does not raise its events again', () => {
  const waiting = { ...base, status: 'deleting' as const, reason: refusal('PEERING_AWAITING_CUSTOMER', {}) };
  const cancel = eventsForChange(waiting, { ...change, from: 'awaiting-customer', to: 'deleting' }, now);
  assert.deepEqual(
    cancel.events.map((e) => e.type),
    ['peering.status_changed'],
  );
  assert.equal(cancel.schedule, null, 'no warning for a cancelled request');
  const drifted = { ...base, status: 'deleting' as const, reason: refusal('PEERING_DELETED_BY_CUSTOMER', {}) };
  const del = eventsForChange(drifted, { ...change, from: 'failed', to: 'deleting' }, now).events.map((e) => e.type);
  assert.deepEqual(del, ['peering.status_changed']);
  const conflicted = { ...base, status: 'deleting' as const, reason: refusal('ROUTE_CONFLICT', {}) };
  const gone = eventsForChange(conflicted, { ...change, from: 'running', to: 'deleting' }, now).events.map(
    (e) => e.type,
  );
  assert.deepEqual(gone, ['peering.status_changed']);
});

test('a due warning is sent only while the peering still waits on that deadline', () => {
  const deadlineAt = '2026-12-01T10:10:00.000Z';
  const waiting = {
    ...base,
    status: 'awaiting-customer' as const,
    deadlineAt,
    reason: refusal('PEERING_AWAITING_CUSTOMER', {}),
  };
  const w = deadlineWarning(waiting, deadlineAt, now);
  const params = (w?.data.reason as { params: { minutes: number; connection: string } }).params;
  assert.equal(params.minutes, 10);
  assert.equal(params.connection, 'pcx-1', 'named by its connection, never the internal id');
  const searching = deadlineWarning({ ...waiting, providerPeeringId: '' }, deadlineAt, now);
  const named = (searching?.data.reason as { params: { connection: string } }).params.connection;
  assert.equal(named, 'vpc-1', 'still searching: named by the customer network');
  assert.equal(deadlineWarning({ ...waiting, status: 'running' }, deadlineAt, now), null, 'moved on');
  assert.equal(
    deadlineWarning({ ...waiting, deadlineAt: '2026-12-01T11:00:00.000Z' }, deadlineAt, now),
    null,
    'new deadline',
  );
  assert.equal(deadlineWarning(waiting, deadlineAt, new Date(deadlineAt)), null, 'too late to warn');
});

test('the stream parser joins events split across chunks and skips comments', () => {
  const p = new EventStreamParser();
  assert.deepEqual(p.push('retry: 2000\n\n: keep-alive\n\nid: ev_1\nevent: peering.status'), []);
  assert.deepEqual(p.push('_changed\ndata: {"a":\ndata: 1}\n\nid: ev_2\r\ndata: x\r\n\r\n'), [
    { id: 'ev_1', event: 'peering.status_changed', data: '{"a":\n1}' },
    { id: 'ev_2', event: 'message', data: 'x' },
  ]);
});
