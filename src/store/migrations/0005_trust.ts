/**
 * What the trust work needs: API keys that expire, an audit log of every mutation, and request counters that every
 * instance sharing the database sees (rate limits that hold across instances).
 */
import type { Kysely, Migration } from 'kysely';

export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('api_keys').addColumn('expires_at', 'text').execute();
    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('org_id', 'text')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('role', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text')
      .addColumn('outcome', 'integer', (c) => c.notNull())
      .addColumn('code', 'text')
      .addColumn('ip', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_org').on('audit_log').columns(['org_id', 'id']).execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at']).execute();
    await db.schema
      .createTable('rate_limits')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('hits', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('rate_limits_pk', ['key', 'window_start'])
      .execute();
  },
};
