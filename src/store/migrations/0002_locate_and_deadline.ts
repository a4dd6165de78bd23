/**
 * Clouds where the customer names its network rather than the connection, and clouds where the customer must approve
 * within a window: the connection id is '' until found, and the customer's part has a deadline.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('peerings').addColumn('deadline_at', 'text').execute();
    await db.schema.dropIndex('peerings_provider_id_live').execute();
    await db.schema
      .createIndex('peerings_provider_id_live')
      .on('peerings')
      .columns(['provider', 'provider_peering_id'])
      .unique()
      .where(sql<boolean>`status not in ('failed', 'deleted') and provider_peering_id <> ''`)
      .execute();
  },
};
