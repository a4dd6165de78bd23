/**
 * Platform credentials as each cloud defines them (a JSON object its descriptor's schema validates), instead of an
 * access-key pair every cloud had to fit: existing pairs are carried over as `{accessKeyId, secretAccessKey}`.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('platform_accounts').addColumn('credentials', 'text').execute();
    const rows = await sql<{ id: string; access_key_id: string; secret_access_key: string }>`
      select id, access_key_id, secret_access_key from platform_accounts`.execute(db);
    for (const r of rows.rows) {
      const credentials = JSON.stringify({ accessKeyId: r.access_key_id, secretAccessKey: r.secret_access_key });
      await sql`update platform_accounts set credentials = ${credentials} where id = ${r.id}`.execute(db);
    }
    await db.schema.alterTable('platform_accounts').dropColumn('access_key_id').execute();
    await db.schema.alterTable('platform_accounts').dropColumn('secret_access_key').execute();
  },
};
