/**
 * The reconciler's loop (controller-runtime keeps it apart from the reconcile itself): a kick steps one peering in
 * process until it must wait; a due pass every tick claims the peerings whose next attempt has come; the sweep runs
 * on its own interval; at most `concurrency` steps run at once, one per peering; stop() finishes what is in flight
 * and hands every lease back.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../core/clock.js';
import type { RulesConfig } from '../core/rules.js';
import type { CloudCatalog } from '../clouds/catalog.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/db.js';
import { reposOf } from '../store/repos.js';
import type { Logger, StepDeps, StepResult } from './context.js';
import { reconcileStep } from './step.js';
import type { Seen } from '../core/observation.js';
import { sweepWork, type SweepStats } from './sweep.js';

export type { Logger, StepResult, SweepStats };

export interface ReconcilerOptions {
  store: Store;
  clouds: CloudCatalog;
  clock: Clock;
  rules: RulesConfig;
  log: Logger;
  random?: () => number;
  owner?: string;
  leaseMs: number;
  tickMs: number;
  sweepIntervalMs: number;
  /** steps run at once by the due pass and the sweep */
  concurrency?: number;
  metrics?: Metrics;
}

/** Steps of one in-process kick before the peering waits for its schedule (a runaway loop would otherwise spin). */
const kickSteps = 16;

export class Reconciler {
  readonly owner: string;
  private readonly deps: StepDeps;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastSweep = 0;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** peerings this instance is stepping right now: a kick, a notification and the due pass must not overlap */
  private readonly stepping = new Set<string>();
  private stopped = false;

  constructor(private readonly options: ReconcilerOptions) {
    this.owner = options.owner ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    const repos = reposOf(options.store);
    this.deps = {
      peerings: repos.peerings,
      leases: repos.leases,
      platform: repos.platform,
      clouds: options.clouds,
      clock: options.clock,
      rules: options.rules,
      log: options.log,
      random: options.random ?? Math.random,
      owner: this.owner,
      leaseMs: options.leaseMs,
      metrics: options.metrics,
    };
  }

  /**
   * Runs steps for one peering now, in process, until it has to wait (a submit or delete kicks this). `known`: the
   * connection as the submit just saw it, for the first step.
   */
  kick(id: string, known?: Seen): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const run = (async () => {
      for (let i = 0; i < kickSteps && !this.stopped; i++) {
        const r = await this.step(id, i === 0 ? known : undefined);
        if (!r.again) return;
      }
    })().catch((err: unknown) => this.options.log.error({ err, peeringId: id }, 'kick failed'));
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  /** One reconcile step for one peering, unless this instance is already stepping it. Never throws. */
  async step(id: string, known?: Seen): Promise<StepResult> {
    if (this.stepping.has(id)) return { outcome: 'busy', again: false };
    this.stepping.add(id);
    const started = performance.now();
    try {
      const result = await reconcileStep(this.deps, id, known).catch((err: unknown): StepResult => {
        this.options.log.error({ err, peeringId: id }, 'reconcile step failed before it could record');
        return { outcome: 'error', again: false };
      });
      if (result.outcome !== 'busy') {
        const seconds = (performance.now() - started) / 1000;
        this.options.metrics?.stepSeconds.observe(
          { cloud: result.cloud ?? 'unknown', outcome: result.outcome },
          seconds,
        );
      }
      return result;
    } finally {
      this.stepping.delete(id);
    }
  }

  /** The sweep: every account's connections listed in pages, and the peerings that need it stepped. */
  async sweep(): Promise<SweepStats> {
    const started = Date.now();
    const accounts = new Set<string>();
    let peerings = 0;
    let attention = 0;
    for await (const batch of sweepWork(this.deps)) {
      accounts.add(batch.accountId);
      peerings += batch.peerings;
      attention += batch.work.length;
      await this.inBatches(batch.work, (w) => this.step(w.id, w.known));
    }
    const durationMs = Date.now() - started;
    this.options.metrics?.sweepSeconds.observe(durationMs / 1000);
    return { accounts: accounts.size, peerings, attention, durationMs };
  }

  /** The due pass: every peering whose next attempt has come. */
  async runDue(): Promise<number> {
    const claim = { owner: this.owner, now: this.options.clock.now(), ttlMs: this.options.leaseMs, limit: 200 };
    const ids = await this.deps.leases.claimDue(claim);
    await this.inBatches(ids, (id) => this.step(id));
    if (this.stopped) await this.deps.leases.releaseAll(this.owner); // hand back what was claimed but not run
    return ids.length;
  }

  /** Steps with bounded concurrency; stops starting new ones once the reconciler is stopping. */
  private async inBatches<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<void> {
    const limit = this.options.concurrency ?? 8;
    let next = 0;
    const worker = async () => {
      while (next < items.length && !this.stopped) {
        const item = items[next++];
        if (item !== undefined) await fn(item);
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  }

  private async tick(): Promise<void> {
    await this.runDue();
    if (Date.now() - this.lastSweep >= this.options.sweepIntervalMs) {
      this.lastSweep = Date.now();
      const stats = await this.sweep();
      if (stats.attention > 0) this.options.log.info({ ...stats }, 'sweep');
    }
  }

  start(): void {
    if (this.timer) return;
    this.lastSweep = Date.now();
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((err: unknown) => this.options.log.error({ err }, 'reconciler tick failed'))
        .finally(() => {
          this.running = null;
        });
    }, this.options.tickMs);
  }

  /** Finishes the step in flight, then hands back every lease this instance holds. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopped = true;
    await this.running;
    await Promise.allSettled([...this.inFlight]);
    await this.deps.leases
      .releaseAll(this.owner)
      .catch((err: unknown) => this.options.log.warn({ err }, 'could not release leases; they expire on their own'));
  }
}
