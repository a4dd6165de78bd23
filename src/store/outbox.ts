/**
 * The outbox (issue 16): events written in the transaction of the change that causes them, so a crash can neither lose
 * one nor send one for a change that did not commit. Each event fans out, in the same transaction, into one delivery
 * per enabled webhook that wants it (and per e-mail contact for the types that are mailed); deadline warnings are
 * scheduled rows that become events when due. Which events a change causes is decided in src/core/notifications.ts.
 */
import type { Kysely } from 'kysely';
import { cloudOf } from '../clouds/registry.js';
import { emailedTypes, eventsForChange, type NewEvent } from '../core/notifications.js';
import type { PeeringStatus } from '../core/status.js';
import { newId } from './ids.js';
import { paginateById, type Page } from './pagination.js';
import { Prepared } from './prepared.js';
import type { Peering } from './peerings.js';
import type { EventTable } from './notify-schema.js';
import type { Database } from './schema.js';

export interface StoredEvent {
  id: string;
  orgId: string | null;
  type: string;
  deploymentId: string | null;
  peeringId: string | null;
  at: string;
  data: Record<string, unknown>;
}

export interface EventFilter {
  deploymentId?: string;
  peeringId?: string;
  types?: string[];
}

interface EventScope {
  orgId: string | null;
  audience?: 'org' | 'operator';
  deploymentId: string | null;
  peeringId: string | null;
}

type DeliveryChannel = 'webhook' | 'email';

/** A delivery row of an event to one destination, due `now`; in order per peering (else per event). */
export function newDelivery(
  event: { id: string; peeringId: string | null },
  orgId: string,
  channel: DeliveryChannel,
  targetId: string,
  now: Date,
) {
  const at = now.toISOString();
  return {
    id: newId('dlv', now.getTime()),
    event_id: event.id,
    org_id: orgId,
    channel,
    target_id: targetId,
    order_key: event.peeringId ?? event.id,
    state: 'pending' as const,
    attempts: 0,
    next_attempt_at: at,
    lease_owner: null,
    lease_until: null,
    last_status: null,
    last_error: null,
    created_at: at,
    updated_at: at,
  };
}

// written with every change of a peering's status (compiled once: prepared.ts)
type EventRow = Omit<EventTable, 'data'> & { /** JSON text */ data: string };
const insertEventRow = new Prepared((db, v: EventRow) => db.insertInto('events').values(v));
const webhooksOf = new Prepared((db, v: { orgId: string }) =>
  db.selectFrom('webhooks').select(['id', 'event_types']).where('org_id', '=', v.orgId).where('enabled', '=', 1),
);
const contactsOf = new Prepared((db, v: { orgId: string }) =>
  db.selectFrom('notification_contacts').select('id').where('org_id', '=', v.orgId),
);
const cidrOf = new Prepared((db, v: { id: string }) =>
  db.selectFrom('deployments').select('vpc_cidr').where('id', '=', v.id),
);

/** Writes one event and its deliveries; `db` is the caller's transaction. */
export async function insertOutboxEvent(
  db: Kysely<Database>,
  scope: EventScope,
  e: NewEvent | { type: string; data: Record<string, unknown> },
  now: Date,
): Promise<string> {
  const id = newId('ev', now.getTime());
  const at = now.toISOString();
  const audience = scope.audience ?? 'org';
  await insertEventRow.run(db, {
    id,
    org_id: scope.orgId,
    audience,
    type: e.type,
    deployment_id: scope.deploymentId,
    peering_id: scope.peeringId,
    at,
    data: JSON.stringify(e.data),
  });
  if (audience !== 'org' || !scope.orgId) return id;
  const orgId = scope.orgId;
  const event = { id, peeringId: scope.peeringId };
  const delivery = (channel: DeliveryChannel, targetId: string) => newDelivery(event, orgId, channel, targetId, now);
  const hooks = await webhooksOf.run(db, { orgId });
  const rows = hooks
    .filter((h) => h.event_types.length === 0 || h.event_types.includes(e.type))
    .map((h) => delivery('webhook', h.id));
  if ((emailedTypes as readonly string[]).includes(e.type)) {
    const contacts = await contactsOf.run(db, { orgId });
    rows.push(...contacts.map((c) => delivery('email', c.id)));
  }
  if (rows.length > 0) await db.insertInto('deliveries').values(rows).execute();
  return id;
}

/**
 * The events a peering's status change causes (`from` null: its submit), written with it. `p`: the peering as it is
 * after the change.
 */
