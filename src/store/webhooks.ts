/**
 * An organization's webhooks and e-mail contacts (issue 16). A webhook's signing secret is made here, shown once by the
 * API, and stored encrypted like the platform's cloud secrets (src/store/secrets.ts); the deliverer decrypts it to
 * sign.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { newId } from './ids.js';
import { isEnvelope, type SecretBox } from './secrets.js';
import type { NotificationContactTable, WebhookTable } from './notify-schema.js';
import type { Database } from './schema.js';

export interface Webhook {
  id: string;
  orgId: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  failingSince: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Contact {
  id: string;
  orgId: string;
  email: string;
  locale: 'en' | 'zh-CN';
  createdAt: string;
}

function webhookOf(r: Selectable<WebhookTable>): Webhook {
  return {
    id: r.id,
    orgId: r.org_id,
    url: r.url,
    description: r.description,
    eventTypes: r.event_types,
    enabled: Number(r.enabled) === 1,
    disabledReason: r.disabled_reason,
    failingSince: r.failing_since,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function contactOf(r: Selectable<NotificationContactTable>): Contact {
  return {
    id: r.id,
    orgId: r.org_id,
    email: r.email,
    locale: r.locale === 'zh-CN' ? 'zh-CN' : 'en',
    createdAt: r.created_at,
  };
}

/** A Standard Webhooks secret: `whsec_` and 24 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export class WebhookRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: SecretBox | null,
  ) {}

  private seal(secret: string): string {
    return JSON.stringify(this.secrets ? this.secrets.encrypt(secret) : { plain: secret });
  }

  /** Creates a webhook; returns it with its secret (the only time the secret is shown). */
  async create(
    input: { orgId: string; url: string; description: string; eventTypes: string[] },
    now: Date,
  ): Promise<{ webhook: Webhook; secret: string }> {
    const secret = newWebhookSecret();
    const at = now.toISOString();
    const row = {
      id: newId('wh', now.getTime()),
      org_id: input.orgId,
      url: input.url,
      description: input.description,
      event_types: JSON.stringify(input.eventTypes),
      secret: this.seal(secret),
      enabled: 1,
      disabled_reason: null,
      failing_since: null,
      created_at: at,
      updated_at: at,
    };
    await this.db.insertInto('webhooks').values(row).execute();
    return { webhook: webhookOf({ ...row, event_types: input.eventTypes }), secret };
  }

  async list(orgId: string): Promise<Webhook[]> {
    const rows = await this.db.selectFrom('webhooks').selectAll().where('org_id', '=', orgId).orderBy('id').execute();
    return rows.map(webhookOf);
  }

  /** `orgId` null: unscoped (the deliverer). */
  async get(orgId: string | null, id: string): Promise<Webhook | undefined> {
    let q = this.db.selectFrom('webhooks').selectAll().where('id', '=', id);
    if (orgId) q = q.where('org_id', '=', orgId);
    const r = await q.executeTakeFirst();
    return r && webhookOf(r);
  }

  async update(
    orgId: string,
    id: string,
    patch: { url?: string; description?: string; eventTypes?: string[]; enabled?: boolean },
    now: Date,
  ): Promise<Webhook | undefined> {
    const r = await this.db
      .updateTable('webhooks')
      .set({
        updated_at: now.toISOString(),
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.eventTypes !== undefined ? { event_types: JSON.stringify(patch.eventTypes) } : {}),
        ...(patch.enabled !== undefined
          ? { enabled: patch.enabled ? 1 : 0, disabled_reason: patch.enabled ? null : 'disabled by an admin' }
          : {}),
        ...(patch.enabled ? { failing_since: null } : {}),
      })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return r && webhookOf(r);
  }

  /** A new secret; the old one stops working at once. */
  async rotate(orgId: string, id: string, now: Date): Promise<string | undefined> {
    const secret = newWebhookSecret();
    const r = await this.db
      .updateTable('webhooks')
      .set({ secret: this.seal(secret), updated_at: now.toISOString() })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0 ? secret : undefined;
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('webhooks').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) return false;
    // what was still to be sent to it goes nowhere now
    await this.db.deleteFrom('deliveries').where('target_id', '=', id).where('state', '=', 'pending').execute();
    return true;
  }

  /** The signing secret (the deliverer's). */
  async secretOf(id: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('webhooks').select('secret').where('id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    const stored: unknown = JSON.parse(r.secret);
    if (isEnvelope(stored)) {
      if (!this.secrets) throw new Error('webhook secrets are encrypted but this process has no secret keys');
      return String(this.secrets.decrypt(stored));
    }
    return String((stored as { plain: string }).plain);
  }

  /** After a delivery: an answer clears the failure streak; a failure starts one (if none runs). */
  async markResult(id: string, ok: boolean, now: Date): Promise<void> {
    if (ok) {
      await this.db.updateTable('webhooks').set({ failing_since: null }).where('id', '=', id).execute();
      return;
    }
    await this.db
      .updateTable('webhooks')
      .set({ failing_since: now.toISOString() })
      .where('id', '=', id)
      .where('failing_since', 'is', null)
      .execute();
  }

  /** Disables a webhook that failed for too long; false if it was already disabled. */
  async disable(id: string, reason: string, now: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('webhooks')
      .set({ enabled: 0, disabled_reason: reason, updated_at: now.toISOString() })
      .where('id', '=', id)
      .where('enabled', '=', 1)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async addContact(input: { orgId: string; email: string; locale: 'en' | 'zh-CN' }, now: Date): Promise<Contact> {
    const row = {
      id: newId('ct', now.getTime()),
      org_id: input.orgId,
      email: input.email,
      locale: input.locale,
      created_at: now.toISOString(),
    };
    await this.db.insertInto('notification_contacts').values(row).execute();
    return contactOf(row);
  }

  async contacts(orgId: string): Promise<Contact[]> {
    const rows = await this.db
      .selectFrom('notification_contacts')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('id')
      .execute();
    return rows.map(contactOf);
  }

  async contact(id: string): Promise<Contact | undefined> {
    const r = await this.db.selectFrom('notification_contacts').selectAll().where('id', '=', id).executeTakeFirst();
    return r && contactOf(r);
  }

  async removeContact(orgId: string, id: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('notification_contacts')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
