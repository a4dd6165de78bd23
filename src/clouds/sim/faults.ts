/**
 * Fault injection and the call log: every simulated API call passes through here, so tests and benchmarks can
 * add latency, throttling and server errors, and count what Peerlink asked of each cloud. When asked
 * (`enforceLimits`), each cloud's documented request limits (its `rateLimits`) are enforced per account, region and
 * bucket on the real clock: a call over them is throttled with the cloud's own answer.
 */
import { LimitState, type RateLimits } from '../rate-limits.js';
export type FaultKind = 'latency' | 'throttle' | 'server-error' | 'unavailable';

export interface FaultRule {
  kind: FaultKind;
  /** only calls of this cloud (its registered name) */
  provider?: string;
  /** only this API action (DescribeVpcPeeringConnections, …) */
  action?: string;
  /** only calls naming this object (a connection id …): other work in the same world spends nothing of it */
  target?: string;
  /** latency to add, for kind 'latency' */
  ms?: number;
  /** how many matching calls it applies to; absent = until cleared */
  times?: number;
}

export interface CallRecord {
  provider: string;
  action: string;
  account: string;
  region: string;
  at: string;
  /** the object the call names, when it names one (a pcx id, a route table id …) */
  target?: string;
}

export interface FaultVerdict {
  latencyMs: number;
  error: Exclude<FaultKind, 'latency'> | null;
}

export class FaultPlan {
  private rules: FaultRule[] = [];
  readonly calls: CallRecord[] = [];
  /** keep the log bounded for long benchmark runs */
  private readonly maxLog = 200_000;
  private readonly counts = new Map<string, number>();
  private readonly limits = new Map<string, RateLimits>();
  private enforcing = false;
  private readonly buckets = new Map<string, LimitState>();
  /** calls by provider|account|region|bucket, and those throttled for being over a limit, since enforcing began */
  readonly bucketCalls = new Map<string, number>();
  readonly overLimit = new Map<string, number>();

  /** The documented limits of each cloud (the simulator registers them; enforced only when switched on). */
  setLimits(provider: string, limits: RateLimits): void {
    this.limits.set(provider, limits);
  }

  /** Switches the limits on (from empty counts, full buckets) or off. */
  enforceLimits(on: boolean): void {
    this.enforcing = on;
    this.buckets.clear();
    this.bucketCalls.clear();
    this.overLimit.clear();
  }

  limitsFor(provider: string): RateLimits | undefined {
    return this.limits.get(provider);
  }

  get enforcingLimits(): boolean {
    return this.enforcing;
  }

  private overALimit(record: CallRecord): boolean {
    const limits = this.enforcing ? this.limits.get(record.provider) : undefined;
    if (!limits) return false;
    const name = limits.bucketOf(record.action);
    const limit = limits.buckets[name];
    if (!limit) return false;
    const key = `${record.provider}|${record.account}|${record.region}|${name}`;
    const now = performance.now();
    let state = this.buckets.get(key);
    if (!state) {
      state = new LimitState(limit, now);
      this.buckets.set(key, state);
    }
    this.bucketCalls.set(key, (this.bucketCalls.get(key) ?? 0) + 1);
    if (state.tryTake(now)) return false;
    this.overLimit.set(record.provider, (this.overLimit.get(record.provider) ?? 0) + 1);
    this.overLimit.set(key, (this.overLimit.get(key) ?? 0) + 1);
    return true;
  }

  add(rule: FaultRule): void {
    this.rules.push({ ...rule });
  }

  clear(): void {
    this.rules = [];
  }

  /** Records a call and says what fault, if any, it meets. */
  onCall(record: CallRecord): FaultVerdict {
    const key = `${record.provider}:${record.action}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (this.calls.length < this.maxLog) this.calls.push(record);
    const verdict: FaultVerdict = { latencyMs: 0, error: null };
    if (this.overALimit(record)) verdict.error = 'throttle';
    for (const rule of this.rules) {
      if (rule.provider && rule.provider !== record.provider) continue;
      if (rule.action && rule.action !== record.action) continue;
      if (rule.target && rule.target !== record.target) continue;
      if (rule.times !== undefined) {
        if (rule.times <= 0) continue;
        rule.times -= 1;
      }
      if (rule.kind === 'latency') verdict.latencyMs += rule.ms ?? 0;
      else verdict.error ??= rule.kind;
    }
    return verdict;
  }

  count(provider: string, action?: string): number {
    let n = 0;
    for (const [key, c] of this.counts) {
      const [p, a] = key.split(':');
      if (p === provider && (!action || a === action)) n += c;
    }
    return n;
  }

  resetCounts(): void {
    this.counts.clear();
    this.calls.length = 0;
  }
}
