/**
 * The reconciler's work queue, kept in the peerings table (graphile-worker's layout: each queue operation on its own,
 * beside the loop that uses it). A step claims a peering's lease, records the side effect it is about to make, records
 * what happened, and releases the lease with the next attempt. Every write is fenced by the lease, so an instance that
 * lost its lease cannot act or record. PostgreSQL claims with SKIP LOCKED; SQLite runs one writer.
 */
import type { Kysely } from 'kysely';
import type { Refusal } from '../core/errors.js';
import { canTransition, type PeeringStatus } from '../core/status.js';
import { atomically, type Engine } from './db.js';
import { claimable, claimOne, leaseOf, releaseIn, type Release, type ReleaseOf } from './lease-statements.js';
import { insertEvent } from './peering-events.js';
import { recordPeeringChange } from './outbox.js';
import { peeringOf, reasonColumns, rethrowTaken, type Peering } from './peerings.js';
import type { Database } from './schema.js';

export type { Release } from './lease-statements.js';

export class PeeringLeases {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine = 'sqlite',
  ) {}

  /**
   * Takes the lease on one peering if free (or expired, or already ours). `takeover`: it was another instance's
   * expired lease (that instance died or stalled mid-step).
   */
  async claim(o: {
    id: string;
    owner: string;
    now: Date;
    ttlMs: number;
  }): Promise<(Peering & { takeover: boolean; version: number }) | undefined> {
    const at = o.now.toISOString();
    const before = await leaseOf.first(this.db, { id: o.id });
    const until = new Date(o.now.getTime() + o.ttlMs).toISOString();
    const r = await claimOne.first(this.db, { id: o.id, owner: o.owner, until, at });
    if (!r) return undefined;
    const takeover = !!before?.lease_owner && before.lease_owner !== o.owner && (before.lease_until ?? '') < at;
    return { ...peeringOf(r), takeover, version: r.version };
  }

  /** Claims up to `limit` peerings whose next attempt is due, skipping rows another instance is claiming. */
  async claimDue(o: { owner: string; now: Date; ttlMs: number; limit: number }): Promise<string[]> {
    const at = o.now.toISOString();
    let due = this.db
      .selectFrom('peerings')
      .select('id')
      .where('next_attempt_at', '<=', at)
      .where('status', 'in', claimable)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
      .orderBy('next_attempt_at')
      .limit(o.limit);
    if (this.engine === 'postgres') due = due.forUpdate().skipLocked();
    const rows = await this.db
      .updateTable('peerings')
      .set({ lease_owner: o.owner, lease_until: new Date(o.now.getTime() + o.ttlMs).toISOString() })
      .where('id', 'in', due)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** On a clean shutdown: hand back every lease this instance holds, so others need not wait for expiry. */
  async releaseAll(owner: string): Promise<number> {
    const r = await this.db
      .updateTable('peerings')
      .set({ lease_owner: null, lease_until: null })
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Hands the peering back with its next attempt (releaseIn). */
  async release(o: ReleaseOf): Promise<void> {
    await releaseIn(this.db, o);
  }

  /**
   * Records the side effect about to be made, before making it — and fences it: only while this instance still holds
   * the lease, which it renews for `ttlMs`. False: the lease was lost (another instance owns the peering now), so the
   * caller must not act.
   */
  async recordIntent(o: {
    peering: Peering;
    owner: string;
    intent: string;
    note: string;
    now: Date;
    ttlMs: number;
  }): Promise<boolean> {
    return atomically(this.db, async (trx) => {
      const r = await trx
        .updateTable('peerings')
        .set({
          intent: o.intent,
          updated_at: o.now.toISOString(),
          lease_until: new Date(o.now.getTime() + o.ttlMs).toISOString(),
        })
        .where('id', '=', o.peering.id)
        .where('lease_owner', '=', o.owner)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await insertEvent(trx, o.peering, { actor: 'reconciler', kind: 'intent', note: `${o.intent}: ${o.note}` }, o.now);
      return true;
    });
  }

  /**
   * What came of the intent (or of a failed step): the intent is cleared and the outcome is an event. `accepted`: the
   * outcome is the platform's accept, remembered so it is not repeated while the cloud applies it.
   */
  async recordOutcome(o: {
    peering: Peering;
    owner: string;
    kind: string;
    note: string;
    reason?: Refusal | null;
    now: Date;
    accepted?: boolean;
    /** the step ends here: the lease is handed back with this next attempt, in the same transaction */
    release?: Release;
  }): Promise<void> {
    await atomically(this.db, async (trx) => {
      await trx
        .updateTable('peerings')
        .set({
          intent: null,
          updated_at: o.now.toISOString(),
          ...(o.accepted ? { accepted_at: o.now.toISOString() } : {}),
        })
        .where('id', '=', o.peering.id)
        .where('lease_owner', '=', o.owner)
        .execute();
      await insertEvent(
        trx,
        o.peering,
        { actor: 'reconciler', kind: o.kind, reason: o.reason ?? null, note: o.note },
        o.now,
      );
      if (o.release) {
        const { id, status } = o.peering;
        await releaseIn(trx, { id, owner: o.owner, seenStatus: status, now: o.now, next: o.release });
      }
    });
  }

  /** A status change the reconciler decided; false when the status moved or the lease was lost meanwhile. */
  async transition(o: {
    peering: Peering;
    owner: string;
    to: PeeringStatus;
    reason: Refusal | null;
    note: string;
    now: Date;
    cidrs?: string[];
    providerStatus?: string | null;
    /** the step ends here: the lease is handed back with this next attempt, in the same transaction (if it moved) */
    release?: Release;
  }): Promise<boolean> {
    const p = o.peering;
    if (!canTransition(p.status, o.to)) throw new Error(`illegal transition ${p.status} -> ${o.to} for ${p.id}`);
    return atomically(this.db, async (trx) => {
      const r = await trx
        .updateTable('peerings')
        .set({
          status: o.to,
          ...reasonColumns(o.reason),
          intent: null,
          updated_at: o.now.toISOString(),
          ...(o.cidrs ? { customer_cidrs: JSON.stringify(o.cidrs) } : {}),
          ...(o.providerStatus !== undefined ? { provider_status: o.providerStatus } : {}),
        })
        .where('id', '=', p.id)
        .where('status', '=', p.status)
        .where('lease_owner', '=', o.owner)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      const event = {
        actor: 'reconciler',
        kind: 'transition',
        from: p.status,
        to: o.to,
        reason: o.reason,
        note: o.note,
      };
      await insertEvent(trx, p, event, o.now);
      const after = { ...p, status: o.to, reason: o.reason, customerCidrs: o.cidrs ?? p.customerCidrs };
      await recordPeeringChange(trx, after, event, o.now);
      if (o.release) await releaseIn(trx, { id: p.id, owner: o.owner, seenStatus: o.to, now: o.now, next: o.release });
      return true;
    });
  }

  /**
   * The connection a peering that was looking for it turned out to be. Fenced by the lease; a connection another live
   * peering already holds is refused by the unique index (ConnectionIdTaken). Null: the peering moved meanwhile.
   */
  async bindConnection(o: {
    peering: Peering;
    owner: string;
    providerId: string;
    customerAccountId: string;
    now: Date;
  }): Promise<Peering | null> {
    const p = o.peering;
    return atomically(this.db, async (trx) => {
      try {
        const r = await trx
          .updateTable('peerings')
          .set({
            provider_peering_id: o.providerId,
            customer_account_id: o.customerAccountId,
            reason_code: null,
            reason_params: null,
            updated_at: o.now.toISOString(),
          })
          .where('id', '=', p.id)
          .where('provider_peering_id', '=', '')
          .where('lease_owner', '=', o.owner)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return null;
      } catch (err) {
        rethrowTaken(err, o.providerId);
      }
      const note = `found ${o.providerId} from VPC ${p.customerVpcId} (customer account ${o.customerAccountId})`;
      await insertEvent(trx, p, { actor: 'reconciler', kind: 'located', note }, o.now);
      return { ...p, providerPeeringId: o.providerId, customerAccountId: o.customerAccountId, reason: null };
    });
  }
}
