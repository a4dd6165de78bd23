/**
 * The deliverers' work queue (issue 16), laid out like the reconciler's (peering-leases.ts): a delivery is claimed with
 * a lease, PostgreSQL skipping rows another instance is claiming, and every write after the attempt is fenced by the
 * lease. A delivery is claimable only when no earlier delivery of the same peering to the same destination is still
 * pending, so each destination receives a peering's events in order. Deadline warnings are scheduled rows claimed the
 * same way and turned into events when due.
 */
import type { Kysely } from 'kysely';
import { atomically, type Engine } from './db.js';
import { newId } from './ids.js';
import { newDelivery } from './outbox.js';
import { paginateById, type Page } from './pagination.js';
import { fireDueWarnings } from './schedule.js';
import type { DeliveryTable } from './notify-schema.js';
import type { Database } from './schema.js';

export interface Claimed {
  id: string;
  eventId: string;
  orgId: string | null;
  channel: DeliveryTable['channel'];
  targetId: string;
  attempts: number;
  createdAt: string;
}

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  excerpt: string;
  error: string | null;
}

export interface DeliveryLogEntry {
  id: string;
  deliveryId: string;
  eventId: string;
  eventType: string;
  at: string;
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string;
  error: string | null;
  state: string;
}

export class DeliveryRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine = 'sqlite',
  ) {}

  /** Claims up to `limit` due deliveries whose predecessors (same destination, same peering) are all done. */
  async claimDue(o: { owner: string; now: Date; ttlMs: number; limit: number }): Promise<Claimed[]> {
    const at = o.now.toISOString();
    let due = this.db
      .selectFrom('deliveries as d')
      .select('d.id')
      .where('d.state', '=', 'pending')
      .where('d.next_attempt_at', '<=', at)
      .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<', at)]))
      .where((eb) =>
        eb.or([
          eb('d.channel', '=', 'email'),
          eb.exists(
            eb
              .selectFrom('webhooks as w')
              .select('w.id')
              .whereRef('w.id', '=', 'd.target_id')
              .where('w.enabled', '=', 1),
          ),
        ]),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('deliveries as e')
              .select('e.id')
              .whereRef('e.target_id', '=', 'd.target_id')
              .whereRef('e.order_key', '=', 'd.order_key')
              .whereRef('e.event_id', '<', 'd.event_id')
              .where('e.state', '=', 'pending'),
          ),
        ),
      )
      .orderBy('d.event_id')
      .limit(o.limit);
    if (this.engine === 'postgres') due = due.forUpdate().skipLocked();
    const rows = await this.db
      .updateTable('deliveries')
      .set({ lease_owner: o.owner, lease_until: new Date(o.now.getTime() + o.ttlMs).toISOString() })
      .where('id', 'in', due)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
      .returningAll()
      .execute();
    return rows
      .map((r) => ({
        id: r.id,
        eventId: r.event_id,
        orgId: r.org_id,
        channel: r.channel,
        targetId: r.target_id,
        attempts: r.attempts,
        createdAt: r.created_at,
      }))
      .sort((a, b) => (a.eventId < b.eventId ? -1 : 1));
  }

  /**
   * Records an attempt and what follows: delivered, tried again at `retryAt`, or (null) given up. False: the lease was
   * lost meanwhile (another instance owns the delivery; nothing recorded).
   */
  async complete(o: {
    delivery: Claimed;
    owner: string;
    result: AttemptResult;
    retryAt: Date | null;
    now: Date;
  }): Promise<boolean> {
    const { delivery: d, result: r } = o;
    const at = o.now.toISOString();
    return atomically(this.db, async (trx) => {
      const u = await trx
        .updateTable('deliveries')
        .set({
          state: r.ok ? 'delivered' : o.retryAt ? 'pending' : 'failed',
          attempts: d.attempts + 1,
          next_attempt_at: o.retryAt?.toISOString() ?? at,
          lease_owner: null,
          lease_until: null,
          last_status: r.statusCode,
          last_error: r.error,
          updated_at: at,
        })
        .where('id', '=', d.id)
        .where('lease_owner', '=', o.owner)
        .executeTakeFirst();
      if (Number(u.numUpdatedRows) === 0) return false;
      await trx
        .insertInto('delivery_attempts')
        .values({
          id: newId('att', o.now.getTime()),
          delivery_id: d.id,
          target_id: d.targetId,
          at,
          status_code: r.statusCode,
          latency_ms: Math.round(r.latencyMs),
          response_excerpt: r.excerpt,
          error: r.error,
        })
        .execute();
      return true;
    });
  }

  /** Hands back the leases this instance holds (clean shutdown). */
  async releaseAll(owner: string): Promise<void> {
    await this.db
      .updateTable('deliveries')
      .set({ lease_owner: null, lease_until: null })
      .where('lease_owner', '=', owner)
      .execute();
    await this.db
      .updateTable('event_schedule')
      .set({ lease_owner: null, lease_until: null })
      .where('lease_owner', '=', owner)
      .execute();
  }

  /** A webhook's delivery log, newest first: every attempt with its status, latency and the answer's start. */
  async log(webhookId: string, opts: { limit: number; after?: string | null }): Promise<Page<DeliveryLogEntry>> {
    const q = this.db
      .selectFrom('delivery_attempts as a')
      .innerJoin('deliveries as d', 'd.id', 'a.delivery_id')
      .innerJoin('events as e', 'e.id', 'd.event_id')
      .select([
        'a.id as id',
        'a.delivery_id',
        'd.event_id',
        'e.type',
        'a.at',
        'a.status_code',
        'a.latency_ms',
        'a.response_excerpt',
        'a.error',
        'd.state',
      ])
      .where('a.target_id', '=', webhookId);
    return paginateById(q, opts, (r) => ({
      id: r.id,
      deliveryId: r.delivery_id,
      eventId: r.event_id,
      eventType: r.type,
      at: r.at,
      statusCode: r.status_code,
      latencyMs: r.latency_ms,
      responseExcerpt: r.response_excerpt,
      error: r.error,
      state: r.state,
    }));
  }

  /**
   * Sends an event to a webhook again (same event id, so the same `webhook-id`): its delivery is due now with a new
   * retry window, or one is made if the webhook never had it. False: no such event for this organization.
   */
  async redeliver(o: { orgId: string; webhookId: string; eventId: string; now: Date }): Promise<boolean> {
    const at = o.now.toISOString();
    return atomically(this.db, async (trx) => {
      let read = trx
        .selectFrom('events')
        .select(['id', 'peering_id'])
        .where('id', '=', o.eventId)
        .where('org_id', '=', o.orgId)
        .where('audience', '=', 'org');
      // held until the delivery row is written: the maintenance purge cannot drop the event in between
      if (this.engine === 'postgres') read = read.forShare();
      const e = await read.executeTakeFirst();
      if (!e) return false;
      const reset = await trx
        .updateTable('deliveries')
        .set({ state: 'pending', attempts: 0, next_attempt_at: at, created_at: at, updated_at: at })
        .where('event_id', '=', o.eventId)
        .where('target_id', '=', o.webhookId)
        .executeTakeFirst();
      if (Number(reset.numUpdatedRows) > 0) return true;
      await trx
        .insertInto('deliveries')
        .values(newDelivery({ id: e.id, peeringId: e.peering_id }, o.orgId, 'webhook', o.webhookId, o.now))
        .execute();
      return true;
    });
  }

  /** What is still pending for a destination (tests, the console). */
  async pendingFor(targetId: string): Promise<number> {
    const r = await this.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('target_id', '=', targetId)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Fires the deadline warnings that are due (schedule.ts). */
  fireDue(o: { owner: string; now: Date; ttlMs: number; limit: number }): Promise<number> {
    return fireDueWarnings(this.db, this.engine, o);
  }
}
