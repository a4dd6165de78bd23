/**
 * The peering lifecycle (PRODUCT.md §5) as data, and decide(): given what the database wants and what the
 * cloud shows, the one next step. Pure: the clock is an argument, observations are plain values that each
 * cloud adapter builds from its own vocabulary.
 */
import { checkCustomerCidrs, checkRegion, type LivePeering } from './rules.js';
import { refusal, type Refusal } from './errors.js';

export const peeringStatuses = ['pending', 'awaiting-customer', 'running', 'deleting', 'deleted', 'failed'] as const;
export type PeeringStatus = (typeof peeringStatuses)[number];

/** Which status may follow which. Anything else is a bug, and recordTransition refuses it. */
export const transitions: Readonly<Record<PeeringStatus, readonly PeeringStatus[]>> = {
  pending: ['awaiting-customer', 'running', 'failed'],
  'awaiting-customer': ['running', 'failed'],
  running: ['failed', 'deleting'],
  // a retry (Tencent: a new attach request; Alibaba: a new search) takes a failed peering back to pending
  failed: ['deleting', 'pending'],
  deleting: ['deleted'],
  deleted: [],
};

export function canTransition(from: PeeringStatus, to: PeeringStatus): boolean {
  return transitions[from].includes(to);
}

/** Live peerings count against quotas and CIDR overlap; a failed one no longer holds its CIDR. */
export const liveStatuses: readonly PeeringStatus[] = ['pending', 'awaiting-customer', 'running', 'deleting'];
/** Statuses the reconciler still drives toward a final state. */
export const activeStatuses: readonly PeeringStatus[] = ['pending', 'awaiting-customer', 'running', 'deleting'];

/**
 * A connection as a cloud reports it, in Peerlink's words. Each adapter maps its own status codes
 * (pending-acceptance, Accepting, PENDING_ACCEPTANCE, …) onto these phases and keeps the raw code.
 */
export type ConnectionPhase =
  | 'initiating' // the cloud is still creating the request
  | 'awaiting-acceptance' // the platform may accept it now
  | 'awaiting-customer' // the customer must act on its side (e.g. approve a CCN attach)
  | 'accepting' // accepted, provisioning
  | 'active'
  | 'rejected'
  | 'expired'
  | 'failed'
  | 'deleting'
  | 'deleted';

export interface VpcSide {
  accountId: string;
  vpcId: string;
  region: string;
  cidrs: string[];
}

export interface ConnectionObservation {
  providerId: string;
  phase: ConnectionPhase;
  providerStatus: string;
  providerMessage: string;
  requester: VpcSide;
  accepter: VpcSide;
  expiresAt?: string;
  /** routes of the customer's network that are disabled or clash with the deployment CIDR (Tencent CCN), named */
  routeConflicts?: string[];
}

export interface RouteObservation {
  tableId: string;
  cidr: string;
  /** pending: the cloud is still programming it (Alibaba route entries are asynchronous) */
  state: 'active' | 'pending' | 'blackhole';
}

export interface Observation {
  /** null: the cloud does not know the connection (or no longer shows it) */
  connection: ConnectionObservation | null;
  /** the platform-side routes that point at this connection; only observed while they matter */
  routes?: RouteObservation[];
}

export interface PeeringView {
  id: string;
  status: PeeringStatus;
  /** '' while Peerlink is still looking for the connection (clouds where the customer names its VPC, not the connection) */
  providerId: string;
  customerAccountId: string;
  customerVpcId: string;
  customerCidrs: string[];
  /** by when the customer's part must be done (the connection found, the attach approved); null: the cloud's own expiry */
  deadlineAt: string | null;
}

export interface DeploymentView {
  id: string;
  region: string;
  vpcId: string;
  vpcCidr: string;
  platformAccountId: string;
  routeTableIds: string[];
}

export interface DecideContext {
  /** ISO-8601, the reconciler's clock */
  now: string;
  /**
   * Who opens the connection: the customer (AWS, Alibaba, Huawei — the platform accepts) or the platform (Tencent CCN —
   * the platform asks to attach, the customer approves before `deadlineAt`; the network learns the routes, so the
   * platform adds none). Default: customer.
   */
  initiator?: 'customer' | 'platform';
  reservedRanges: readonly string[];
  /** the other live peerings of the deployment */
  siblings: readonly LivePeering[];
}

export type Action =
  | { kind: 'accept' }
  | { kind: 'request' }
  | { kind: 'ensure-routes'; cidrs: string[]; missing: Array<{ tableId: string; cidr: string }> }
  | { kind: 'remove-routes'; routes: Array<{ tableId: string; cidr: string }> }
  | { kind: 'delete-connection' };

