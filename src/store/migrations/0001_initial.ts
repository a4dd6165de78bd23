/**
 * The first schema: organizations and keys, platform accounts, deployments, peerings and their history, resources,
 * idempotency keys.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('orgs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema
      .createTable('platform_accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('endpoint', 'text')
      .addColumn('access_key_id', 'text', (c) => c.notNull())
      .addColumn('secret_access_key', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('platform_accounts_provider_region_account', ['provider', 'region', 'account_id'])
      .execute();
    await db.schema
      .createTable('deployments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('plan', 'text', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('vpc_id', 'text', (c) => c.notNull())
      .addColumn('vpc_cidr', 'text', (c) => c.notNull())
      .addColumn('platform_account_id', 'text', (c) => c.notNull().references('platform_accounts.id'))
      .addColumn('route_table_ids', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('peerings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
      .addColumn('deployment_id', 'text', (c) => c.notNull().references('deployments.id'))
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('provider_peering_id', 'text', (c) => c.notNull())
      .addColumn('customer_account_id', 'text', (c) => c.notNull())
      .addColumn('customer_vpc_id', 'text', (c) => c.notNull())
      .addColumn('customer_cidrs', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason_code', 'text')
      .addColumn('reason_params', 'text')
      .addColumn('provider_status', 'text')
      .addColumn('intent', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // A provider id is registered once among the peerings that still hold it (not failed, not deleted).
    await db.schema
      .createIndex('peerings_provider_id_live')
      .on('peerings')
      .columns(['provider', 'provider_peering_id'])
      .unique()
      .where(sql.ref('status'), 'not in', sql`('failed', 'deleted')`)
      .execute();
    await db.schema
      .createIndex('peerings_org_created')
      .on('peerings')
      .columns(['org_id', 'created_at', 'id'])
      .execute();
    await db.schema.createIndex('peerings_deployment').on('peerings').columns(['deployment_id', 'status']).execute();
    await db.schema.createIndex('peerings_due').on('peerings').columns(['next_attempt_at']).execute();
    await db.schema
      .createTable('peering_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('peering_id', 'text', (c) => c.notNull().references('peerings.id'))
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text')
      .addColumn('code', 'text')
      .addColumn('params', 'text')
      .addColumn('note', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('peering_events_peering').on('peering_events').columns(['peering_id', 'id']).execute();
    await db.schema
      .createTable('resources')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id'))
      .addColumn('deployment_id', 'text', (c) => c.notNull().references('deployments.id'))
      .addColumn('peering_id', 'text', (c) => c.notNull().references('peerings.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('resources_peering').on('resources').columns(['peering_id']).execute();
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('response', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
      .execute();
  },
};
