/**
 * Fault injection and the call log: every simulated API call passes through here, so tests and benchmarks can
 * add latency, throttling and server errors, and count what Peerlink asked of each cloud.
 */
export type FaultKind = 'latency' | 'throttle' | 'server-error' | 'unavailable';

export interface FaultRule {
  kind: FaultKind;
  /** only calls of this cloud (its registered name) */
  provider?: string;
  /** only this API action (DescribeVpcPeeringConnections, …) */
  action?: string;
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
    for (const rule of this.rules) {
      if (rule.provider && rule.provider !== record.provider) continue;
      if (rule.action && rule.action !== record.action) continue;
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
