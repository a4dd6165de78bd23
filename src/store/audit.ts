/** The audit log: every mutation, who made it, on what, from where, and what came of it. Never a secret. */
import type { Kysely, Selectable } from 'kysely';
import { newId } from './ids.js';
import { paginateById, type Page } from './pagination.js';
import type { AuditTable, Database } from './schema.js';

export interface AuditEntry {
  id: string;
  at: string;
  orgId: string | null;
  actor: string;
  role: string | null;
  action: string;
  target: string | null;
  outcome: number;
  code: string | null;
  ip: string;
  requestId: string;
}

function entry(r: Selectable<AuditTable>): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    orgId: r.org_id,
    actor: r.actor,
    role: r.role,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    code: r.code,
    ip: r.ip,
    requestId: r.request_id,
  };
}

export class AuditRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async record(e: Omit<AuditEntry, 'id' | 'at'>, now: Date): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        id: newId('aud', now.getTime()),
        at: now.toISOString(),
        org_id: e.orgId,
        actor: e.actor,
        role: e.role,
        action: e.action,
        target: e.target,
        outcome: e.outcome,
        code: e.code,
        ip: e.ip,
        request_id: e.requestId,
      })
      .execute();
  }

  /** An organization's entries (`orgId`), or everyone's (null: the operator), oldest first, a page at a time. */
  async list(orgId: string | null, opts: { limit: number; after?: string | null }): Promise<Page<AuditEntry>> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (orgId !== null) q = q.where('org_id', '=', orgId);
    return paginateById(q, opts, entry);
  }

  /** Drops entries older than the retention period; how many. */
  async purge(before: Date): Promise<number> {
    const r = await this.db.deleteFrom('audit_log').where('at', '<', before.toISOString()).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
