/**
 * decide(): given what the database wants and what the cloud shows, the one next step for one peering — and when to
 * look again. Pure: the clock is an argument, and observations are plain values each cloud builds from its own words.
 * The reconciler records what this returns and acts on it; it decides nothing itself.
 */
import type { Capabilities } from './capabilities.js';
import { refusal, type Refusal } from './errors.js';
import {
  gonePhases,
  livePhases,
  type ConnectionObservation,
  type DeploymentView,
  type Observation,
  type PeeringView,
  type RouteObservation,
} from './observation.js';
import { pollAfter } from './polling.js';
import type { LivePeering } from './rules.js';
import type { PeeringStatus } from './status.js';
import { customerCidrsOf, endedReason, searchParams, verifyConnection } from './verify.js';

export interface DecideContext {
  /** ISO-8601, the reconciler's clock */
  now: string;
  capabilities: Capabilities;
  reservedRanges: readonly string[];
  /** the other live peerings of the deployment */
  siblings: readonly LivePeering[];
}

export interface RouteRef {
  tableId: string;
  cidr: string;
}

export type Action =
  | { kind: 'accept' }
  | { kind: 'request' }
  | { kind: 'ensure-routes'; cidrs: string[]; missing: RouteRef[] }
  | { kind: 'remove-routes'; routes: RouteRef[] }
  /** delete, reject, withdraw or detach: whatever the cloud allows for the connection in its current phase */
  | { kind: 'close' };

/** When to step again after a transition: after some time, or only when something asks (a kick, the sweep). */
export type Next = { afterMs: number } | 'idle';

export type Decision =
  /** act, then look again at once */
  | { kind: 'act'; action: Action; note: string }
  | { kind: 'transition'; to: PeeringStatus; reason: Refusal | null; note: string; cidrs?: string[]; next: Next }
  /** `hint`: what the customer should know meanwhile, kept as the peering's reason */
  | { kind: 'wait'; afterMs: number; note: string; hint?: Refusal }
  | { kind: 'steady' };

/**
 * Which peerings need their platform routes observed (the others skip that call): where the platform programs routes,
 * a pending one whose connection is active (routes to add), a running one stepped on its own (routes to reconcile with
 * the stored CIDRs — the sweep never asks), and a deleting one (routes to remove).
 */
export function needsRoutes(
  capabilities: Capabilities,
  status: PeeringStatus,
  connection: ConnectionObservation | null,
): boolean {
  if (capabilities.routes !== 'platform') return false;
  if (status === 'deleting') return true;
  const waiting = status === 'pending' || status === 'awaiting-customer' || status === 'running';
  return waiting && connection?.phase === 'active';
}

/**
 * Whether the sweep — which sees every live connection of a platform account in a few list calls — must step this
 * peering: a running one only on drift (its connection gone); the others always (their next step is due, or a kick
 * was missed).
 */
export function sweepWants(status: PeeringStatus, connection: ConnectionObservation | null): boolean {
  if (status !== 'running') return true;
  return !connection || gonePhases.includes(connection.phase);
}

function routeKey(r: RouteRef): string {
  return `${r.tableId} ${r.cidr}`;
}

/** The routes still missing for these CIDRs in the deployment's route tables. */
function missingRoutes(
  deployment: DeploymentView,
  cidrs: string[],
  routes: RouteObservation[] | undefined,
): RouteRef[] {
  const present = new Set((routes ?? []).filter((r) => r.state !== 'blackhole').map(routeKey));
  return deployment.routeTableIds
    .flatMap((tableId) => cidrs.map((cidr) => ({ tableId, cidr })))
    .filter((r) => !present.has(routeKey(r)));
}

const wait = (afterMs: number, note: string, hint?: Refusal): Decision => ({
  kind: 'wait',
  afterMs,
  note,
  ...(hint ? { hint } : {}),
});

/** An active connection: add the platform routes where the platform programs them, then run. */
function decideActive(
  peering: PeeringView,
  deployment: DeploymentView,
  obs: Observation,
  c: ConnectionObservation,
  ctx: DecideContext,
): Decision {
  const cidrs = customerCidrsOf(peering, c);
  if (ctx.capabilities.routes === 'platform') {
    const missing = missingRoutes(deployment, cidrs, obs.routes);
    if (missing.length > 0) {
      return {
        kind: 'act',
        action: { kind: 'ensure-routes', cidrs, missing },
        note: `${missing.length} route(s) to add`,
      };
    }
    if ((obs.routes ?? []).some((r) => r.state === 'pending')) {
      return wait(pollAfter.routesProgramming, 'routes still being programmed');
    }
  }
  const conflicts = c.routeConflicts ?? [];
  const reason =
    conflicts.length > 0 ? refusal('ROUTE_CONFLICT', { providerId: c.providerId, routes: conflicts.join('; ') }) : null;
  const note = conflicts.length
    ? `connected; ${conflicts.length} route(s) to fix named`
    : ctx.capabilities.routes === 'platform'
      ? 'connection active and routed'
      : 'connection active';
  return { kind: 'transition', to: 'running', reason, note, cidrs, next: 'idle' };
}

