/**
 * Request counters every instance sharing the database sees: fixed windows, one row per key and window, so a rate
 * limit holds across instances (PostgreSQL mode). Old windows are purged by the maintenance pass.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface WindowCount {
  hits: number;
  /** ms until the window ends */
  ttlMs: number;
}

export class RateCounterRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Counts one hit for `key` in the current window of `windowMs`. */
  async hit(key: string, windowMs: number, nowMs: number): Promise<WindowCount> {
    const start = Math.floor(nowMs / windowMs) * windowMs;
    const r = await this.db
      .insertInto('rate_limits')
      .values({ key, window_start: start, hits: 1 })
      .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql<number>`rate_limits.hits + 1` }))
      .returning('hits')
      .executeTakeFirstOrThrow();
    return { hits: Number(r.hits), ttlMs: start + windowMs - nowMs };
  }

  /** The current window's count, without counting. */
  async read(key: string, windowMs: number, nowMs: number): Promise<WindowCount> {
    const start = Math.floor(nowMs / windowMs) * windowMs;
    const r = await this.db
      .selectFrom('rate_limits')
      .select('hits')
      .where('key', '=', key)
      .where('window_start', '=', start)
      .executeTakeFirst();
    return { hits: Number(r?.hits ?? 0), ttlMs: start + windowMs - nowMs };
  }

  /** Drops windows that ended before `beforeMs`. */
  async purge(beforeMs: number): Promise<number> {
    const r = await this.db.deleteFrom('rate_limits').where('window_start', '<', beforeMs).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
