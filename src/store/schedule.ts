/**
 * Deadlines are scheduled, not polled for (issue 16): when an event asks the customer to act by a deadline, its warning
 * is written to `event_schedule` in the same transaction; here due warnings are claimed with a lease (PostgreSQL skips
 * rows another instance holds) and each becomes an event in the transaction that removes it from the schedule.
 */
import type { Kysely } from 'kysely';
import { deadlineWarning } from '../core/notifications.js';
import { atomically, type Engine } from './db.js';
import { insertOutboxEvent, withPeering } from './outbox.js';
import { peeringOf } from './peerings.js';
import type { Database } from './schema.js';

/**
 * Fires the deadline warnings that are due: each becomes an event (if the peering still waits on that deadline) in
 * the transaction that removes it from the schedule. Returns how many events were written.
 */
export async function fireDueWarnings(
  db: Kysely<Database>,
  engine: Engine,
  o: { owner: string; now: Date; ttlMs: number; limit: number },
): Promise<number> {
  const at = o.now.toISOString();
  let due = db
    .selectFrom('event_schedule')
    .select('id')
    .where('due_at', '<=', at)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
    .orderBy('due_at')
    .limit(o.limit);
  if (engine === 'postgres') due = due.forUpdate().skipLocked();
  const claimed = await db
    .updateTable('event_schedule')
    .set({ lease_owner: o.owner, lease_until: new Date(o.now.getTime() + o.ttlMs).toISOString() })
    .where('id', 'in', due)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
    .returningAll()
    .execute();
  let fired = 0;
  for (const s of claimed) {
    fired += await atomically(db, async (trx) => {
      const gone = await trx
        .deleteFrom('event_schedule')
        .where('id', '=', s.id)
        .where('lease_owner', '=', o.owner)
        .executeTakeFirst();
      if (Number(gone.numDeletedRows) === 0) return 0;
      const row = await trx.selectFrom('peerings').selectAll().where('id', '=', s.peering_id).executeTakeFirst();
      if (!row) return 0;
      const p = peeringOf(row);
      const warning = deadlineWarning(p, s.deadline_at, o.now);
      if (!warning) return 0;
      const scope = { orgId: p.orgId, deploymentId: p.deploymentId, peeringId: p.id };
      await insertOutboxEvent(trx, scope, withPeering(warning, p), o.now);
      return 1;
    });
  }
  return fired;
}