/** Pending or awaiting the customer, where the customer opens the connection and the platform accepts it. */
function decideAccepting(
  peering: PeeringView,
  deployment: DeploymentView,
  obs: Observation,
  ctx: DecideContext,
): Decision {
  const c = obs.connection;
  if (!c && !peering.providerId) {
    const params = searchParams(peering, deployment);
    if (peering.deadlineAt && ctx.now < peering.deadlineAt) {
      return wait(
        pollAfter.searching,
        'no matching connection yet; looking again',
        refusal('PEERING_SEARCHING', params),
      );
    }
    const reason = refusal('PEERING_NOT_LOCATED', params);
    return {
      kind: 'transition',
      to: 'failed',
      reason,
      note: 'no matching connection before the deadline',
      next: 'idle',
    };
  }
  if (!c || gonePhases.includes(c.phase)) {
    const reason = endedReason(peering, deployment, c, false);
    return { kind: 'transition', to: 'failed', reason, note: 'connection cannot be completed', next: 'idle' };
  }
  const mismatch = verifyConnection(peering, deployment, c, ctx);
  if (mismatch)
    return { kind: 'transition', to: 'failed', reason: mismatch, note: 'verification failed', next: 'idle' };
  switch (c.phase) {
    case 'initiating':
    case 'accepting':
      return wait(pollAfter.cloudBusy, `cloud status ${c.providerStatus}`);
    case 'awaiting-customer':
      return peering.status === 'awaiting-customer'
        ? wait(pollAfter.customerAction, 'waiting for the customer')
        : {
            kind: 'transition',
            to: 'awaiting-customer',
            reason: null,
            note: 'waiting for the customer',
            next: { afterMs: pollAfter.customerAction },
          };
    case 'awaiting-acceptance':
      return { kind: 'act', action: { kind: 'accept' }, note: 'verified; accepting' };
    case 'active':
      return decideActive(peering, deployment, obs, c, ctx);
  }
  return wait(pollAfter.unexpected, `unexpected phase ${c.phase}`);
}

/**
 * Pending or awaiting the customer, where the platform opens the connection: request it, wait for the customer's
 * part (until the deadline, where there is an approval window), verify what becomes readable, then run.
 */
function decideRequested(
  peering: PeeringView,
  deployment: DeploymentView,
  obs: Observation,
  ctx: DecideContext,
): Decision {
  const c = obs.connection;
  const providerId = peering.providerId;
  const late = ctx.capabilities.approvalWindow && !!peering.deadlineAt && ctx.now >= peering.deadlineAt;
  const expired = refusal('PEERING_APPROVAL_EXPIRED', { providerId, deadline: peering.deadlineAt ?? '' });
  const fail = (reason: Refusal, note: string): Decision => ({
    kind: 'transition',
    to: 'failed',
    reason,
    note,
    // a failed request must not linger at the cloud: the clean-up (withdraw) is the next step
    next: { afterMs: 0 },
  });
  if (!c || c.phase === 'deleted') {
    if (late) return fail(expired, 'not approved before the deadline');
    return { kind: 'act', action: { kind: 'request' }, note: `asking to join ${deployment.vpcId} to ${providerId}` };
  }
  if (c.phase === 'deleting') return wait(pollAfter.cloudBusy, `cloud status ${c.providerStatus}`);
  if (gonePhases.includes(c.phase)) {
    return fail(endedReason(peering, deployment, c, false), 'the request cannot be completed');
  }
  const mismatch = verifyConnection(peering, deployment, c, ctx);
  if (mismatch) return fail(mismatch, 'verification failed; the request is withdrawn next');
  switch (c.phase) {
    case 'awaiting-customer':
    case 'awaiting-acceptance': {
      if (late) return fail(expired, 'not approved before the deadline; the request is withdrawn next');
      const hint = refusal('PEERING_AWAITING_CUSTOMER', {
        providerId,
        vpcId: deployment.vpcId,
        accountId: deployment.platformAccountId,
        deadline: peering.deadlineAt ?? '',
      });
      const left = peering.deadlineAt ? Date.parse(peering.deadlineAt) - Date.parse(ctx.now) : Infinity;
      const afterMs = ctx.capabilities.approvalWindow
        ? Math.max(1_000, Math.min(pollAfter.approvalAtMost, left))
        : pollAfter.customerAction;
      if (peering.status === 'pending') {
        const note = 'waiting for the customer’s part';
        return { kind: 'transition', to: 'awaiting-customer', reason: hint, note, next: { afterMs } };
      }
      return wait(afterMs, 'waiting for the customer’s part', hint);
    }
    case 'initiating':
    case 'accepting':
      return wait(pollAfter.cloudBusy, `cloud status ${c.providerStatus}`);
    case 'active':
      return decideActive(peering, deployment, obs, c, ctx);
  }
  return wait(pollAfter.unexpected, `unexpected phase ${c.phase}`);
}

