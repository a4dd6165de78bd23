/**
 * What the reconciler's core decides from: a peering and its deployment as the database holds them, and the
 * connection as a cloud reports it — in Peerlink's words; each cloud maps its own status codes onto these phases.
 */
import type { PeeringStatus } from './status.js';

export type ConnectionPhase =
  | 'initiating' // the cloud is still creating the request
  | 'awaiting-acceptance' // the platform may accept it now
  | 'awaiting-customer' // the customer must act on its side (approve a request, create its half)
  | 'accepting' // accepted, provisioning
  | 'active'
  | 'rejected'
  | 'expired'
  | 'failed'
  | 'deleting'
  | 'deleted';

/** Phases after which the connection can never become active again. */
export const gonePhases: readonly ConnectionPhase[] = ['rejected', 'expired', 'failed', 'deleting', 'deleted'];
/** Phases in which the connection exists at the cloud and may still carry (or come to carry) traffic. */
export const livePhases: readonly ConnectionPhase[] = [
  'initiating',
  'awaiting-acceptance',
  'awaiting-customer',
  'accepting',
  'active',
];

/**
 * A running peering's connection is lost when the cloud no longer shows it, it ended, or it waits for its other side
 * again — on clouds where each side has its own half, the customer removing its half leaves the platform's half
 * waiting for the customer's part, or for the platform to complete it.
 */
export function lostWhileRunning(c: ConnectionObservation | null): boolean {
  return !c || gonePhases.includes(c.phase) || c.phase === 'awaiting-customer' || c.phase === 'awaiting-acceptance';
}

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
  /** the customer's side of the connection (whichever side opened it) */
  customer: VpcSide;
  /** the deployment's side: the platform account's network */
  platform: VpcSide;
  expiresAt?: string;
  /** routes of the customer's network that are disabled or clash with the deployment, named (where observable) */
  routeConflicts?: string[];
  /**
   * Where the cloud keeps each side's copy of the other's address space and says whether it is current (absent
   * elsewhere): false when the customer's network changed and the connection has not been synced with it yet. The
   * customer's CIDRs reported are the network's current ones.
   */
  inSync?: boolean;
  /** what the cloud shows that Peerlink leaves aside (address blocks it does not route), for the peering's history */
  notes?: string[];
}

/**
 * The connection as Peerlink already saw it — a sweep's list, a submit's verification — and when; `version`: the
 * peering's version it was taken against, when known (a submit's look, taken just before the peering was stored). A
 * step uses it instead of describing the connection again only if the peering has not moved since (reconciler/step.ts).
 */
export interface Seen {
  connection: ConnectionObservation | null;
  at: Date;
  version?: number;
}

export interface RouteObservation {
  tableId: string;
  cidr: string;
  /** pending: the cloud is still programming or removing it (asynchronous route entries) */
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
  /** '' while Peerlink is still looking for the connection (clouds that find it from the customer's network) */
  providerId: string;
  customerAccountId: string;
  customerVpcId: string;
  customerCidrs: string[];
  /** by when the customer's part must be done (the connection found, the request approved); null: none */
  deadlineAt: string | null;
  /** when the platform accepted the connection (some clouds apply an accept asynchronously); absent: not yet */
  acceptedAt?: string | null;
}

/** A deployment as the core needs it: its network, where it runs, and the route tables the platform programs. */
export interface DeploymentView {
  id: string;
  region: string;
  vpcId: string;
  vpcCidr: string;
  platformAccountId: string;
  routeTableIds: string[];
}

/**
 * Of the connections between a customer network and the deployment's, the one a located peering is: a live one before
 * one that was rejected or expired (a new request wins over an old one); a deleted one is an earlier peering's history.
 */
export function pickLocated(candidates: readonly ConnectionObservation[]): ConnectionObservation | null {
  const relevant = candidates.filter((c) => c.phase !== 'deleted' && c.phase !== 'deleting');
  const rank = (c: ConnectionObservation) => (gonePhases.includes(c.phase) ? 1 : 0);
  return [...relevant].sort((a, b) => rank(a) - rank(b))[0] ?? null;
}
