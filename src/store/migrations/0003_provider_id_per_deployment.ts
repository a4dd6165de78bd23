/**
 * A connection id is unique per deployment, not globally: on some clouds it names the customer's shared network, which
 * several deployments may join (each deployment network joining at most one).
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('peerings_provider_id_live').execute();
    await db.schema
      .createIndex('peerings_provider_id_live')
      .on('peerings')
      .columns(['provider', 'provider_peering_id', 'deployment_id'])
      .unique()
      .where(sql<boolean>`status not in ('failed', 'deleted') and provider_peering_id <> ''`)
      .execute();
  },
};