/** Running: drift ends it; otherwise the platform routes follow the CIDRs stored for the peering. */
function decideRunning(
  peering: PeeringView,
  deployment: DeploymentView,
  obs: Observation,
  ctx: DecideContext,
): Decision {
  const c = obs.connection;
  if (!c || gonePhases.includes(c.phase)) {
    const reason = endedReason(peering, deployment, c, true);
    return { kind: 'transition', to: 'failed', reason, note: 'drift: connection gone at the cloud', next: 'idle' };
  }
  if (obs.routes === undefined || ctx.capabilities.routes !== 'platform') return { kind: 'steady' };
  // Routes follow the CIDRs verified and stored for this peering (a customer may correct a typed CIDR).
  const cidrs = peering.customerCidrs;
  const missing = missingRoutes(deployment, cidrs, obs.routes);
  if (missing.length > 0) {
    const note = `${missing.length} route(s) to add for the current CIDRs`;
    return { kind: 'act', action: { kind: 'ensure-routes', cidrs, missing }, note };
  }
  const wanted = new Set(
    deployment.routeTableIds.flatMap((tableId) => cidrs.map((cidr) => routeKey({ tableId, cidr }))),
  );
  const extra = obs.routes.filter((r) => !wanted.has(routeKey(r))).map((r) => ({ tableId: r.tableId, cidr: r.cidr }));
  if (extra.length > 0) {
    const note = `${extra.length} route(s) to CIDRs no longer peered`;
    return { kind: 'act', action: { kind: 'remove-routes', routes: extra }, note };
  }
  return { kind: 'steady' };
}

/**
 * Deleting: the platform routes go first (a route the cloud is still programming or removing is waited for — some
 * clouds refuse changes to it meanwhile), then the connection, by whatever the cloud allows in its phase.
 */
function decideDeleting(obs: Observation): Decision {
  const c = obs.connection;
  const routes = obs.routes ?? [];
  const settled = routes.filter((r) => r.state !== 'pending').map((r) => ({ tableId: r.tableId, cidr: r.cidr }));
  if (settled.length > 0) {
    return {
      kind: 'act',
      action: { kind: 'remove-routes', routes: settled },
      note: `${settled.length} route(s) to remove`,
    };
  }
  if (routes.length > 0) return wait(pollAfter.routesProgramming, `${routes.length} route(s) still changing`);
  if (c && !gonePhases.includes(c.phase)) {
    return {
      kind: 'act',
      action: { kind: 'close' },
      note: `routes removed; closing the ${c.providerStatus} connection`,
    };
  }
  if (c?.phase === 'deleting') return wait(pollAfter.cloudBusy, `cloud status ${c.providerStatus}`);
  return { kind: 'transition', to: 'deleted', reason: null, note: 'routes and connection removed', next: 'idle' };
}

/** The next single step for one peering. */
export function decide(
  peering: PeeringView,
  deployment: DeploymentView,
  obs: Observation,
  ctx: DecideContext,
): Decision {
  const c = obs.connection;
  switch (peering.status) {
    case 'pending':
    case 'awaiting-customer':
      return ctx.capabilities.opens === 'platform'
        ? decideRequested(peering, deployment, obs, ctx)
        : decideAccepting(peering, deployment, obs, ctx);
    case 'running':
      return decideRunning(peering, deployment, obs, ctx);
    case 'deleting':
      return decideDeleting(obs);
    case 'failed':
      // A failed request the platform made must not linger at the cloud: withdraw it (level-triggered clean-up).
      if (ctx.capabilities.opens === 'platform' && c && livePhases.includes(c.phase)) {
        return {
          kind: 'act',
          action: { kind: 'close' },
          note: `withdrawing the ${c.providerStatus} request of a failed peering`,
        };
      }
      return { kind: 'steady' };
    case 'deleted':
      return { kind: 'steady' };
  }
}