export async function recordPeeringChange(
  db: Kysely<Database>,
  p: Peering,
  change: { from: PeeringStatus | null; to: PeeringStatus; actor: string; note: string },
  now: Date,
): Promise<void> {
  const d = await cidrOf.first(db, { id: p.deploymentId });
  const { events, schedule } = eventsForChange(
    p,
    {
      ...change,
      deploymentCidr: d?.vpc_cidr ?? '',
      customerRoutes: cloudOf(p.provider).capabilities.routes === 'platform',
    },
    now,
  );
  const scope = { orgId: p.orgId, deploymentId: p.deploymentId, peeringId: p.id };
  for (const e of events) await insertOutboxEvent(db, scope, withPeering(e, p), now);
  if (schedule) {
    await db
      .insertInto('event_schedule')
      .values({
        id: newId('sch', now.getTime()),
        org_id: p.orgId,
        peering_id: p.id,
        type: schedule.type,
        due_at: schedule.dueAt,
        deadline_at: schedule.deadlineAt,
        lease_owner: null,
        lease_until: null,
      })
      .execute();
  }
}

/** Every peering event carries what identifies the connection, so a receiver needs no second call. */
export function withPeering(e: NewEvent, p: Peering): NewEvent {
  return {
    type: e.type,
    data: {
      peering: {
        id: p.id,
        provider: p.provider,
        providerPeeringId: p.providerPeeringId || null,
        customerVpcId: p.customerVpcId,
        status: p.status,
        deadlineAt: p.deadlineAt,
      },
      ...e.data,
    },
  };
}

export function storedEventOf(r: {
  id: string;
  org_id: string | null;
  type: string;
  deployment_id: string | null;
  peering_id: string | null;
  at: string;
  data: Record<string, unknown>;
}): StoredEvent {
  return {
    id: r.id,
    orgId: r.org_id,
    type: r.type,
    deploymentId: r.deployment_id,
    peeringId: r.peering_id,
    at: r.at,
    data: r.data,
  };
}

export class EventRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** An organization's events, oldest first, after `after` (an event id), a page at a time. */
  async list(
    orgId: string,
    filter: EventFilter,
    opts: { limit: number; after?: string | null },
  ): Promise<Page<StoredEvent>> {
    let q = this.db.selectFrom('events').selectAll().where('org_id', '=', orgId).where('audience', '=', 'org');
    if (filter.deploymentId) q = q.where('deployment_id', '=', filter.deploymentId);
    if (filter.peeringId) q = q.where('peering_id', '=', filter.peeringId);
    if (filter.types?.length) q = q.where('type', 'in', filter.types);
    return paginateById(q, opts, storedEventOf);
  }

  async get(id: string): Promise<StoredEvent | undefined> {
    const r = await this.db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
    return r && storedEventOf(r);
  }

  /** Every event for the operator, oldest first: its own (`operator`), the organizations' (`org`), or all. */
  async listAll(
    audience: 'operator' | 'org' | 'all',
    opts: { limit: number; after?: string | null },
  ): Promise<Page<StoredEvent>> {
    let q = this.db.selectFrom('events').selectAll();
    if (audience !== 'all') q = q.where('audience', '=', audience);
    return paginateById(q, opts, storedEventOf);
  }

  /**
   * Drops what is older than `before` and finished with: delivery attempts, deliveries no longer pending, events no
   * pending delivery still needs, and deadline warnings past due. A delivery still being retried keeps its event.
   */
  async purge(before: Date): Promise<{ events: number; deliveries: number; attempts: number }> {
    const cutoff = before.toISOString();
    const attempts = await this.db.deleteFrom('delivery_attempts').where('at', '<', cutoff).executeTakeFirst();
    const deliveries = await this.db
      .deleteFrom('deliveries')
      .where('state', '!=', 'pending')
      .where('updated_at', '<', cutoff)
      .executeTakeFirst();
    const events = await this.db
      .deleteFrom('events')
      .where('at', '<', cutoff)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('deliveries').select('deliveries.id').whereRef('deliveries.event_id', '=', 'events.id'),
          ),
        ),
      )
      .executeTakeFirst();
    await this.db.deleteFrom('event_schedule').where('due_at', '<', cutoff).execute();
    return {
      events: Number(events.numDeletedRows),
      deliveries: Number(deliveries.numDeletedRows),
      attempts: Number(attempts.numDeletedRows),
    };
  }
}