export type Decision =
  | { kind: 'act'; action: Action; note: string }
  | { kind: 'transition'; to: PeeringStatus; reason: Refusal | null; note: string; cidrs?: string[] }
  | {
      kind: 'wait';
      afterMs: number;
      note: string;
      /** what the customer should know meanwhile, kept as the peering's reason */ hint?: Refusal;
    }
  | { kind: 'steady' };

/**
 * Which peerings need their platform routes observed (the others skip that call): a pending one whose connection is
 * active (routes to add), a running one stepped on its own (routes to reconcile with the stored CIDRs — the sweep
 * never asks), and a deleting one (routes to remove).
 */
export function needsRoutes(status: PeeringStatus, connection: ConnectionObservation | null): boolean {
  return (
    ((status === 'pending' || status === 'awaiting-customer' || status === 'running') &&
      connection?.phase === 'active') ||
    status === 'deleting'
  );
}

/** Does what the cloud shows match what the customer submitted and the deployment? */
export function verifyConnection(
  peering: PeeringView,
  deployment: DeploymentView,
  c: ConnectionObservation,
  ctx: DecideContext,
): Refusal | null {
  const providerId = peering.providerId;
  if (c.accepter.vpcId !== deployment.vpcId || c.accepter.accountId !== deployment.platformAccountId) {
    return refusal('PEERING_WRONG_TARGET', {
      providerId,
      actualVpc: c.accepter.vpcId,
      actualAccount: c.accepter.accountId,
      expectedVpc: deployment.vpcId,
      expectedAccount: deployment.platformAccountId,
    });
  }
  if (c.requester.accountId !== peering.customerAccountId) {
    return refusal('PEERING_REQUESTER_MISMATCH', {
      providerId,
      field: 'account',
      actual: c.requester.accountId,
      expected: peering.customerAccountId,
    });
  }
  if (c.requester.vpcId !== peering.customerVpcId) {
    return refusal('PEERING_REQUESTER_MISMATCH', {
      providerId,
      field: 'VPC',
      actual: c.requester.vpcId,
      expected: peering.customerVpcId,
    });
  }
  const region = checkRegion(deployment.region, c.requester.region);
  if (region) return region;
  const cidrs = c.requester.cidrs.length > 0 ? c.requester.cidrs : peering.customerCidrs;
  if (cidrs.length === 0) return refusal('PEERING_NO_CUSTOMER_CIDR', { providerId });
  return checkCustomerCidrs(cidrs, {
    deploymentCidr: deployment.vpcCidr,
    reservedRanges: ctx.reservedRanges,
    siblings: ctx.siblings,
  });
}

/** Why a connection in a final cloud phase failed, in the customer's words. */
function endedReason(
  peering: PeeringView,
  deployment: DeploymentView,
  c: ConnectionObservation | null,
  wasRunning: boolean,
): Refusal {
  const providerId = peering.providerId;
  if (wasRunning) {
    return refusal('PEERING_DELETED_BY_CUSTOMER', { providerId, providerStatus: c?.providerStatus ?? 'not found' });
  }
  switch (c?.phase) {
    case 'rejected':
      return refusal('PEERING_REJECTED', { providerId });
    case 'expired':
      return refusal('PEERING_EXPIRED', { providerId });
    case 'failed':
      return refusal('PEERING_FAILED_AT_PROVIDER', {
        providerId,
        providerMessage: c.providerMessage || c.providerStatus,
      });
    case 'deleted':
    case 'deleting':
      return refusal('PEERING_NOT_ACCEPTABLE', { providerId, providerStatus: c.providerStatus });
    default:
      return refusal('PEERING_NOT_FOUND', {
        providerId,
        region: deployment.region,
        accountId: deployment.platformAccountId,
      });
  }
}

const gonePhases: readonly ConnectionPhase[] = ['rejected', 'expired', 'failed', 'deleting', 'deleted'];

function routeKey(r: { tableId: string; cidr: string }): string {
  return `${r.tableId} ${r.cidr}`;
}

const livePhases: readonly ConnectionPhase[] = [
  'initiating',
  'awaiting-acceptance',
  'awaiting-customer',
  'accepting',
  'active',
];

/** The routes still missing for these CIDRs in the deployment's route tables. */
function missingRoutes(
  deployment: DeploymentView,
  cidrs: string[],
  routes: RouteObservation[] | undefined,
): Array<{ tableId: string; cidr: string }> {
  const present = new Set((routes ?? []).filter((r) => r.state !== 'blackhole').map(routeKey));
  return deployment.routeTableIds
    .flatMap((tableId) => cidrs.map((cidr) => ({ tableId, cidr })))
    .filter((r) => !present.has(routeKey(r)));
}

