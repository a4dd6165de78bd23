/**
 * What fast reads and a flat sweep need: a version on every peering, counted up by every UPDATE of the row (the
 * `peeringVersions` plugin in schema.ts), so a reader that remembers a peering's presentation checks it is current
 * with one narrow query; and the deployments of a platform account in id order (the sweep pages through them).
 */
import type { Kysely, Migration } from 'kysely';

export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('peerings')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('deployments_account')
      .on('deployments')
      .columns(['platform_account_id', 'id'])
      .execute();
  },
};
