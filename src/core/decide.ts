/**
 * decide(): given what the database wants and what the cloud shows, the one next step for one peering — and when to
 * look again. Pure: the clock is an argument, and observations are plain values each cloud builds from its own words.
 * The reconciler records what this returns and acts on it; it decides nothing itself.
 */
import type { Capabilities } from './capabilities.js';
import { decideAccepting, decideRequested } from './decide-opening.js';
import { missingRoutes, routeKey, routesChanging, wait, type DecideContext, type Decision } from './decision.js';
import { endedReason } from './verify.js';
import { refusal } from './errors.js';
import { checkCustomerCidrs } from './rules.js';
import {
  gonePhases,
  livePhases,
  lostWhileRunning,
  type ConnectionObservation,
  type DeploymentView,
  type Observation,
  type PeeringView,
} from './observation.js';
import { pollAfter } from './polling.js';
import type { PeeringStatus } from './status.js';

export type { Action, DecideContext, Decision, Next, RouteRef } from './decision.js';

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
 * peering: a running one only on drift (its connection gone, or waiting for the customer's part again); the others
 * always (their next step is due, or a kick was missed).
 */
export function sweepWants(status: PeeringStatus, connection: ConnectionObservation | null): boolean {
  if (status !== 'running') return true;
  return lostWhileRunning(connection) || connection?.inSync === false;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Running, on a cloud that says whether the connection is in sync with the customer's network: a changed network is
 * checked against every rule, then synced (the platform's request made again) and its CIDRs stored; one that fails a
 * rule is not synced, and the refusal is shown.
 */
function decideChanged(
  peering: PeeringView,
  deployment: DeploymentView,
  c: ConnectionObservation,
  ctx: DecideContext,
): Decision | null {
  const cidrs = c.customer.cidrs;
  const changed = !sameSet(cidrs, peering.customerCidrs);
  if (c.inSync !== false && !changed) return null;
  const refused =
    cidrs.length === 0
      ? refusal('PEERING_NO_CUSTOMER_CIDR', { providerId: peering.providerId })
      : checkCustomerCidrs(cidrs, {
          deploymentCidr: deployment.vpcCidr,
          reservedRanges: ctx.reservedRanges,
          policy: ctx.cidrPolicy,
          siblings: ctx.siblings,
        });
  if (refused) return wait(pollAfter.refusedChange, 'the customer’s network changed; refused, not synced', refused);
  if (c.inSync === false) {
    const note = `the customer’s network changed (${cidrs.join(', ')}); re-checked, syncing`;
    return { kind: 'act', action: { kind: 'request' }, note };
  }
  const note = `the customer’s network changed: ${peering.customerCidrs.join(', ')} → ${cidrs.join(', ')}`;
  return { kind: 'transition', to: 'running', reason: null, note, cidrs, next: 'idle' };
}

/** Running: drift ends it; otherwise the platform routes follow the CIDRs stored for the peering. */
function decideRunning(
  peering: PeeringView,
  deployment: DeploymentView,
  obs: Observation,
  ctx: DecideContext,
): Decision {
  const c = obs.connection;
  if (lostWhileRunning(c)) {
    const reason = endedReason(peering, deployment, c, true);
    // a half of ours still there (the customer removed only its own) is cleaned up at once: the failed step closes it
    const lingering = c !== null && livePhases.includes(c.phase);
    const note = lingering ? 'drift: the customer’s part is gone at the cloud' : 'drift: connection gone at the cloud';
    return { kind: 'transition', to: 'failed', reason, note, next: lingering ? { afterMs: 0 } : 'idle' };
  }
  const changed =
    c?.inSync !== undefined && ctx.capabilities.opens === 'platform'
      ? decideChanged(peering, deployment, c, ctx)
      : null;
  if (changed) return changed;
  if (obs.routes === undefined || ctx.capabilities.routes !== 'platform') return { kind: 'steady' };
  const changing = routesChanging(obs.routes);
  if (changing) return changing;
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
 * Deleting: the platform routes go first (while one is still being programmed or removed the cloud is waited for —
 * some clouds take one route change at a time and refuse others meanwhile), then the connection, by whatever the cloud
 * allows in its phase.
 */
function decideDeleting(obs: Observation): Decision {
  const c = obs.connection;
  const routes = obs.routes ?? [];
  const changing = routesChanging(routes);
  if (changing) return changing;
  if (routes.length > 0) {
    return {
      kind: 'act',
      action: { kind: 'remove-routes', routes: routes.map((r) => ({ tableId: r.tableId, cidr: r.cidr })) },
      note: `${routes.length} route(s) to remove`,
    };
  }
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
      // A failed request the platform made must not linger at the cloud: withdraw it (level-triggered clean-up) —
      // unless a live peering of the deployment holds that connection now (a new peering, or a retried one, asked
      // again): it is that one's.
      if (ctx.siblings.some((s) => !!s.providerId && s.providerId === peering.providerId)) return { kind: 'steady' };
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
