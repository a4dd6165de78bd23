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

/** How long a verified key is trusted without asking the database again: the bound on a revocation made elsewhere. */
export const keyCacheMs = 5_000;
const keyCacheSize = 10_000;

export class OrgRepo {
  /**
   * Keys verified in the last `cacheMs`, by the SHA-256 of the whole presented key (never the key itself): a read
   * costs one hash instead of a query. Revoking through this repository forgets the key at once; a revocation by
   * another instance (PostgreSQL mode) is honoured within `cacheMs`. Expiry is checked on every use.
   */
  private readonly verified = new Map<string, { info: ApiKeyInfo; until: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly cacheMs = keyCacheMs,
  ) {}

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
    const presented = hash(key);
    const hit = this.verified.get(presented);
    if (hit && hit.until > Date.now()) {
      const expiry = hit.info.expiresAt;
      return expiry !== null && expiry <= now.toISOString() ? undefined : hit.info;
    }
    this.verified.delete(presented);
    const info = await this.verify(m[1], m[2], now);
    if (info && this.cacheMs > 0) {
      this.verified.set(presented, { info, until: Date.now() + this.cacheMs });
      if (this.verified.size > keyCacheSize) this.verified.delete(this.verified.keys().next().value ?? '');
    }
    return info;
  }

  private async verify(id: string, secret: string, now: Date): Promise<ApiKeyInfo | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    const expected = Buffer.from(row.secret_hash, 'hex');
    const actual = Buffer.from(hash(secret), 'hex');
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
    for (const [presented, { info }] of this.verified) if (info.id === keyId) this.verified.delete(presented);
    return Number(r.numUpdatedRows) > 0;
  }
}
