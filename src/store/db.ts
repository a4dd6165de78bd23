/**
 * Opening the database — the only module that knows which SQL engine is underneath: SQLite (embedded default, one
 * file, WAL) or PostgreSQL (a `postgres://` URL; several Peerlink instances share it). Callers get a Kysely
 * instance and the few engine-specific operations below, nothing else.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import { jsonColumns, peeringVersions, type Database } from './schema.js';
import { migrate, pendingMigrations } from './migrations/index.js';
import type { SecretBox } from './secrets.js';

export type Engine = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  /** Tells every instance sharing the database that something wants attention now (PostgreSQL NOTIFY). */
  notify(payload: string): Promise<void>;
  /** Calls `onMessage` for every notification, its own included; returns a stop function. */
  listen(onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  /** Migrations not yet applied (readiness). */
  pending(): Promise<string[]>;
  close(): Promise<void>;
  /** the keys platform secrets are encrypted with; null: this process may not read or store them */
  secrets: SecretBox | null;
  /** how many Peerlink instances share this database now (1 for SQLite) */
  instances(): Promise<number>;
}

const CHANNEL = 'peerlink_kick';

function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** Runs `fn` in a transaction — the caller's, if `db` already is one, so repositories compose into larger ones. */
export function atomically<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

export function isUniqueViolation(err: unknown): boolean {
  const e: { code?: unknown; message?: unknown } = typeof err === 'object' && err !== null ? err : {};
  return (
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e.code === '23505' ||
    (typeof e.message === 'string' && e.message.includes('UNIQUE constraint failed'))
  );
}

/**
 * Kysely's SQLite driver prepares every query anew; preparing was 6–7 % of a read's time in the profile. The app's
 * queries are a few hundred distinct texts, so each is prepared once and kept (least recently used beyond `max`).
 * Safe because better-sqlite3 runs a statement to completion synchronously; nothing here streams (`iterate`).
 */
export function withStatementCache(sqlite: SQLite.Database, max = 1_000): SqliteDatabase {
  const statements = new LRUCache<string, SQLite.Statement>({ max });
  return {
    close: () => {
      statements.clear();
      sqlite.close();
    },
    prepare: (text: string) => {
      let statement = statements.get(text);
      if (!statement) statements.set(text, (statement = sqlite.prepare(text)));
      return statement;
    },
  };
}

export async function openStore(
  url: string,
  options: {
    migrate?: boolean;
    poolSize?: number;
    onConnectionError?: (err: Error) => void;
    secrets?: SecretBox | null;
    /** this instance's name: its PostgreSQL sessions carry it, so instances can count each other */
    instance?: string;
  } = {},
): Promise<Store> {
  let store: Store;
  if (isPostgresUrl(url)) {
    // loaded only in PostgreSQL mode: an embedded instance never pays for the driver
    const { default: pg } = await import('pg');
    const application_name = `peerlink:${(options.instance ?? 'tool').slice(0, 50)}`;
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, application_name });
    // An idle connection the server drops (restart, failover, admin termination) is discarded by the pool and
    // replaced on next use; unhandled, the pool's 'error' event would crash the process.
    pool.on('error', (err) => options.onConnectionError?.(err));
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      plugins: [jsonColumns, peeringVersions],
    });
    store = {
      db,
      engine: 'postgres',
      notify: async (payload) => {
        await sql`select pg_notify(${CHANNEL}, ${payload})`.execute(db);
      },
      listen: async (onMessage) => {
        const client = new pg.Client({ connectionString: url, application_name });
        await client.connect();
        client.on('notification', (n) => n.payload && onMessage(n.payload));
        client.on('error', () => undefined); // a dropped listener only loses kicks; the due pass and sweep cover them
        await client.query(`LISTEN ${CHANNEL}`);
        return async () => {
          await client.end().catch(() => undefined);
        };
      },
      pending: () => pendingMigrations(db),
      close: () => db.destroy(),
      secrets: options.secrets ?? null,
      // the Peerlink instances connected to this database now (a dead one's sessions close with it)
      instances: async () => {
        const r = await sql<{ n: number }>`select count(distinct application_name)::int as n from pg_stat_activity
          where datname = current_database() and application_name like 'peerlink:%'
          and application_name <> 'peerlink:tool'`.execute(db);
        return Math.max(1, r.rows[0]?.n ?? 1);
      },
    };
  } else {
    const path = url.replace(/^sqlite:(\/\/)?/, '');
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new SQLite(path);
    // the database holds the organizations' key hashes and the (encrypted) platform secrets: its owner's only
    if (path !== ':memory:') chmodSync(path, 0o600);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
      plugins: [jsonColumns, peeringVersions],
    });
    // Embedded mode is one process: the in-process kick already reaches the only reconciler.
    store = {
      db,
      engine: 'sqlite',
      notify: async () => undefined,
      listen: async () => async () => undefined,
      pending: () => pendingMigrations(db),
      close: () => db.destroy(),
      secrets: options.secrets ?? null,
      instances: () => Promise.resolve(1),
    };
  }
  if (options.migrate !== false) await migrate(store.db);
  return store;
}
