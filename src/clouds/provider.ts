/**
 * The one interface the rest of Peerlink sees of a cloud: the platform side of a peering. Everything else about a
 * cloud (SDK calls, status and error mapping, id shapes, console facts, customer-side guidance) stays in its folder.
 */
import type { ConnectionObservation, RouteObservation } from '../core/lifecycle.js';
import type { IdShape } from '../core/rules.js';
import type { Refusal } from '../core/errors.js';

export const providers = ['aws', 'alibaba', 'huawei', 'tencent'] as const;
export type ProviderName = (typeof providers)[number];

/** A platform cloud account in one region, as the operator registered it. */
export interface PlatformTarget {
  provider: ProviderName;
  region: string;
  accountId: string;
  /** absent: the cloud's public endpoint */
  endpoint?: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/**
 * transient: throttling, 5xx, timeouts — retry with backoff, never fail the peering.
 * conflict: the cloud's state moved under us (InvalidStateTransition …) — observe again.
 * permanent: the cloud refuses; shown with its own code.
 */
export type ProviderErrorKind = 'transient' | 'conflict' | 'permanent';

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    readonly operation: string,
    readonly providerCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** What every adapter reports per cloud call (the metrics hook): action, outcome (ok or the error kind), seconds. */
export type OnCall = (action: string, outcome: string, seconds: number) => void;

/** One cloud call: timed, its failure classified into a ProviderError by the cloud's own rules, reported to `onCall`. */
export async function providerCall<T>(
  operation: string,
  fn: () => Promise<T>,
  classify: (operation: string, err: unknown) => ProviderError,
  onCall?: OnCall,
): Promise<T> {
  const started = performance.now();
  try {
    const out = await fn();
    onCall?.(operation, 'ok', (performance.now() - started) / 1000);
    return out;
  } catch (err) {
    const e = classify(operation, err);
    onCall?.(operation, e.kind, (performance.now() - started) / 1000);
    throw e;
  }
}

export interface RouteRef {
  tableId: string;
  cidr: string;
}

export interface PeeringAdapter {
  /**
   * The named connections; an id missing from the map is unknown to the cloud. `accepterVpcId`: the deployment VPC,
   * for clouds where the id names a network several deployments may join (Tencent: the customer's CCN).
   */
  describe(target: PlatformTarget, ids: string[], accepterVpcId?: string): Promise<Map<string, ConnectionObservation>>;
  /** Every connection the platform account accepts in its region, a page at a time (the batched sweep). */
  listAccepted(target: PlatformTarget): AsyncGenerator<ConnectionObservation[]>;
  /** The platform-side routes in these tables that point at the connection. */
  routes(target: PlatformTarget, connectionId: string, routeTableIds: string[]): Promise<RouteObservation[]>;
  accept(target: PlatformTarget, connectionId: string): Promise<void>;
  /** Idempotent: a route that already points at the same connection counts as done. */
  createRoutes(target: PlatformTarget, connectionId: string, routes: RouteRef[]): Promise<void>;
  /** Idempotent: a route already gone counts as done. */
  deleteRoutes(target: PlatformTarget, connectionId: string, routes: RouteRef[]): Promise<void>;
  /** Idempotent: a connection already gone counts as done. Platform-initiated clouds: withdraw or detach. */
  deleteConnection(target: PlatformTarget, connectionId: string, accepterVpcId?: string): Promise<void>;
  /** Platform-initiated clouds (Tencent): ask to join the customer's network; idempotent while a request is pending. */
  request?(
    target: PlatformTarget,
    ref: { connectionId: string; accepterVpcId: string; requesterAccountId: string },
  ): Promise<void>;
  /** Cloud-specific checks before a submit is stored (Tencent: the deployment VPC is not in another CCN). */
  preflight?(
    target: PlatformTarget,
    ref: { connectionId: string; accepterVpcId: string; requesterAccountId: string },
  ): Promise<Refusal | null>;
  /**
   * Clouds whose customer names its VPC rather than the connection (Alibaba): the connections, visible to the
   * platform account, between that requester VPC and the deployment VPC. Absent: the customer types the id.
   */
  locate?(
    target: PlatformTarget,
    between: { requesterVpcId: string; accepterVpcId: string },
  ): Promise<ConnectionObservation[]>;
}

export interface Localized {
  en: string;
  'zh-CN': string;
}

/** One fact the console shows with a copy button (PRODUCT.md §3). */
export interface Fact {
  key: string;
  label: Localized;
  value: string;
}

/** One field the customer fills in with what its cloud gave back. */
export interface FormField {
  key: 'providerPeeringId' | 'customerAccountId' | 'customerVpcId' | 'customerCidrs';
  label: Localized;
  shape: IdShape;
}

export interface Guidance {
  /** numbered steps for the customer's side, in both languages */
  steps: Localized[];
  /** shell commands of the cloud's own CLI, filled in */
  commands: string;
  terraform: string;
}

export interface DeploymentFacts {
  id: string;
  name: string;
  region: string;
  vpcId: string;
  vpcCidr: string;
  platformAccountId: string;
}

export interface CloudModule {
  name: ProviderName;
  adapter: PeeringAdapter;
  /** 'platform': the platform asks, the customer approves within the approval window (Tencent CCN) */
  initiator?: 'customer' | 'platform';
  facts(d: DeploymentFacts): Fact[];
  form: FormField[];
  /** the customer-side steps; `providerPeeringId` once known */
  guidance(d: DeploymentFacts, peering?: { providerPeeringId: string; customerVpcId: string }): Guidance;
}
