/** Organizations and their API keys. Only a SHA-256 of each key's secret is stored; the secret is shown once. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { ApiKeyTable, Database, Role } from './schema.js';
import { newId } from './ids.js';

export type { Role };
export interface Org {
  id: string;
  name: string;
  createdAt: string;
}
export interface ApiKeyInfo {
  id: string;
  orgId: string;
  name: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  /** null: never expires */
  expiresAt: string | null;
  /** null: not revoked */
  revokedAt: string | null;
}

/** How often a key's last use is written (not on every request). */
const lastUsedResolutionMs = 60_000;

function keyInfo(r: Selectable<ApiKeyTable>): ApiKeyInfo {
  return {
    id: r.id,
    orgId: r.org_id,
    name: r.name,
    role: r.role,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  };
}

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

export class OrgRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(name: string, now: Date): Promise<Org> {
    const org = { id: newId('org', now.getTime()), name, created_at: now.toISOString() };
    await this.db.insertInto('orgs').values(org).execute();
    return { id: org.id, name, createdAt: org.created_at };
  }

  async get(id: string): Promise<Org | undefined> {
    const r = await this.db.selectFrom('orgs').selectAll().where('id', '=', id).executeTakeFirst();
    return r && { id: r.id, name: r.name, createdAt: r.created_at };
  }

  async list(): Promise<Org[]> {
    const rows = await this.db.selectFrom('orgs').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }));
  }

  /** Issues a key `plk_<id>.<secret>`; the full key is returned here and never again. */
  async issueKey(
    orgId: string,
    name: string,
    role: Role,
    now: Date,
    expiresAt: string | null = null,
  ): Promise<{ key: string; info: ApiKeyInfo }> {
    const id = newId('key', now.getTime());
    const secret = randomBytes(24).toString('base64url');
    const row = {
      id,
      org_id: orgId,
      name,
      role,
      secret_hash: hash(secret),
      created_at: now.toISOString(),
      last_used_at: null,
      revoked_at: null,
      expires_at: expiresAt,
    };
    await this.db.insertInto('api_keys').values(row).execute();
    return { key: `plk_${id}.${secret}`, info: keyInfo(row) };
  }

  /** The key a presented secret belongs to, if it is valid now (not revoked, not expired); its use is recorded. */
  async authenticate(key: string, now: Date): Promise<ApiKeyInfo | undefined> {
    const m = /^plk_(key_[0-9a-z]+)\.([A-Za-z0-9_-]{16,})$/.exec(key);
    if (!m?.[1] || !m[2]) return undefined;
    const row = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', m[1])
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    const expected = Buffer.from(row.secret_hash, 'hex');
    const actual = Buffer.from(hash(m[2]), 'hex');
    if (!timingSafeEqual(expected, actual)) return undefined;
    const at = now.toISOString();
    if (row.expires_at !== null && row.expires_at <= at) return undefined;
    if (!row.last_used_at || Date.parse(row.last_used_at) + lastUsedResolutionMs <= now.getTime()) {
      await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', row.id).execute();
      row.last_used_at = at;
    }
    return keyInfo(row);
  }

  /** An organization's keys, newest first (never their secrets). */
  async listKeys(orgId: string): Promise<ApiKeyInfo[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(keyInfo);
  }

  async revokeKey(orgId: string, keyId: string, now: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: now.toISOString() })
      .where('org_id', '=', orgId)
      .where('id', '=', keyId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
