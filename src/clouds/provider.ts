/**
 * The contract between Peerlink and a cloud. A cloud is a folder: it declares how its connections work
 * (capabilities), what the console shows and asks (facts, form, guidance), and — loaded only when needed — the adapter
 * on its official SDK and its simulation. Nothing outside its folder knows a cloud's vocabulary; everything that lists
 * clouds reads `registry.ts`.
 */
import type { TObject } from 'typebox';
import type { Capabilities } from '../core/capabilities.js';
import type { ErrorCode, Locale, MessageOverrides } from '../core/errors.js';
import type { RouteRef } from '../core/decide.js';
import type { ConnectionObservation, RouteObservation } from '../core/observation.js';
import type { IdShape } from '../core/rules.js';
import type { Precheck } from '../core/verify.js';
import type { CloudSimulation } from './sim/contract.js';
import type { RateLimits } from './rate-limits.js';

export type { RouteRef };

/** A platform cloud account in one region, as the operator registered it. */
export interface PlatformTarget {
  provider: string;
  region: string;
  accountId: string;
  /** absent: the cloud's public endpoint */
  endpoint?: string;
  /** the cloud's own credential fields, as its `account.credentials` schema describes them */
  credentials: Record<string, string>;
  /**
   * For whom the calls are made: the pacer queues them among this organization's (absent: the platform's own work,
   * the sweep). `interactive`: someone is waiting on it (a submit's look), so it goes before background steps.
   */
  caller?: { org: string; interactive?: boolean };
}

/**
 * transient: throttling, 5xx, timeouts — retry with backoff, never fail the peering.
 * conflict: the cloud's state moved under us, or it is busy with another change — observe again.
 * permanent: the cloud refuses; shown with its own code.
 */
export type ProviderErrorKind = 'transient' | 'conflict' | 'permanent';

export class ProviderError extends Error {
  /** what the adapter can name for the catalogue entry the code maps to (`customerErrors`): who lacks which right */
  readonly params: Readonly<Record<string, string>>;

  constructor(
    readonly kind: ProviderErrorKind,
    readonly operation: string,
    readonly providerCode: string,
    message: string,
    options?: { cause?: unknown; params?: Record<string, string> },
  ) {
    super(message, options);
    this.name = 'ProviderError';
    this.params = options?.params ?? {};
  }
}

/**
 * A cloud's error message as a customer may read it: the platform's endpoints and addresses taken out (an SDK's
 * transport error names the host it could not reach).
 */
export function publicMessage(message: string): string {
  return message
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, '[endpoint]')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g, '[address]')
    .replace(/\[[0-9a-f:]+\](?::\d{1,5})?/gi, '[address]');
}

/** What every adapter reports per cloud call (the metrics hook): action, outcome (ok or the error kind), seconds. */
export type OnCall = (action: string, outcome: string, seconds: number) => void;

export interface AdapterOptions {
  requestTimeoutMs?: number;
  onCall?: OnCall;
  /** paces every cloud call by the cloud's rate limits (absent: unpaced) */
  pace?: Pace;
}

/** Waits for a call's turn under the cloud's limits, and hears how it went (a throttled answer holds the bucket). */
export interface Pace {
  before(operation: string, target: PlatformTarget): Promise<void>;
  after(operation: string, target: PlatformTarget, error: ProviderError | null): void;
}

/** Which connection, in the terms every cloud can resolve. */
export interface ConnectionRef {
  /** the cloud's id of the connection; '' while it is still to be found */
  connectionId: string;
  /** the deployment's network (on some clouds one connection id serves several deployments) */
  deploymentVpcId: string;
  customerAccountId: string;
  customerVpcId: string;
  /** the customer's CIDRs as stored (typed, or read from the cloud) */
  customerCidrs: string[];
}

