/**
 * Operator-only events (issue 16): the platform's own trouble with a cloud, heard in the answer to every cloud call.
 * A cloud refusing a platform account's credentials or rights (its `platformRefusals`) raises
 * `platform.credentials_refused`; throttling answers that keep coming (`throttledInWindow` in `windowMs` for one
 * account and region) raise `platform.throttled`. Each is told once per account and region per `quietMs` on this
 * instance — a refusal is heard on every retry of every peering, and the operator needs it once, not a thousand
 * times. The events are operator-only rows of the outbox (never shown to an organization), listed at
 * `GET /v1/admin/events`, and logged at error level for the operator's log alerts.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { messageOf, refusal } from '../core/errors.js';
import { publicMessage, type AnyCloud, type PlatformTarget, type ProviderError } from '../clouds/provider.js';
import { codeIn } from '../clouds/rate-limits.js';
import { insertOutboxEvent } from '../store/outbox.js';
import type { Database } from '../store/schema.js';

export interface WatchOptions {
  /** throttled answers for one account and region within `windowMs` that make throttling "sustained" */
  throttledInWindow: number;
  windowMs: number;
  /** an account and region is told about at most once per this long, per kind of trouble */
  quietMs: number;
}

export const defaultWatch: WatchOptions = { throttledInWindow: 20, windowMs: 60_000, quietMs: 15 * 60_000 };

type Trouble = 'credentials' | 'throttled';

/** What kind of platform trouble a cloud's answer is, if any: pure. */
export function troubleOf(cloud: AnyCloud, error: ProviderError): Trouble | null {
  const code = error.providerCode;
  if (codeIn(cloud.rateLimits.throttleCodes, code)) return 'throttled';
  // a code the cloud declares as the customer's mistake is the customer's (a delegation the customer has not given)
  if (cloud.customerErrors[code]) return null;
  if (codeIn(cloud.platformRefusals, code)) return 'credentials';
  return null;
}

export class PlatformWatch {
  private readonly told = new Map<string, number>();
  /** the latest event's write (tests wait on it; the watch itself never does) */
  written: Promise<unknown> = Promise.resolve();
  private readonly throttled = new Map<string, { at: number[]; operations: Set<string> }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date,
    private readonly log: Logger,
    private readonly options: WatchOptions = defaultWatch,
  ) {}

  /** Hears one cloud call's answer (`error` null: it succeeded). Never throws, never waits. */
  heard(cloud: AnyCloud, target: PlatformTarget | undefined, operation: string, error: ProviderError | null): void {
    if (!error || !target) return;
    const trouble = troubleOf(cloud, error);
    if (!trouble) return;
    const key = `${cloud.name}|${target.accountId}|${target.region}`;
    const now = this.now().getTime();
    if (trouble === 'throttled') {
      const seen = this.throttled.get(key) ?? { at: [], operations: new Set<string>() };
      seen.at = seen.at.filter((t) => t > now - this.options.windowMs);
      seen.at.push(now);
      seen.operations.add(operation);
      this.throttled.set(key, seen);
      if (seen.at.length < this.options.throttledInWindow) return;
    }
    const toldAt = this.told.get(`${trouble}|${key}`);
    if (toldAt !== undefined && now - toldAt < this.options.quietMs) return;
    this.told.set(`${trouble}|${key}`, now);
    const where = {
      provider: cloud.label.en,
      providerZh: cloud.label['zh-CN'],
      accountId: target.accountId,
      region: target.region,
    };
    const reason =
      trouble === 'credentials'
        ? refusal('PLATFORM_CREDENTIALS_REFUSED', {
            ...where,
            operation,
            providerCode: error.providerCode,
            providerMessage: publicMessage(error.message),
          })
        : refusal('PLATFORM_THROTTLED', {
            ...where,
            count: this.throttled.get(key)?.at.length ?? 0,
            seconds: Math.round(this.options.windowMs / 1000),
            operations: [...(this.throttled.get(key)?.operations ?? [])].sort().join(', '),
          });
    if (trouble === 'throttled') this.throttled.delete(key);
    const type = trouble === 'credentials' ? 'platform.credentials_refused' : 'platform.throttled';
    const data = { cloud: cloud.name, accountId: target.accountId, region: target.region, reason };
    this.log.error({ type, ...data }, messageOf(reason.code, reason.params, 'en'));
    const scope = { orgId: null, audience: 'operator' as const, deploymentId: null, peeringId: null };
    this.written = insertOutboxEvent(this.db, scope, { type, data }, new Date(now)).catch((err: unknown) => {
      // not written: tell again at the next answer rather than after the quiet period
      this.told.delete(`${trouble}|${key}`);
      this.log.error({ err, type }, 'could not record an operator event');
    });
  }
}
