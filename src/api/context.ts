/** What every route needs, and what each request carries once authenticated. */
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.js';
import type { Locale } from '../core/errors.js';
import type { Seen } from '../core/observation.js';
import type { RulesConfig } from '../core/rules.js';
import type { CloudCatalog } from '../clouds/catalog.js';
import type { DemoPanel } from '../demo/panel.js';
import type { Metrics } from '../metrics.js';
import type { ApiLimits, Limiters } from './limits.js';
import type { RefusalMemo, ServiceDeps } from '../service/context.js';
import type { Store } from '../store/db.js';
import type { Role } from '../store/schema.js';
import type { Repos } from '../store/repos.js';

export type { Repos };

export interface AppDeps {
  store: Store;
  repos: Repos;
  clouds: CloudCatalog;
  rules: RulesConfig;
  clock: Clock;
  /** a submitted or deleted peering is driven at once, in process (`known`: the connection as the submit saw it) */
  kick(peeringId: string, known?: Seen): void;
  /** the operator credential; absent: operator endpoints refuse everything */
  operatorToken?: string;
  metrics?: Metrics;
  /** this instance's name (its lease owner id), shown by /healthz */
  instance?: string;
  /** demo mode: the customer's side in the simulator, for the console's customer-cloud panel */
  demo?: DemoPanel;
  /** where the built console is (absent: not served) */
  consoleDir?: string;
  /** request limits; absent: the defaults */
  limits?: ApiLimits;
  /** the request timeouts */
  timeouts?: { requestMs: number; headersMs: number };
  /** a credential for /metrics only */
  metricsToken?: string;
  /** a customer's resync of one peering counts once per this long */
  resyncCooldownMs?: number;
  /** refused submits remembered for a moment (one per app) */
  refusals?: RefusalMemo;
  /** route schemas compiled on first use (default) or at start */
  schemas?: 'lazy' | 'eager';
  /** which webhook targets are allowed (SSRF guard); absent: public addresses only */
  webhookTargets?: { allowPrivate: boolean };
}

/** What the route modules receive: the app's dependencies and the limiters built for this app. */
export interface RouteDeps extends AppDeps {
  limiters: Limiters;
}

/** The service layer's view of the app's dependencies. */
export function serviceOf(deps: AppDeps): ServiceDeps {
  return {
    store: deps.store,
    repos: deps.repos,
    clouds: deps.clouds,
    rules: deps.rules,
    clock: deps.clock,
    resyncCooldownMs: deps.resyncCooldownMs ?? 10_000,
    refusals: deps.refusals,
  };
}

export type Caller =
  | { kind: 'org'; orgId: string; role: Role; keyId: string }
  | { kind: 'operator' }
  /** the credential that reads /metrics and nothing else */
  | { kind: 'metrics' };

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
    locale: Locale;
    idempotency: { scope: string; key: string } | null;
    /** the code of the refusal answered, for the audit log */
    refusalCode: string | null;
  }
}

export function orgOf(req: FastifyRequest): { orgId: string; actor: string } {
  const c = req.caller;
  if (!c || c.kind !== 'org') throw new Error('route reached without an org caller');
  return { orgId: c.orgId, actor: `key:${c.keyId}` };
}
