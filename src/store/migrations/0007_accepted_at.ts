/**
 * When the platform accepted a peering's connection: a cloud whose accept takes effect asynchronously still shows the
 * request as awaiting acceptance for a while, and must not be asked to accept it twice.
 */
import type { Kysely, Migration } from 'kysely';

export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('peerings').addColumn('accepted_at', 'text').execute();
  },
};