/**
 * Pending or awaiting the customer, when the platform opens the connection (Tencent CCN): ask to attach, wait for the
 * approval until the deadline, verify what becomes readable (the CCN's owner, its other VPCs' CIDRs), then run —
 * naming any disabled or conflicting route of the customer's network.
 */
function decideRequested(
  peering: PeeringView,
  deployment: DeploymentView,
  obs: Observation,
  ctx: DecideContext,
): Decision {
  const c = obs.connection;
  const providerId = peering.providerId;
  const late = !!peering.deadlineAt && ctx.now >= peering.deadlineAt;
  const expired = refusal('PEERING_APPROVAL_EXPIRED', { providerId, deadline: peering.deadlineAt ?? '' });
  if (!c || c.phase === 'deleted') {
    if (late) return { kind: 'transition', to: 'failed', reason: expired, note: 'not approved before the deadline' };
    return { kind: 'act', action: { kind: 'request' }, note: `asking to attach ${deployment.vpcId} to ${providerId}` };
  }
  if (c.phase === 'deleting') return { kind: 'wait', afterMs: 1_000, note: `cloud status ${c.providerStatus}` };
  if (gonePhases.includes(c.phase))
    return {
      kind: 'transition',
      to: 'failed',
      reason: endedReason(peering, deployment, c, false),
      note: 'the request cannot be completed',
    };
  const mismatch = verifyConnection(peering, deployment, c, ctx);
  if (mismatch)
    return {
      kind: 'transition',
      to: 'failed',
      reason: mismatch,
      note: 'verification failed; the request is withdrawn next',
    };
  switch (c.phase) {
    case 'awaiting-customer':
    case 'awaiting-acceptance': {
      if (late)
        return {
          kind: 'transition',
          to: 'failed',
          reason: expired,
          note: 'not approved before the deadline; the request is withdrawn next',
        };
      const hint = refusal('PEERING_AWAITING_APPROVAL', {
        providerId,
        vpcId: deployment.vpcId,
        accountId: deployment.platformAccountId,
        deadline: peering.deadlineAt ?? '',
      });
      if (peering.status === 'pending')
        return {
          kind: 'transition',
          to: 'awaiting-customer',
          reason: hint,
          note: 'waiting for the customer to approve',
        };
      const left = peering.deadlineAt ? Date.parse(peering.deadlineAt) - Date.parse(ctx.now) : 15_000;
      return {
        kind: 'wait',
        afterMs: Math.max(1_000, Math.min(15_000, left)),
        note: 'waiting for the customer to approve',
        hint,
      };
    }
    case 'initiating':
    case 'accepting':
      return { kind: 'wait', afterMs: 1_000, note: `cloud status ${c.providerStatus}` };
    case 'active': {
      const cidrs = c.requester.cidrs.length > 0 ? c.requester.cidrs : peering.customerCidrs;
      const conflicts = c.routeConflicts ?? [];
      const reason =
        conflicts.length > 0 ? refusal('CCN_ROUTE_CONFLICT', { providerId, routes: conflicts.join('; ') }) : null;
      return {
        kind: 'transition',
        to: 'running',
        reason,
        note: conflicts.length ? `attached; ${conflicts.length} route(s) to fix named` : 'attached and approved',
        cidrs,
      };
    }
  }
  return { kind: 'wait', afterMs: 5_000, note: `unexpected phase ${c.phase}` };
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
    case 'awaiting-customer': {
      if (ctx.initiator === 'platform') return decideRequested(peering, deployment, obs, ctx);
      if (!c && !peering.providerId) {
        const params = {
          customerVpcId: peering.customerVpcId,
          deploymentVpcId: deployment.vpcId,
          region: deployment.region,
          accountId: deployment.platformAccountId,
          deadline: peering.deadlineAt ?? '',
        };
        if (peering.deadlineAt && ctx.now < peering.deadlineAt) {
          return {
            kind: 'wait',
            afterMs: 10_000,
            note: 'no matching connection yet; looking again',
            hint: refusal('PEERING_SEARCHING', params),
          };
        }
        return {
          kind: 'transition',
          to: 'failed',
          reason: refusal('PEERING_NOT_LOCATED', params),
          note: 'no matching connection before the deadline',
        };
      }
      if (!c || gonePhases.includes(c.phase)) {
        return {
          kind: 'transition',
          to: 'failed',
          reason: endedReason(peering, deployment, c, false),
          note: 'connection cannot be completed',
        };
      }
      const mismatch = verifyConnection(peering, deployment, c, ctx);
      if (mismatch) return { kind: 'transition', to: 'failed', reason: mismatch, note: 'verification failed' };
      switch (c.phase) {
        case 'initiating':
        case 'accepting':
          return { kind: 'wait', afterMs: 1_000, note: `cloud status ${c.providerStatus}` };
        case 'awaiting-customer':
          return peering.status === 'awaiting-customer'
            ? { kind: 'wait', afterMs: 5_000, note: 'waiting for the customer' }
            : {
                kind: 'transition',
                to: 'awaiting-customer',
                reason: null,
                note: 'waiting for the customer to approve',
              };
        case 'awaiting-acceptance':
          return { kind: 'act', action: { kind: 'accept' }, note: 'verified; accepting' };
        case 'active': {
          const cidrs = c.requester.cidrs.length > 0 ? c.requester.cidrs : peering.customerCidrs;
          const missing = missingRoutes(deployment, cidrs, obs.routes);
          if (missing.length > 0)
            return {
              kind: 'act',
              action: { kind: 'ensure-routes', cidrs, missing },
              note: `${missing.length} route(s) to add`,
            };
          if ((obs.routes ?? []).some((r) => r.state === 'pending'))
            return { kind: 'wait', afterMs: 1_000, note: 'routes still being programmed' };
          return { kind: 'transition', to: 'running', reason: null, note: 'connection active and routed', cidrs };
        }
      }
      return { kind: 'wait', afterMs: 5_000, note: `unexpected phase ${c.phase}` };
    }
    case 'running': {
      if (!c || gonePhases.includes(c.phase)) {
        return {
          kind: 'transition',
          to: 'failed',
          reason: endedReason(peering, deployment, c, true),
          note: 'drift: connection gone at the cloud',
        };
      }
      if (obs.routes === undefined || ctx.initiator === 'platform') return { kind: 'steady' };
      // Routes follow the CIDRs verified and stored for this peering (a customer may correct a typed CIDR).
      const missing = missingRoutes(deployment, peering.customerCidrs, obs.routes);
      if (missing.length > 0)
        return {
          kind: 'act',
          action: { kind: 'ensure-routes', cidrs: peering.customerCidrs, missing },
          note: `${missing.length} route(s) to add for the current CIDRs`,
        };
      const wanted = new Set(
        deployment.routeTableIds.flatMap((tableId) => peering.customerCidrs.map((cidr) => routeKey({ tableId, cidr }))),
      );
      const extra = obs.routes
        .filter((r) => !wanted.has(routeKey(r)))
        .map((r) => ({ tableId: r.tableId, cidr: r.cidr }));
      if (extra.length > 0)
        return {
          kind: 'act',
          action: { kind: 'remove-routes', routes: extra },
          note: `${extra.length} route(s) to CIDRs no longer peered`,
        };
      return { kind: 'steady' };
    }
    case 'deleting': {
      const ours = (obs.routes ?? []).map((r) => ({ tableId: r.tableId, cidr: r.cidr }));
      if (ours.length > 0)
        return {
          kind: 'act',
          action: { kind: 'remove-routes', routes: ours },
          note: `${ours.length} route(s) to remove`,
        };
      if (c && !gonePhases.includes(c.phase))
        return { kind: 'act', action: { kind: 'delete-connection' }, note: 'routes removed; deleting connection' };
      return { kind: 'transition', to: 'deleted', reason: null, note: 'routes and connection removed' };
    }
    case 'failed':
      // A failed request the platform made must not linger at the cloud: withdraw it (level-triggered clean-up).
      if (ctx.initiator === 'platform' && c && livePhases.includes(c.phase))
        return {
          kind: 'act',
          action: { kind: 'delete-connection' },
          note: `withdrawing the ${c.providerStatus} attachment of a failed peering`,
        };
      return { kind: 'steady' };
    case 'deleted':
      return { kind: 'steady' };
  }
}

/**
 * Of the connections between a customer VPC and the deployment VPC, the one a located peering is: a live one
 * (awaiting acceptance, accepting, active) before one that was rejected or expired, so a new request wins over an old one.
 */
export function pickLocated(candidates: readonly ConnectionObservation[]): ConnectionObservation | null {
  // A deleted connection is history (an earlier peering's); a rejected or expired one is news the customer needs.
  const relevant = candidates.filter((c) => c.phase !== 'deleted' && c.phase !== 'deleting');
  const rank = (c: ConnectionObservation) => (gonePhases.includes(c.phase) ? 1 : 0);
  return [...relevant].sort((a, b) => rank(a) - rank(b))[0] ?? null;
}

/** Exponential backoff with full jitter, capped; `random` in [0, 1) is injected. */
export function backoffMs(attempt: number, random: number, baseMs = 1_000, capMs = 5 * 60_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
