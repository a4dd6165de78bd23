/**
 * Opening the database. The only module that knows which SQL engine is underneath: SQLite (embedded default, one
 * file, WAL) today; PostgreSQL plugs in here for multi-instance mode.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';
import { migrate } from './migrations.js';

export type Engine = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  close(): Promise<void>;
}

export async function openStore(url: string, options: { migrate?: boolean } = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(url)) throw new Error('PostgreSQL storage is not available in this build yet; use a SQLite file path');
  const path = url.replace(/^sqlite:(\/\/)?/, '');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  if (options.migrate !== false) await migrate(db as Kysely<unknown>);
  return { db, engine: 'sqlite', close: () => db.destroy() };
}
