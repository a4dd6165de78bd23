/**
 * The repositories, over the database or over one transaction: the service runs a command's reads and writes in one
 * transaction by asking for them here, and never touches SQL itself.
 */
import type { Kysely } from 'kysely';
import type { Engine, Store } from './db.js';
import type { SecretBox } from './secrets.js';
import { AuditRepo } from './audit.js';
import { DeliveryRepo } from './deliveries.js';
import { EventRepo } from './outbox.js';
import { IdempotencyRepo } from './idempotency.js';
import { OrgRepo } from './orgs.js';
import { PeeringLeases } from './peering-leases.js';
import { PeeringRepo } from './peerings.js';
import { PlatformRepo } from './platform.js';
import { RateCounterRepo } from './rate-counters.js';
import { ResourceRepo } from './resources.js';
import type { Database } from './schema.js';
import { WebhookRepo } from './webhooks.js';

export interface Repos {
  orgs: OrgRepo;
  peerings: PeeringRepo;
  leases: PeeringLeases;
  platform: PlatformRepo;
  resources: ResourceRepo;
  idempotency: IdempotencyRepo;
  audit: AuditRepo;
  rateCounters: RateCounterRepo;
  events: EventRepo;
  webhooks: WebhookRepo;
  deliveries: DeliveryRepo;
}

function reposOver(db: Kysely<Database>, engine: Engine, secrets: SecretBox | null): Repos {
  return {
    orgs: new OrgRepo(db),
    peerings: new PeeringRepo(db, engine),
    leases: new PeeringLeases(db, engine),
    platform: new PlatformRepo(db, secrets),
    resources: new ResourceRepo(db),
    idempotency: new IdempotencyRepo(db),
    audit: new AuditRepo(db),
    rateCounters: new RateCounterRepo(db),
    events: new EventRepo(db),
    webhooks: new WebhookRepo(db, secrets),
    deliveries: new DeliveryRepo(db, engine),
  };
}

export function reposOf(store: Store): Repos {
  return reposOver(store.db, store.engine, store.secrets);
}

/** Runs `fn` with repositories bound to one transaction: all of its writes commit together, or none do. */
export function inTransaction<T>(store: Store, fn: (tx: Repos) => Promise<T>): Promise<T> {
  return store.db.transaction().execute((trx) => fn(reposOver(trx, store.engine, store.secrets)));
}
