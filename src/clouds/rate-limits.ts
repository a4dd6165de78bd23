/**
 * A cloud's documented request limits: which bucket each API action draws from — per platform account and region —
 * and how much it holds. The simulator enforces them when asked (sim/faults.ts), and Peerlink paces its own calls by
 * the very same numbers (pacer.ts), so a burst converges as fast as the cloud allows without a storm of throttling
 * answers. Each cloud's numbers and their sources are in its folder (limits.ts) and in docs/CLOUDS.md.
 */

/** A token bucket: `capacity` at once, refilled by `refillPerSecond`. */
export interface TokenBucket {
  kind: 'bucket';
  capacity: number;
  refillPerSecond: number;
}

/** A quota per window ("360 per 60 s", "100 per second"): at most `limit` calls in any `seconds` window. */
export interface WindowQuota {
  kind: 'window';
  limit: number;
  seconds: number;
}

export type Limit = TokenBucket | WindowQuota;

export interface RateLimits {
  /** the limits, by bucket name */
  buckets: Readonly<Record<string, Limit>>;
  /** the bucket an action draws from (the adapter's operation name, which is the cloud's API action) */
  bucketOf(action: string): string;
  /** the codes (or code prefixes before a dot) with which the cloud says "too many": the pacer holds the bucket back */
  throttleCodes: readonly string[];
}

export const bucket = (capacity: number, refillPerSecond: number): TokenBucket => ({
  kind: 'bucket',
  capacity,
  refillPerSecond,
});

export const perWindow = (limit: number, seconds: number): WindowQuota => ({ kind: 'window', limit, seconds });

/** A limit shared by `instances` (each instance paces its share; at least one call each). */
export function share(limit: Limit, instances: number): Limit {
  const n = Math.max(1, instances);
  if (n === 1) return limit;
  return limit.kind === 'bucket'
    ? bucket(Math.max(1, Math.floor(limit.capacity / n)), limit.refillPerSecond / n)
    : perWindow(Math.max(1, Math.floor(limit.limit / n)), limit.seconds);
}

/** How late, at most, a call is expected to reach the cloud after the client counted it, beyond the others. */
export const arrivalJitterSeconds = 0.25;

/**
 * The limit a client paces itself by: its share of the cloud's, with room for jitter. A call reaches the cloud a
 * little after the client counted it, and not always equally late, so the cloud can see calls closer together than the
 * client spaced them: over any interval, up to `refill × jitter` more than the client allowed. A bucket gives up that
 * much of its burst, a window quota is counted over a window that much longer — the sustained rate of a bucket is
 * untouched, a window's loses jitter/window (nothing for a minute's quota, a fifth for a per-second one).
 */
export function clientSide(limit: Limit, instances: number, jitterSeconds = arrivalJitterSeconds): Limit {
  const l = share(limit, instances);
  return l.kind === 'bucket'
    ? bucket(Math.max(1, Math.floor(l.capacity - l.refillPerSecond * jitterSeconds)), l.refillPerSecond)
    : perWindow(l.limit, l.seconds + jitterSeconds);
}

/**
 * One bucket's state, the same arithmetic on both sides: the simulator asks `tryTake` and answers "throttled" when
 * it fails; the pacer waits `waitMs` and asks again.
 */
export class LimitState {
  private tokens: number;
  private last: number;
  /** the window's calls, oldest first (window quotas) */
  private readonly stamps: number[] = [];
  private heldUntil = 0;

  constructor(
    public limit: Limit,
    now: number,
  ) {
    this.tokens = limit.kind === 'bucket' ? limit.capacity : 0;
    this.last = now;
  }

  /** Takes one call's worth if there is one now. */
  tryTake(now: number): boolean {
    if (now < this.heldUntil) return false;
    const l = this.limit;
    if (l.kind === 'bucket') {
      this.tokens = Math.min(l.capacity, this.tokens + ((now - this.last) / 1000) * l.refillPerSecond);
      this.last = now;
      if (this.tokens < 1) return false;
      this.tokens -= 1;
      return true;
    }
    const since = now - l.seconds * 1000;
    while (this.stamps.length > 0 && (this.stamps[0] ?? 0) <= since) this.stamps.shift();
    if (this.stamps.length >= l.limit) return false;
    this.stamps.push(now);
    return true;
  }

  /** How long until `tryTake` can succeed (0: now). */
  waitMs(now: number): number {
    if (now < this.heldUntil) return this.heldUntil - now;
    const l = this.limit;
    if (l.kind === 'bucket') {
      const tokens = Math.min(l.capacity, this.tokens + ((now - this.last) / 1000) * l.refillPerSecond);
      return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / l.refillPerSecond) * 1000);
    }
    if (this.stamps.length < l.limit) return 0;
    return Math.max(0, (this.stamps[0] ?? now) + l.seconds * 1000 - now + 1);
  }

  /**
   * The cloud throttled a call anyway (someone else spends the same account's limit): start again from empty — no
   * token left, or the window's next slot no sooner than its share of the window.
   */
  empty(now: number): void {
    const l = this.limit;
    if (l.kind === 'bucket') {
      this.tokens = 0;
      this.last = now;
    } else this.heldUntil = Math.max(this.heldUntil, now + (l.seconds * 1000) / l.limit);
  }
}

/** Where each API has a bucket of its own: its name, or `other`. */
export function byAction(buckets: Readonly<Record<string, Limit>>): (action: string) => string {
  return (action) => (Object.hasOwn(buckets, action) ? action : 'other');
}

/** Whether a cloud's error code is one of `codes`, or in one's family (`RequestLimitExceeded.UinLimitExceeded`). */
export function codeIn(codes: readonly string[], code: string): boolean {
  return codes.some((c) => code === c || code.startsWith(`${c}.`));
}
