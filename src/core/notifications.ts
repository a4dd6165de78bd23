/**
 * Which events a peering change causes (issue 16), as data: pure, so every rule is tested without a database. The
 * store writes what this returns in the transaction of the change (the outbox), and schedules the deadline warnings it
 * names; delivery is the shell's business.
 */
import { refusal, type Refusal } from './errors.js';
import type { PeeringStatus } from './status.js';

export const eventTypes = [
  'peering.status_changed',
  'peering.action_required',
  'peering.deadline_approaching',
  'peering.drift_detected',
  'peering.route_conflict',
  'resource.bound',
  'resource.unbound',
  'webhook.disabled',
] as const;
export type EventType = (typeof eventTypes)[number];

/** Operator-only: about the platform, never shown to an organization. */
export const operatorEventTypes = ['platform.credentials_refused', 'platform.throttled'] as const;

/** The types that also go out by e-mail to the organization's contacts. */
export const emailedTypes: readonly EventType[] = ['peering.action_required', 'peering.deadline_approaching'];

export function isEventType(value: string): value is EventType {
  return (eventTypes as readonly string[]).includes(value);
}

/** A peering as it is after the change. */
export interface PeeringAfter {
  id: string;
  providerPeeringId: string;
  /** the customer's network: how a peering still searching for its connection is named */
  customerVpcId: string;
  status: PeeringStatus;
  deadlineAt: string | null;
  /** the reason shown with the status (a hint while waiting, a failure reason) */
  reason: Refusal | null;
}

export interface PeeringChange {
  from: PeeringStatus | null;
  to: PeeringStatus;
  actor: string;
  note: string;
  /** the deployment's CIDR: what the customer routes to and opens */
  deploymentCidr: string;
  /** whether the customer adds a route itself (the platform programs routes on its side only) */
  customerRoutes: boolean;
}

export interface NewEvent {
  type: EventType;
  data: Record<string, unknown>;
}

export interface Scheduled {
  type: 'peering.deadline_approaching';
  dueAt: string;
  deadlineAt: string;
}

/** The reasons that ask the customer to do something in its cloud before a deadline (or without one). */
const asksCustomer = new Set(['PEERING_AWAITING_CUSTOMER', 'PEERING_SEARCHING']);

/** How long before a deadline its warning goes out: half the time left, at most 30 minutes, at least 30 seconds. */
export function warningLeadMs(now: Date, deadlineAt: string): number {
  const left = Date.parse(deadlineAt) - now.getTime();
  return Math.max(30_000, Math.min(30 * 60_000, Math.floor(left / 2)));
}

/** The events a status change (or a submit: `from` null) causes, and the deadline warning to schedule, if any. */
export function eventsForChange(
  p: PeeringAfter,
  change: PeeringChange,
  now: Date,
): { events: NewEvent[]; schedule: Scheduled | null } {
  const events: NewEvent[] = [];
  const reason = p.reason;
  if (change.from !== change.to) {
    events.push({
      type: 'peering.status_changed',
      data: { from: change.from, to: change.to, reason, actor: change.actor, note: change.note },
    });
  }
  let schedule: Scheduled | null = null;
  // the reason a status keeps is re-read on every change: only a status that waits on the customer asks again
  const waits = change.to === 'pending' || change.to === 'awaiting-customer';
  if (reason && asksCustomer.has(reason.code) && change.from !== change.to && waits) {
    events.push({ type: 'peering.action_required', data: { status: p.status, reason, deadlineAt: p.deadlineAt } });
    if (p.deadlineAt && Date.parse(p.deadlineAt) > now.getTime()) {
      const dueAt = new Date(Date.parse(p.deadlineAt) - warningLeadMs(now, p.deadlineAt)).toISOString();
      schedule = { type: 'peering.deadline_approaching', dueAt, deadlineAt: p.deadlineAt };
    }
  }
  if (change.to === 'running' && change.from !== 'running') {
    const code = change.customerRoutes ? 'CUSTOMER_ROUTE_NEEDED' : 'CUSTOMER_RULE_NEEDED';
    const todo = refusal(code, { providerId: p.providerPeeringId, deploymentCidr: change.deploymentCidr });
    events.push({ type: 'peering.action_required', data: { status: p.status, reason: todo, deadlineAt: null } });
  }
  if (reason?.code === 'PEERING_DELETED_BY_CUSTOMER' && change.to === 'failed' && change.from !== 'failed') {
    events.push({ type: 'peering.drift_detected', data: { status: p.status, reason } });
  }
  if (reason?.code === 'ROUTE_CONFLICT' && change.to === 'running') {
    events.push({ type: 'peering.route_conflict', data: { status: p.status, reason } });
  }
  return { events, schedule };
}

/**
 * The warning a scheduled deadline becomes when it falls due — only while the peering still waits on that deadline
 * (a peering that moved on, or whose deadline changed, is not warned).
 */
export function deadlineWarning(p: PeeringAfter, scheduledFor: string, now: Date): NewEvent | null {
  if (p.deadlineAt !== scheduledFor) return null;
  if (p.status !== 'pending' && p.status !== 'awaiting-customer') return null;
  if (!p.reason || !asksCustomer.has(p.reason.code)) return null;
  const left = Date.parse(scheduledFor) - now.getTime();
  if (left <= 0) return null;
  const minutes = Math.max(1, Math.round(left / 60_000));
  // named as the customer knows it: its connection, or its network while Peerlink still looks for the connection
  const connection = p.providerPeeringId || p.customerVpcId;
  const warning = refusal('DEADLINE_APPROACHING', { minutes, connection, peeringId: p.id, deadline: scheduledFor });
  return {
    type: 'peering.deadline_approaching',
    data: { status: p.status, reason: warning, action: p.reason, deadlineAt: scheduledFor },
  };
}
