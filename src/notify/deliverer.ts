/**
 * The deliverer (issue 16): every instance runs one. Each tick it turns due deadline warnings into events, claims due
 * deliveries with leases (several instances share the work; a peering's deliveries to one destination go one at a
 * time, in order), signs each webhook body per Standard Webhooks with the webhook's secret, posts it through the SSRF
 * guard, and records the attempt: delivered, retried with exponential backoff for up to the retry window, or given up.
 * A webhook failing for the whole window is disabled, with an event saying so. At least once: a crash after the POST
 * and before the record sends the same event again, with the same `webhook-id`.
 */
import { Webhook as Signer } from 'standardwebhooks';
import { backoffMs } from '../core/backoff.js';
import type { Clock } from '../core/clock.js';
import { refusal } from '../core/errors.js';
import { atomically } from '../store/db.js';
import type { Claimed, AttemptResult } from '../store/deliveries.js';
import { insertOutboxEvent } from '../store/outbox.js';
import type { Repos } from '../store/repos.js';
import type { Store } from '../store/db.js';
import { reposOf } from '../store/repos.js';
import type { Mailer } from './mail.js';
import { postWebhook } from './post.js';
import { renderEvent } from './render.js';
import type { TargetPolicy } from './ssrf.js';

export interface DelivererOptions {
  store: Store;
  clock: Clock;
  owner: string;
  tickMs: number;
  leaseMs: number;
  policy: TargetPolicy;
  /** how long a delivery is retried, and how long a webhook may fail before it is disabled */
  retryWindowMs: number;
  timeoutMs: number;
  mailer?: Mailer | null;
  random?: () => number;
  log: { warn(obj: object, msg?: string): void; info(obj: object, msg?: string): void };
}

export class Deliverer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly repos: Repos;

  constructor(private readonly o: DelivererOptions) {
    this.repos = reposOf(o.store);
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), this.o.tickMs);
    this.timer.unref();
  }

  /** Runs a pass now unless one is running. */
  kick(): void {
    if (this.running || this.stopped) return;
    this.running = this.pass()
      .catch((err: unknown) => this.o.log.warn({ err }, 'delivery pass failed; the next tick tries again'))
      .finally(() => {
        this.running = null;
      });
  }

  /** One pass: due warnings, then due deliveries until none is left (tests call it directly). */
  async pass(): Promise<void> {
    const lease = { owner: this.o.owner, ttlMs: this.o.leaseMs, limit: 50 };
    await this.repos.deliveries.fireDue({ ...lease, now: this.o.clock.now() });
    for (let round = 0; round < 20 && !this.stopped; round++) {
      const claimed = await this.repos.deliveries.claimDue({ ...lease, now: this.o.clock.now() });
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((d) => this.deliver(d)));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.repos.deliveries.releaseAll(this.o.owner);
  }

  private async deliver(d: Claimed): Promise<void> {
    const event = await this.repos.events.get(d.eventId);
    let result: AttemptResult;
    if (!event) result = { ok: false, statusCode: null, latencyMs: 0, excerpt: '', error: 'event gone' };
    else if (d.channel === 'email') result = await this.mail(d, event);
    else result = await this.post(d, renderEvent(event));
    const now = this.o.clock.now();
    const age = now.getTime() - Date.parse(d.createdAt);
    const wait = backoffMs(d.attempts, (this.o.random ?? Math.random)(), 5_000, 60 * 60_000);
    // the last attempt is at the end of the window; a delivery failing then is given up
    const last = Date.parse(d.createdAt) + this.o.retryWindowMs;
    const retryAt = result.ok || age >= this.o.retryWindowMs ? null : new Date(Math.min(now.getTime() + wait, last));
    const recorded = await this.repos.deliveries.complete({ delivery: d, owner: this.o.owner, result, retryAt, now });
    if (!recorded || d.channel !== 'webhook') return;
    await this.repos.webhooks.markResult(d.targetId, result.ok, now);
    if (!result.ok) await this.disableIfFailingTooLong(d.targetId, now);
  }

  private async post(d: Claimed, body: ReturnType<typeof renderEvent>): Promise<AttemptResult> {
    const hook = await this.repos.webhooks.get(null, d.targetId);
    const secret = hook && (await this.repos.webhooks.secretOf(hook.id));
    if (!hook || !secret) return { ok: false, statusCode: null, latencyMs: 0, excerpt: '', error: 'webhook gone' };
    const payload = JSON.stringify(body);
    // the signature's time is the wall clock: receivers check it against theirs (a 5-minute tolerance)
    const sentAt = new Date();
    const signature = new Signer(secret).sign(body.id, sentAt, payload);
    const headers = {
      'webhook-id': body.id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': signature,
    };
    return postWebhook({ url: hook.url, headers, body: payload, policy: this.o.policy, timeoutMs: this.o.timeoutMs });
  }

  private async mail(d: Claimed, event: Parameters<typeof renderEvent>[0]): Promise<AttemptResult> {
    const started = performance.now();
    const contact = await this.repos.webhooks.contact(d.targetId);
    if (!contact) return { ok: false, statusCode: null, latencyMs: 0, excerpt: '', error: 'contact gone' };
    if (!this.o.mailer) return { ok: false, statusCode: null, latencyMs: 0, excerpt: '', error: 'SMTP not configured' };
    try {
      const answer = await this.o.mailer.send(contact, renderEvent(event));
      return { ok: true, statusCode: 250, latencyMs: performance.now() - started, excerpt: answer, error: null };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      return { ok: false, statusCode: null, latencyMs: performance.now() - started, excerpt: '', error };
    }
  }

  /** A webhook that has failed for the whole retry window is disabled, and its organization told. */
  private async disableIfFailingTooLong(webhookId: string, now: Date): Promise<void> {
    const hook = await this.repos.webhooks.get(null, webhookId);
    if (!hook?.enabled || !hook.failingSince) return;
    if (now.getTime() - Date.parse(hook.failingSince) < this.o.retryWindowMs) return;
    await atomically(this.o.store.db, async (trx) => {
      const r = await trx
        .updateTable('webhooks')
        .set({ enabled: 0, disabled_reason: `failing since ${hook.failingSince}`, updated_at: now.toISOString() })
        .where('id', '=', webhookId)
        .where('enabled', '=', 1)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return;
      const reason = refusal('WEBHOOK_DISABLED', {
        webhookId,
        url: hook.url,
        failingSince: hook.failingSince ?? '',
      });
      const scope = { orgId: hook.orgId, deploymentId: null, peeringId: null };
      await insertOutboxEvent(trx, scope, { type: 'webhook.disabled', data: { webhookId, reason } }, now);
    });
    this.o.log.warn({ webhookId }, 'webhook disabled after failing for the whole retry window');
  }
}
