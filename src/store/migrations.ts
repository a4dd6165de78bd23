/** Schema migrations, written with Kysely's schema builder only, so they run on SQLite and PostgreSQL alike. */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const migrations: Record<string, Migration> = {
  '0001_initial': {
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
      await db.schema
        .createIndex('peering_events_peering')
        .on('peering_events')
        .columns(['peering_id', 'id'])
        .execute();
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
  },
  // Clouds where the customer names its VPC, not the connection (Alibaba), and clouds where the customer must approve
  // within a window (Tencent): the connection id is '' until found, and the customer's part has a deadline.
  '0002_locate_and_deadline': {
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
  },
  // A connection id is unique per deployment, not globally: on Tencent it is the customer's CCN, which several
  // deployments may join (each deployment VPC joins at most one CCN).
  '0003_provider_id_per_deployment': {
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
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function pendingMigrations(db: Kysely<unknown>): Promise<string[]> {
  const all = await new Migrator({ db, provider }).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}

export async function migrate(db: Kysely<unknown>): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
