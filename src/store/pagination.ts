/** Keyset pagination over (created_at, id): stable under inserts, an opaque cursor for the client. */
import { sql, type SelectQueryBuilder } from 'kysely';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

function isKey(v: unknown): v is [string, string] {
  return Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string');
}

export function decodeCursor(cursor: string): [string, string] | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return isKey(v) ? v : null;
  } catch {
    return null;
  }
}

/** The rows after (createdAt, id) in keyset order. */
export function afterKey(createdAt: string, id: string) {
  return sql<boolean>`(created_at > ${createdAt} or (created_at = ${createdAt} and id > ${id}))`;
}

/** Runs a query over a table keyed by (created_at, id) one page at a time after `cursor`, mapping rows with `map`. */
export async function paginate<DB, TB extends keyof DB, Row, T extends { createdAt: string; id: string }>(
  query: SelectQueryBuilder<DB, TB, Row>,
  opts: { limit: number; cursor?: [string, string] | null },
  map: (row: Row) => T,
): Promise<Page<T>> {
  let q = query;
  if (opts.cursor) q = q.where(afterKey(...opts.cursor));
  const rows = await q
    .orderBy(sql`created_at`)
    .orderBy(sql`id`)
    .limit(opts.limit + 1)
    .execute();
  return pageOf(rows, opts.limit, map);
}

/** The page in `limit + 1` rows ordered by (created_at, id): the first `limit`, and a cursor if there are more. */
export function pageOf<Row, T extends { createdAt: string; id: string }>(
  rows: Row[],
  limit: number,
  map: (row: Row) => T,
): Page<T> {
  const items = rows.slice(0, limit).map(map);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

/**
 * One page of rows ordered by their id, after `after` (ids are time-ordered, so this is oldest first): for
 * append-only tables (histories, the audit log). The cursor is the last id, opaque to the client.
 */
export async function paginateById<DB, TB extends keyof DB, Row extends { id: string }, T>(
  query: SelectQueryBuilder<DB, TB, Row>,
  opts: { limit: number; after?: string | null },
  map: (row: Row) => T,
): Promise<Page<T>> {
  let q = query;
  if (opts.after) q = q.where(sql<boolean>`id > ${opts.after}`);
  const rows = await q
    .orderBy(sql`id`)
    .limit(opts.limit + 1)
    .execute();
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > opts.limit && last ? Buffer.from(last.id).toString('base64url') : null;
  return { items: page.map(map), nextCursor };
}

/** The id a `paginateById` cursor names; null for anything else. */
export function decodeIdCursor(cursor: string): string | null {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return /^[a-z]+_[0-9a-z]+$/.test(id) ? id : null;
}
