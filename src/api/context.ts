/** What every route needs, and what each request carries once authenticated. */
import type { FastifyRequest } from 'fastify';
import type { Locale } from '../core/errors.js';
import type { RulesConfig } from '../core/rules.js';
import type { CloudModule, ProviderName } from '../clouds/provider.js';
import type { Clock } from '../clouds/sim/clock.js';
import type { Store } from '../store/db.js';
import type { Metrics } from '../metrics.js';
import type { Role } from '../store/orgs.js';
import { OrgRepo } from '../store/orgs.js';
import { PeeringRepo } from '../store/peerings.js';
import { PlatformRepo } from '../store/platform.js';
import { ResourceRepo } from '../store/resources.js';
import { IdempotencyRepo } from '../store/idempotency.js';
import type { DemoKit } from '../demo/kit.js';

export interface AppDeps {
  store: Store;
  clouds: Partial<Record<ProviderName, CloudModule>>;
  rules: RulesConfig;
  clock: Clock;
  /** a submitted or deleted peering is driven at once, in process */
  kick(peeringId: string): void;
  /** the operator credential; absent: operator endpoints refuse everything */
  operatorToken?: string;
  metrics?: Metrics;
  /** this instance's name (its lease owner id), shown by /healthz */
  instance?: string;
  /** demo mode: the customer's side in the simulator, for the console's customer-cloud panel */
  demo?: DemoKit;
  /** where the built console is (absent: not served) */
  consoleDir?: string;
}

export interface Repos {
  orgs: OrgRepo;
  peerings: PeeringRepo;
  platform: PlatformRepo;
  resources: ResourceRepo;
  idempotency: IdempotencyRepo;
}

export function reposOf(store: Store): Repos {
  return {
    orgs: new OrgRepo(store.db),
    peerings: new PeeringRepo(store.db, store.engine),
    platform: new PlatformRepo(store.db),
    resources: new ResourceRepo(store.db),
    idempotency: new IdempotencyRepo(store.db),
  };
}

export type Caller = { kind: 'org'; orgId: string; role: Role; keyId: string } | { kind: 'operator' };

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
    locale: Locale;
    idempotency: { scope: string; key: string } | null;
  }
}

export function orgOf(req: FastifyRequest): { orgId: string; actor: string } {
  const c = req.caller;
  if (!c || c.kind !== 'org') throw new Error('route reached without an org caller');
  return { orgId: c.orgId, actor: `key:${c.keyId}` };
}