/** Every cloud: read a connection, list them all (the batched sweep), and close one. */
export interface Connections {
  /** The connection as the cloud shows it; null when the cloud does not know it. */
  observe(target: PlatformTarget, ref: ConnectionRef): Promise<ConnectionObservation | null>;
  /** Every connection of the platform account in its region, a page at a time. */
  list(target: PlatformTarget): AsyncGenerator<ConnectionObservation[]>;
  /**
   * Ends the connection by whatever the cloud allows in its current phase (delete, reject, withdraw, detach).
   * Idempotent: a connection already gone counts as done.
   */
  close(target: PlatformTarget, ref: ConnectionRef, current: ConnectionObservation): Promise<void>;
}

/** Where the customer opens the connection: the platform accepts it. */
export interface Acceptor {
  accept(target: PlatformTarget, ref: ConnectionRef): Promise<void>;
}

/** Where the platform opens the connection: the read-only look before, and the request itself. */
export interface Requester {
  precheck(target: PlatformTarget, ref: ConnectionRef): Promise<Precheck>;
  /** Idempotent while a request is pending. */
  request(target: PlatformTarget, ref: ConnectionRef): Promise<void>;
}

/** Where the platform finds the connection from the customer's network. */
export interface Locator {
  /** The connections, visible to the platform account, between the customer's network and the deployment's. */
  locate(
    target: PlatformTarget,
    between: { customerVpcId: string; deploymentVpcId: string },
  ): Promise<ConnectionObservation[]>;
}

/** Where the platform adds routes to the deployment's route tables. */
export interface PlatformRoutes {
  /** The routes in these tables that point at the connection. */
  observe(target: PlatformTarget, connectionId: string, routeTableIds: string[]): Promise<RouteObservation[]>;
  /** Idempotent: a route that already points at the same connection counts as done. */
  create(target: PlatformTarget, connectionId: string, routes: RouteRef[]): Promise<void>;
  /** Idempotent: a route already gone counts as done. */
  remove(target: PlatformTarget, connectionId: string, routes: RouteRef[]): Promise<void>;
}

/** An adapter as the reconciler holds it: its parts, present as its cloud's capabilities declare. */
export interface CloudAdapter {
  connections: Connections;
  acceptor?: Acceptor;
  requester?: Requester;
  locator?: Locator;
  routes?: PlatformRoutes;
}

/** The adapter a cloud with capabilities C must provide: exactly the parts its declarations call for. */
export type AdapterFor<C extends Capabilities> = { connections: Connections } & (C['opens'] extends 'customer'
  ? { acceptor: Acceptor; requester?: never }
  : { requester: Requester; acceptor?: never }) &
  (C['finds'] extends 'customer-network' ? { locator: Locator } : { locator?: never }) &
  (C['routes'] extends 'platform' ? { routes: PlatformRoutes } : { routes?: never });

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
  /** the key in `POST /v1/peerings` */
  key: string;
  label: Localized;
  /** where to find the value in the customer's cloud console, and what it is not */
  hint?: Localized;
  shape: IdShape;
  /** a list of values (CIDRs) */
  list?: boolean;
  /** forgives what is unambiguous (case, spaces, separators) before the shape is checked */
  normalize?: (raw: string) => string;
}

/** A peering's identity in Peerlink's terms, from the form's values. */
export interface PeeringIdentity {
  /** the connection's id where the customer types it or the platform names it; '' where it is found later */
  providerPeeringId: string;
  customerAccountId: string;
  customerVpcId: string;
  customerCidrs: string[];
}

export type FormValues = Record<string, string | string[]>;

export interface Guidance {
  /** numbered steps for the customer's side, in both languages */
  steps: Localized[];
  /** shell commands of the cloud's own CLI, filled in; their comments in the language asked for */
  commands: string;
  /** the same as Terraform; its comments in the language asked for */
  terraform: string;
}

