/**
 * Does what the cloud shows match what the customer submitted, the deployment, and the rules? Used by the decision
 * (before accepting, and when a requested connection becomes readable) and by the submit (before anything is stored).
 */
import type { Capabilities } from './capabilities.js';
import { refusal, type Refusal } from './errors.js';
import {
  gonePhases,
  livePhases,
  type ConnectionObservation,
  type DeploymentView,
  type PeeringView,
  type VpcSide,
} from './observation.js';
import { parseIpv4Cidr } from './cidr.js';
import { checkCustomerCidrs, checkRegion, type CidrPolicy, type LivePeering } from './rules.js';

export interface VerifyContext {
  capabilities: Capabilities;
  reservedRanges: readonly string[];
  cidrPolicy: CidrPolicy;
  /** the other live peerings of the deployment */
  siblings: readonly LivePeering[];
}

/**
 * The customer's CIDRs for a connection. Where the cloud reports them: what it reports (else what was typed). Where the
 * customer types them: what it typed — what the cloud shows, where the platform may read it, only checks them (else,
 * for a peering stored before its cloud asked for them, what the cloud shows).
 */
export function customerCidrsOf(peering: PeeringView, c: ConnectionObservation, capabilities: Capabilities): string[] {
  const [first, second] =
    capabilities.customerCidrs === 'typed'
      ? [peering.customerCidrs, c.customer.cidrs]
      : [c.customer.cidrs, peering.customerCidrs];
  return first.length > 0 ? first : second;
}

/** Typed CIDRs the cloud's own report of the customer's network (where it gives one) does not contain. */
function unreported(peering: PeeringView, c: ConnectionObservation, capabilities: Capabilities): string[] {
  if (capabilities.customerCidrs !== 'typed' || c.customer.cidrs.length === 0) return [];
  const norm = (x: string) => {
    const p = parseIpv4Cidr(x);
    return p.ok ? p.span.text : x;
  };
  const reported = new Set(c.customer.cidrs.map(norm));
  return peering.customerCidrs.filter((x) => !reported.has(norm(x)));
}

export function verifyConnection(
  peering: PeeringView,
  deployment: DeploymentView,
  c: ConnectionObservation,
  ctx: VerifyContext,
): Refusal | null {
  const providerId = peering.providerId;
  // What the connection actually targets, and who requested it, is not named: the id may be someone else's
  // connection (another tenant's deployment network, another customer's account). Only what the caller typed and the
  // deployment's own facts are shown.
  if (c.platform.vpcId !== deployment.vpcId || c.platform.accountId !== deployment.platformAccountId) {
    return refusal('PEERING_WRONG_TARGET', {
      providerId,
      expectedVpc: deployment.vpcId,
      expectedAccount: deployment.platformAccountId,
    });
  }
  if (c.customer.accountId !== peering.customerAccountId) {
    return refusal('PEERING_REQUESTER_MISMATCH', { providerId, field: 'account', expected: peering.customerAccountId });
  }
  if (c.customer.vpcId !== peering.customerVpcId) {
    return refusal('PEERING_REQUESTER_MISMATCH', { providerId, field: 'VPC', expected: peering.customerVpcId });
  }
  const region = checkRegion(deployment.region, c.customer.region);
  if (region) return region;
  if (unreported(peering, c, ctx.capabilities).length > 0) {
    return refusal('CUSTOMER_CIDRS_MISMATCH', {
      providerId,
      typed: peering.customerCidrs.join(', '),
      reported: c.customer.cidrs.join(', '),
    });
  }
  const cidrs = customerCidrsOf(peering, c, ctx.capabilities);
  // Where the cloud reports the customer's CIDRs only once connected (each side adds its own half), none before is
  // "not known yet": they are checked when the connection is active, and none then is a refusal.
  if (cidrs.length === 0) return c.phase === 'active' ? refusal('PEERING_NO_CUSTOMER_CIDR', { providerId }) : null;
  return checkCustomerCidrs(cidrs, {
    deploymentCidr: deployment.vpcCidr,
    reservedRanges: ctx.reservedRanges,
    policy: ctx.cidrPolicy,
    siblings: ctx.siblings,
  });
}

/** Why a connection in a final cloud phase (or gone) ended, in the customer's words. */
export function endedReason(
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
        // some clouds hide a request that failed on an overlapping CIDR: their wording can name the likely cause
        deploymentCidr: deployment.vpcCidr,
      });
  }
}

/** While Peerlink looks for a connection the customer names by its network: what to check, and until when. */
export function searchParams(peering: PeeringView, deployment: DeploymentView): Record<string, string> {
  return {
    customerVpcId: peering.customerVpcId,
    deploymentVpcId: deployment.vpcId,
    region: deployment.region,
    accountId: deployment.platformAccountId,
    deadline: peering.deadlineAt ?? '',
  };
}

