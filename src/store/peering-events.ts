/** The history of every peering: who, when, why — one event per step, written with the change it records. */
import type { Kysely } from 'kysely';
import type { Refusal } from '../core/errors.js';
import type { PeeringStatus } from '../core/status.js';
import { newId } from './ids.js';
import { paginateById, type Page } from './pagination.js';
import { Prepared } from './prepared.js';
import type { Database, PeeringEventTable } from './schema.js';

export interface PeeringEvent {
  id: string;
  peeringId: string;
  at: string;
  actor: string;
  kind: string;
  fromStatus: PeeringStatus | null;
  toStatus: PeeringStatus | null;
  reason: Refusal | null;
  note: string;
}

export interface EventInput {
  actor: string;
  kind: string;
  from?: PeeringStatus | null;
  to?: PeeringStatus | null;
  reason?: Refusal | null;
  note: string;
}

/** the row as written: its JSON column as text */
type EventRow = Omit<PeeringEventTable, 'params'> & { params: string | null };

// written with every step (compiled once: prepared.ts)
const insertOne = new Prepared((db, v: EventRow) => db.insertInto('peering_events').values(v));

export async function insertEvent(
  db: Kysely<Database>,
  p: { id: string; orgId: string },
  e: EventInput,
  now: Date,
): Promise<void> {
  await insertOne.run(db, {
    id: newId('evt', now.getTime()),
    peering_id: p.id,
    org_id: p.orgId,
    at: now.toISOString(),
    actor: e.actor,
    kind: e.kind,
    from_status: e.from ?? null,
    to_status: e.to ?? null,
    code: e.reason?.code ?? null,
    params: e.reason ? JSON.stringify(e.reason.params) : null,
    note: e.note,
  });
}

/** A peering's history, oldest first, a page at a time. */
export async function eventsOf(
  db: Kysely<Database>,
  orgId: string,
  id: string,
  opts: { limit: number; after?: string | null },
): Promise<Page<PeeringEvent>> {
  const q = db.selectFrom('peering_events').selectAll().where('org_id', '=', orgId).where('peering_id', '=', id);
  return paginateById(q, opts, (r) => ({
    id: r.id,
    peeringId: r.peering_id,
    at: r.at,
    actor: r.actor,
    kind: r.kind,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    reason: r.code ? { code: r.code, params: r.params ?? {} } : null,
    note: r.note,
  }));
}

/** When a kind of event was last recorded for a peering (a customer's resync is coalesced by it). */
export async function lastEventAt(db: Kysely<Database>, peeringId: string, kind: string): Promise<string | null> {
  const r = await db
    .selectFrom('peering_events')
    .select('at')
    .where('peering_id', '=', peeringId)
    .where('kind', '=', kind)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.at ?? null;
}
