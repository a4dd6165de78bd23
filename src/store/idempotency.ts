/** Idempotency-Key bookkeeping: the first request under a key is recorded, repeats replay its response. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type IdempotencyLookup =
  | { state: 'new' }
  | { state: 'in-progress' }
  | { state: 'mismatch' }
  | { state: 'done'; statusCode: number; response: string };

export class IdempotencyRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Claims the key for this request, or says what happened to the earlier one. */
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
    if (row.request_hash !== requestHash) return { state: 'mismatch' };
    if (row.status_code === null || row.response === null) return { state: 'in-progress' };
    return { state: 'done', statusCode: row.status_code, response: row.response };
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
