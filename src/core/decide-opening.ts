/**
 * The decisions while a peering is being opened (pending, or awaiting the customer): where the customer opens the
 * connection and the platform accepts it, and where the platform requests it and the customer approves.
 */
import { refusal, type Refusal } from './errors.js';
import {
  gonePhases,
  type ConnectionObservation,
  type DeploymentView,
  type Observation,
  type PeeringView,
} from './observation.js';
import { pollAfter } from './polling.js';
import { customerCidrsOf, endedReason, searchParams, verifyConnection } from './verify.js';
import { missingRoutes, routesChanging, wait, type DecideContext, type Decision } from './decision.js';

/** An active connection: add the platform routes where the platform programs them, then run. */
function decideActive(
  peering: PeeringView,
  deployment: DeploymentView,
  obs: Observation,
  c: ConnectionObservation,
  ctx: DecideContext,
): Decision {
  const cidrs = customerCidrsOf(peering, c, ctx.capabilities);
  if (ctx.capabilities.routes === 'platform') {
    // a route still being programmed is waited for before the next is asked (some clouds take one at a time)
    const changing = routesChanging(obs.routes);
    if (changing) return changing;
    const missing = missingRoutes(deployment, cidrs, obs.routes);
    if (missing.length > 0) {
      return {
        kind: 'act',
        action: { kind: 'ensure-routes', cidrs, missing },
        note: `${missing.length} route(s) to add`,
      };
    }
  }
  const conflicts = c.routeConflicts ?? [];
  const reason =
    conflicts.length > 0 ? refusal('ROUTE_CONFLICT', { providerId: c.providerId, routes: conflicts.join('; ') }) : null;
  const base = conflicts.length
    ? `connected; ${conflicts.length} route(s) to fix named`
    : ctx.capabilities.routes === 'platform'
      ? 'connection active and routed'
      : 'connection active';
  const note = c.notes?.length ? `${base}; ${c.notes.join('; ')}` : base;
  return { kind: 'transition', to: 'running', reason, note, cidrs, next: 'idle' };
}

/** Pending or awaiting the customer, where the customer opens the connection and the platform accepts it. */
export function decideAccepting(
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
    case 'awaiting-acceptance': {
      // accepted already: some clouds apply an accept asynchronously; it is waited for, not repeated (until it is
      // taken as lost)
      const since = peering.acceptedAt ? Date.parse(ctx.now) - Date.parse(peering.acceptedAt) : Infinity;
      if (since < pollAfter.acceptApplying)
        return wait(pollAfter.cloudBusy, 'accepted; waiting for the cloud to apply it');
      const note = peering.acceptedAt
        ? 'still awaiting acceptance long after the accept; accepting again'
        : 'verified; accepting';
      return { kind: 'act', action: { kind: 'accept' }, note };
    }
    case 'active':
      return decideActive(peering, deployment, obs, c, ctx);
    default:
      // the ended phases were handled above; anything else is looked at again
      return wait(pollAfter.unexpected, `unexpected phase ${c.phase}`);
  }
}

/**
 * Pending or awaiting the customer, where the platform opens the connection: request it, wait for the customer's
 * part (until the deadline, where there is an approval window), verify what becomes readable, then run.
 */
export function decideRequested(
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
  // the cloud's own expiry came before Peerlink's approval deadline: the request is made again within the window;
  // once the window is over, it is Peerlink's deadline the customer missed, whatever the cloud did in between
  if (c.phase === 'expired' && ctx.capabilities.approvalWindow) {
    if (late) return fail(expired, 'not approved before the deadline');
    const note = `the cloud expired the request (${c.providerStatus}) before the deadline; asking again`;
    return { kind: 'act', action: { kind: 'request' }, note };
  }
  if (gonePhases.includes(c.phase)) {
    return fail(endedReason(peering, deployment, c, false), 'the request cannot be completed');
  }
  const mismatch = verifyConnection(peering, deployment, c, ctx);
  if (mismatch) return fail(mismatch, 'verification failed; the request is withdrawn next');
  switch (c.phase) {
    case 'awaiting-acceptance':
      // the platform's own request is not complete (on clouds where it makes both halves, the other is missing)
      return { kind: 'act', action: { kind: 'request' }, note: `completing the connection ${providerId}` };
    case 'awaiting-customer': {
      if (late) return fail(expired, 'not approved before the deadline; the request is withdrawn next');
      const hint = refusal('PEERING_AWAITING_CUSTOMER', {
        providerId,
        vpcId: deployment.vpcId,
        accountId: deployment.platformAccountId,
        customerAccountId: peering.customerAccountId,
        customerVpcId: peering.customerVpcId,
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
      // connected, but not yet in sync with the customer's network (verified above): sync before running
      if (c.inSync === false) return { kind: 'act', action: { kind: 'request' }, note: 'connected; syncing' };
      return decideActive(peering, deployment, obs, c, ctx);
    default:
      // the ended phases were handled above; anything else is looked at again
      return wait(pollAfter.unexpected, `unexpected phase ${c.phase}`);
  }
}
