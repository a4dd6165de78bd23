/** Keyset pagination over (created_at, id): stable under inserts, an opaque cursor for the client. */
import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [string, string] | null {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string') ? (v as [string, string]) : null;
  } catch {
    return null;
  }
}

interface Keyed {
  created_at: string;
  id: string;
}

/** Runs a query one page at a time after `cursor`, mapping rows with `map`. */
export async function paginate<DB, TB extends keyof DB, Row extends Keyed, T extends { createdAt: string; id: string }>(
  query: SelectQueryBuilder<DB, TB, Row>,
  opts: { limit: number; cursor?: [string, string] | null },
  map: (row: Row) => T,
): Promise<Page<T>> {
  let q = query;
  if (opts.cursor) {
    const [c, id] = opts.cursor;
    q = q.where((eb: ExpressionBuilder<DB, TB>) => {
      const e = eb as unknown as ExpressionBuilder<Record<string, Keyed>, string>;
      return e.or([e('created_at', '>', c), e.and([e('created_at', '=', c), e('id', '>', id)])]) as never;
    });
  }
  const rows = await (q as unknown as SelectQueryBuilder<Record<string, Keyed>, string, Row>)
    .orderBy('created_at')
    .orderBy('id')
    .limit(opts.limit + 1)
    .execute();
  const items = rows.slice(0, opts.limit).map(map);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > opts.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}
