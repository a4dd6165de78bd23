/**
 * Client-side pacing of every cloud call by the cloud's documented limits (rate-limits.ts): one lane per cloud,
 * platform account, region and bucket, shared by everything this instance does — submit-time checks, reconcile
 * steps, sweeps. A call waits for its turn instead of drawing a throttling answer; waiting calls are served round-robin
 * by organization, so one tenant's burst of a thousand peerings does not starve another's one. With several instances
 * on one database each paces its share of the limit (`setInstances`).
 *
 * Which account a call is for, and for whom, come with the call: every adapter method takes its platform target, and
 * the target names its caller (the reconciler's step and the submit set it; the sweep, the platform's own work, does
 * not). Passed, not carried in AsyncLocalStorage: on Node 20 its promise hooks cost 7 % of a converging instance.
 */
import type { Pace, PlatformTarget, ProviderError } from './provider.js';
import { LimitState, clientSide, codeIn, type RateLimits } from './rate-limits.js';

class Lane {
  readonly state: LimitState;
  /** waiting calls by organization, in round-robin order (Map keeps insertion order): requests, then steps */
  readonly interactive = new Map<string, Array<() => void>>();
  readonly waiting = new Map<string, Array<() => void>>();
  timer: NodeJS.Timeout | null = null;

  constructor(
    readonly base: RateLimits['buckets'][string],
    instances: number,
    now: number,
  ) {
    this.state = new LimitState(clientSide(base, instances), now);
  }

  /** calls waiting in this lane */
  queued = 0;

  add(org: string, interactive: boolean, go: () => void): void {
    const queues = interactive ? this.interactive : this.waiting;
    const queue = queues.get(org) ?? [];
    queue.push(go);
    queues.set(org, queue);
    this.queued++;
  }

  /** The next to go: an interactive call if any, each organization in turn. */
  next(): (() => void) | undefined {
    const queues = this.interactive.size > 0 ? this.interactive : this.waiting;
    const first = queues.entries().next();
    if (first.done) return undefined;
    const [org, queue] = first.value;
    const go = queue.shift();
    queues.delete(org);
    if (queue.length > 0) queues.set(org, queue); // to the back of the round
    this.queued--;
    return go;
  }
}

export class Pacer {
  private readonly lanes = new Map<string, Lane>();
  private instances = 1;
  /** calls that waited, and for how long in all (metrics) */
  waited = 0;
  waitedMs = 0;

  constructor(
    private readonly limitsOf: (cloud: string) => RateLimits | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The instances sharing the clouds' limits (PostgreSQL mode): each paces 1/n of every bucket. */
  setInstances(n: number): void {
    const next = Math.max(1, Math.floor(n));
    if (next === this.instances) return;
    this.instances = next;
    for (const lane of this.lanes.values()) lane.state.limit = clientSide(lane.base, next);
  }

  /** The pacing an adapter of `cloud` is given. */
  for(cloud: string): Pace {
    return {
      before: (operation, target) => this.take(cloud, operation, target),
      after: (operation, target, error) => this.heard(cloud, operation, target, error),
    };
  }

  private lane(cloud: string, operation: string, target: PlatformTarget): Lane | undefined {
    const limits = this.limitsOf(cloud);
    if (!limits) return undefined;
    const name = limits.bucketOf(operation);
    const limit = limits.buckets[name];
    if (!limit) return undefined;
    const key = `${cloud}|${target.accountId}|${target.region}|${name}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = new Lane(limit, this.instances, this.now());
      this.lanes.set(key, lane);
    }
    return lane;
  }

  private take(cloud: string, operation: string, target: PlatformTarget): Promise<void> {
    const lane = this.lane(cloud, operation, target);
    if (!lane) return Promise.resolve();
    if (lane.queued === 0 && lane.state.tryTake(this.now())) return Promise.resolve();
    const { org = '', interactive = false } = target.caller ?? {};
    const since = this.now();
    return new Promise<void>((resolve) => {
      lane.add(org, interactive, () => {
        this.waited++;
        this.waitedMs += this.now() - since;
        resolve();
      });
      this.drain(lane);
    });
  }

  /** Lets waiting calls go while the bucket has room, one organization after another; then sleeps until it has. */
  private drain(lane: Lane): void {
    if (lane.timer) return;
    while (lane.queued > 0) {
      const now = this.now();
      if (!lane.state.tryTake(now)) {
        lane.timer = setTimeout(
          () => {
            lane.timer = null;
            this.drain(lane);
          },
          Math.max(1, lane.state.waitMs(now)),
        );
        return;
      }
      lane.next()?.();
    }
  }

  private heard(cloud: string, operation: string, target: PlatformTarget, error: ProviderError | null): void {
    if (!error) return;
    if (!codeIn(this.limitsOf(cloud)?.throttleCodes ?? [], error.providerCode)) return;
    this.lane(cloud, operation, target)?.state.empty(this.now());
  }

  /** Calls waiting now, over every lane (metrics). */
  get queued(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.queued;
    return n;
  }
}
