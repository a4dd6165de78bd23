/**
 * What decide() returns, and the small helpers its branches share: the actions the reconciler may take, when to look
 * again, and the platform routes still missing for a set of CIDRs.
 */
import type { Capabilities } from './capabilities.js';
import type { Refusal } from './errors.js';
import type { DeploymentView, RouteObservation } from './observation.js';
import { pollAfter } from './polling.js';
import type { CidrPolicy, LivePeering } from './rules.js';
import type { PeeringStatus } from './status.js';

export interface DecideContext {
  /** ISO-8601, the reconciler's clock */
  now: string;
  capabilities: Capabilities;
  reservedRanges: readonly string[];
  cidrPolicy: CidrPolicy;
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

export function routeKey(r: RouteRef): string {
  return `${r.tableId} ${r.cidr}`;
}

/** The routes still missing for these CIDRs in the deployment's route tables. */
export function missingRoutes(
  deployment: DeploymentView,
  cidrs: string[],
  routes: RouteObservation[] | undefined,
): RouteRef[] {
  const present = new Set((routes ?? []).filter((r) => r.state !== 'blackhole').map(routeKey));
  return deployment.routeTableIds
    .flatMap((tableId) => cidrs.map((cidr) => ({ tableId, cidr })))
    .filter((r) => !present.has(routeKey(r)));
}

export const wait = (afterMs: number, note: string, hint?: Refusal): Decision => ({
  kind: 'wait',
  afterMs,
  note,
  ...(hint ? { hint } : {}),
});

/** A wait while any route is still being programmed or removed (a cloud that changes them asynchronously). */
export function routesChanging(routes: RouteObservation[] | undefined): Decision | null {
  const n = (routes ?? []).filter((r) => r.state === 'pending').length;
  return n > 0 ? wait(pollAfter.routesProgramming, `${n} route(s) still changing`) : null;
}