/** What the console shows of a deployment, and what guidance is filled with. */
export interface DeploymentFacts {
  id: string;
  name: string;
  region: string;
  vpcId: string;
  vpcCidr: string;
  platformAccountId: string;
  /** the platform account's credential fields its cloud declares public (`account.publicCredentials`): never secrets */
  account?: Record<string, string>;
}

export interface CloudDescriptor<N extends string = string, C extends Capabilities = Capabilities> {
  name: N;
  /** the cloud's name as customers know it, in both languages */
  label: Localized;
  capabilities: C;
  /**
   * What the operator registers as a platform account: the account id's shape and the credential fields; which of
   * those are identifiers the customer needs to see (an application's client ID — never a secret); and how a
   * deployment's network id is written, where the cloud compares ids without regard to case.
   */
  account: {
    accountId: IdShape;
    credentials: TObject;
    publicCredentials?: readonly string[];
    normalizeNetworkId?: (raw: string) => string;
  };
  facts(d: DeploymentFacts): Fact[];
  form: FormField[];
  /** the peering's identity from the (normalised, shape-checked) form values */
  identify(values: FormValues): PeeringIdentity;
  /** the customer-side steps; `peering` once it exists; `lang`: the language of the code blocks' comments */
  guidance(
    d: DeploymentFacts,
    peering?: { providerPeeringId: string; customerVpcId: string; customerAccountId?: string },
    lang?: Locale,
  ): Guidance;
  /** the cloud's own wording of catalogue messages */
  messages: MessageOverrides;
  /**
   * Where in the cloud's own console the customer creates or approves the peering, for the deployment's region and
   * the viewer's language (the console links it beside the facts).
   */
  consoleUrl?: (region: string, lang: 'en' | 'zh-CN') => string;
  /**
   * The cloud's error codes that mean the customer typed something wrong (a network or account that does not exist):
   * a peering failing on one shows this catalogue entry, in the customer's words, rather than the cloud's error.
   */
  customerErrors: Partial<Record<string, ErrorCode>>;
  /**
   * The cloud's codes (exact, or a family before its `.`) for refusing the platform account itself — a key it does not
   * know, a signature it cannot verify, a right the account lacks. Not the customer's doing (a code in
   * `customerErrors` never counts): the operator is told (`platform.credentials_refused`).
   */
  platformRefusals: readonly string[];
  /** the cloud's documented request limits (the simulator enforces them; Peerlink paces its calls by them) */
  rateLimits: RateLimits;
  /** the adapter on the cloud's official SDK, loaded on first use */
  adapter(options: AdapterOptions): Promise<AdapterFor<C>>;
  /** the simulator, demo, benchmark and test fixtures of this cloud (tests, the demo and `peerlink sim` only) */
  simulation(): Promise<CloudSimulation>;
}

/** Any cloud, as code that lists clouds holds it: its adapter's parts are those its capabilities declare. */
export type AnyCloud = Omit<CloudDescriptor, 'adapter'> & { adapter(options: AdapterOptions): Promise<CloudAdapter> };

/** Declares a cloud; the type ties its adapter's parts to its capabilities. */
export function defineCloud<const N extends string, const C extends Capabilities>(
  d: CloudDescriptor<N, C>,
): CloudDescriptor<N, C> {
  return d;
}

/** The identity of a form whose keys are Peerlink's own field names (most clouds). */
export function identityOf(values: FormValues): PeeringIdentity {
  const one = (key: string) => {
    const v = values[key];
    return typeof v === 'string' ? v : '';
  };
  const cidrs = values.customerCidrs;
  return {
    providerPeeringId: one('providerPeeringId'),
    customerAccountId: one('customerAccountId'),
    customerVpcId: one('customerVpcId'),
    customerCidrs: Array.isArray(cidrs) ? cidrs : [],
  };
}

/** Picks the English or the Chinese of a text by `lang` (guidance's code comments). */
export function sayIn(lang: Locale | undefined): (en: string, zh: string) => string {
  return (en, zh) => (lang === 'zh-CN' ? zh : en);
}