/**
 * Where the platform acts on the customer's network itself (the customer delegated it a role there), what its look
 * at that network found: the network (its region and CIDRs, checked against the rules before anything is created),
 * no such network, or no right to act on it — `principal` (who needs the grant), `scope` (on what) and `missing`
 * (which rights), in the cloud's words.
 */
export type CustomerNetworkLook =
  | { kind: 'found'; network: VpcSide }
  | { kind: 'not-found' }
  | { kind: 'denied'; principal: string; scope: string; missing: string };

/** What the platform's read-only look before opening a connection found (clouds where the platform opens). */
export interface Precheck {
  /** the deployment's network already belongs to another customer network, where it can belong to only one */
  deploymentJoined: { connectionId: string; status: string } | null;
  /** where the platform can look at the customer's network before it opens (absent where it cannot) */
  customerNetwork?: CustomerNetworkLook;
}

/** The customer's network as the precheck found it: refused at once when missing, not delegated, or against a rule. */
function checkCustomerNetwork(
  peering: PeeringView,
  deployment: DeploymentView,
  look: CustomerNetworkLook,
  ctx: VerifyContext,
): Refusal | null {
  switch (look.kind) {
    case 'denied':
      return refusal('DELEGATION_MISSING', {
        accountId: peering.customerAccountId,
        customerVpcId: peering.customerVpcId,
        principal: look.principal,
        scope: look.scope,
        missing: look.missing,
      });
    case 'not-found':
      return refusal('CUSTOMER_NETWORK_NOT_FOUND', {
        providerId: peering.customerVpcId,
        customerVpcId: peering.customerVpcId,
        accountId: peering.customerAccountId,
      });
    case 'found':
      return (
        checkRegion(deployment.region, look.network.region) ??
        (look.network.cidrs.length === 0
          ? refusal('PEERING_NO_CUSTOMER_CIDR', { providerId: peering.customerVpcId })
          : checkCustomerCidrs(look.network.cidrs, {
              deploymentCidr: deployment.vpcCidr,
              reservedRanges: ctx.reservedRanges,
              policy: ctx.cidrPolicy,
              siblings: ctx.siblings,
            }))
      );
  }
}

export type SubmissionVerdict =
  | { ok: false; refusal: Refusal }
  /** `hint`: what the customer should know while pending; `cidrs`: the customer CIDRs to store */
  | { ok: true; hint: Refusal | null; cidrs: string[] };

/**
 * A submit, checked against the one read-only look the service took at the cloud (the named connection, the one
 * found from the customer's network, or — where the platform opens — whatever already exists), before anything is
 * stored: the same verification the reconciler applies before it acts.
 */
export function verifySubmission(
  peering: PeeringView,
  deployment: DeploymentView,
  look: { connection: ConnectionObservation | null; precheck?: Precheck },
  ctx: VerifyContext,
): SubmissionVerdict {
  const c = look.connection;
  const joined = look.precheck?.deploymentJoined;
  if (joined && joined.connectionId !== peering.providerId) {
    return {
      ok: false,
      refusal: refusal('DEPLOYMENT_JOINED_ELSEWHERE', {
        vpcId: deployment.vpcId,
        otherConnectionId: joined.connectionId,
        state: joined.status,
      }),
    };
  }
  if (ctx.capabilities.opens === 'platform') {
    const network = look.precheck?.customerNetwork;
    const refused = network ? checkCustomerNetwork(peering, deployment, network, ctx) : null;
    if (refused) return { ok: false, refusal: refused };
    // Nothing more to verify until the connection exists; an existing live one must be this peering's.
    const mismatch = c && livePhases.includes(c.phase) ? verifyConnection(peering, deployment, c, ctx) : null;
    if (mismatch) return { ok: false, refusal: mismatch };
    const cidrs = network?.kind === 'found' ? network.network.cidrs : peering.customerCidrs;
    return { ok: true, hint: null, cidrs };
  }
  if (!c && !peering.providerId) {
    return { ok: true, hint: refusal('PEERING_SEARCHING', searchParams(peering, deployment)), cidrs: [] };
  }
  if (!c || gonePhases.includes(c.phase)) return { ok: false, refusal: endedReason(peering, deployment, c, false) };
  const mismatch = verifyConnection(peering, deployment, c, ctx);
  if (mismatch) return { ok: false, refusal: mismatch };
  return { ok: true, hint: null, cidrs: customerCidrsOf(peering, c, ctx.capabilities) };
}
