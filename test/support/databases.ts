/**
 * A fresh database for one test: a SQLite file by default; with PEERLINK_TEST_PG set (the second pass of
 * `npm test`), a PostgreSQL database created for the test and dropped after it.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  engine: 'sqlite' | 'postgres';
  drop(): Promise<void>;
}

export async function freshDatabase(dir: string, name = 'peerlink.db'): Promise<TestDatabase> {
  const base = process.env.PEERLINK_TEST_PG;
  if (!base) return { url: join(dir, name), engine: 'sqlite', drop: async () => undefined };
  const db = `peerlink_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  return {
    url: `${base}/${db}`,
    engine: 'postgres',
    async drop() {
      const c = new pg.Client({ connectionString: `${base}/postgres` });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await c.end();
    },
  };
}
