/**
 * Whether another organization's live peering holds a connection id (checked at every submit) is asked by provider and
 * connection id alone. The unique index on live connection ids is partial (its condition names the statuses), and
 * neither SQLite nor PostgreSQL can prove a parameterized query falls inside it, so that question scanned every
 * peering: 315 µs a submit at 2,000 peerings, growing with the table (bench --only=converge, docs/PERFORMANCE.md).
 */
import type { Kysely, Migration } from 'kysely';

export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('peerings_connection')
      .on('peerings')
      .columns(['provider', 'provider_peering_id'])
      .execute();
  },
};
