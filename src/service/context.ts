/** What the service's commands need: the store, the clouds, the rules and the clock. */
import type { Clock } from '../core/clock.js';
import type { Refusal } from '../core/errors.js';
import type { RulesConfig } from '../core/rules.js';
import type { CloudCatalog } from '../clouds/catalog.js';
import type { Store } from '../store/db.js';
import type { Repos } from '../store/repos.js';

export interface ServiceDeps {
  store: Store;
  repos: Repos;
  clouds: CloudCatalog;
  rules: RulesConfig;
  clock: Clock;
  /** a customer's resync of one peering counts once per this long */
  resyncCooldownMs: number;
  /** refusals the cloud's look produced a moment ago, answered again without another call */
  refusals?: RefusalMemo;
}

/** A short memory of refused submits, so repeating one does not spend the platform's cloud budget again. */
export class RefusalMemo {
  private readonly entries = new Map<string, { refusal: Refusal; until: number }>();

  constructor(
    private readonly ttlMs = 10_000,
    private readonly capacity = 10_000,
  ) {}

  remember(key: string, refusal: Refusal, now: Date): void {
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { refusal, until: now.getTime() + this.ttlMs });
  }

  recall(key: string, now: Date): Refusal | null {
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.until > now.getTime()) return e.refusal;
    this.entries.delete(key);
    return null;
  }
}
