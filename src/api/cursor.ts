/** The `cursor` query parameter: opaque to clients, refused with a clear error when it is not one we issued. */
import { RefusalError, refusal } from '../core/errors.js';
import { decodeCursor, decodeIdCursor } from '../store/pagination.js';

export function cursorOf(cursor: string | undefined): [string, string] | null {
  if (!cursor) return null;
  const c = decodeCursor(cursor);
  if (!c) throw new RefusalError(refusal('VALIDATION_FAILED', { detail: 'cursor is not one this API returned' }));
  return c;
}

/** The `cursor` of an append-only list (a history, the audit log). */
export function idCursorOf(cursor: string | undefined): string | null {
  if (!cursor) return null;
  const id = decodeIdCursor(cursor);
  if (!id) throw new RefusalError(refusal('VALIDATION_FAILED', { detail: 'cursor is not one this API returned' }));
  return id;
}
