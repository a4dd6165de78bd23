/** Idempotency-Key bookkeeping: the first request under a key is recorded, repeats replay its response. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type IdempotencyLookup =
  | { state: 'new' }
  | { state: 'in-progress' }
  | { state: 'mismatch' }
  | { state: 'done'; statusCode: number; response: string };

/** How long a key holds: a claim whose request never finished (a crash), and a stored reply. */
export interface IdempotencyTtl {
  inProgressMs: number;
  replyMs: number;
}

export const defaultIdempotencyTtl: IdempotencyTtl = { inProgressMs: 60_000, replyMs: 24 * 3_600_000 };

export class IdempotencyRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttl: IdempotencyTtl = defaultIdempotencyTtl,
  ) {}

  /**
   * Claims the key for this request, or says what happened to the earlier one. A claim older than the in-progress
   * timeout (its request died with its instance) and a reply older than the reply's lifetime no longer hold: the key
   * is claimed afresh.
   */
  async begin(scope: string, key: string, requestHash: string, now: Date): Promise<IdempotencyLookup> {
    const inserted = await this.db
      .insertInto('idempotency_keys')
      .values({
        scope,
        key,
        request_hash: requestHash,
        status_code: null,
        response: null,
        created_at: now.toISOString(),
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return { state: 'new' };
    const row = await this.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) return this.begin(scope, key, requestHash, now);
    const done = row.status_code !== null && row.response !== null;
    const age = now.getTime() - Date.parse(row.created_at);
    if (age >= (done ? this.ttl.replyMs : this.ttl.inProgressMs)) {
      // stale: take the key over, unless another request took it over first
      const taken = await this.db
        .updateTable('idempotency_keys')
        .set({ request_hash: requestHash, status_code: null, response: null, created_at: now.toISOString() })
        .where('scope', '=', scope)
        .where('key', '=', key)
        .where('created_at', '=', row.created_at)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) > 0) return { state: 'new' };
      return this.begin(scope, key, requestHash, now);
    }
    if (row.request_hash !== requestHash) return { state: 'mismatch' };
    if (row.status_code === null || row.response === null) return { state: 'in-progress' };
    return { state: 'done', statusCode: row.status_code, response: row.response };
  }

  /** Drops keys whose reply has outlived its lifetime (and claims long dead); how many. */
  async purge(now: Date): Promise<number> {
    const before = new Date(now.getTime() - Math.max(this.ttl.replyMs, this.ttl.inProgressMs)).toISOString();
    const r = await this.db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async finish(scope: string, key: string, statusCode: number, response: string): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({ status_code: statusCode, response })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .execute();
  }

  /** A failed attempt (5xx) frees the key so the client can retry. */
  async abandon(scope: string, key: string): Promise<void> {
    await this.db
      .deleteFrom('idempotency_keys')
      .where('scope', '=', scope)
      .where('key', '=', key)
      .where('status_code', 'is', null)
      .execute();
  }
}
