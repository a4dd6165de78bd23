/**
 * The reconciler (ARCHITECTURE.md §2, §4): claim a peering's lease, observe the cloud, let the core decide one
 * step, record the intent, act through the adapter, record the outcome, and say when to look again.
 * Level-triggered: after a crash it re-observes rather than trusting what it was doing.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import {
  backoffMs,
  decide,
  needsRoutes,
  pickLocated,
  type Action,
  type Decision,
  type Observation,
  type PeeringView,
} from '../core/lifecycle.js';
import { RefusalError, refusal, type Refusal } from '../core/errors.js';
import type { RulesConfig } from '../core/rules.js';
import { ProviderError, type CloudModule, type ProviderName } from '../clouds/provider.js';
import type { Clock } from '../clouds/sim/clock.js';
import type { Store } from '../store/db.js';
import { PeeringRepo, type Peering } from '../store/peerings.js';
import { PlatformRepo, type DeploymentWithAccount } from '../store/platform.js';
import type { ConnectionObservation } from '../core/lifecycle.js';
import type { Metrics } from '../metrics.js';

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ReconcilerOptions {
  store: Store;
  clouds: Partial<Record<ProviderName, CloudModule>>;
  clock: Clock;
  rules: RulesConfig;
  log: Logger;
  random?: () => number;
  owner?: string;
  leaseMs?: number;
  tickMs?: number;
  sweepIntervalMs?: number;
  /** steps run at once by the due pass */
  concurrency?: number;
  metrics?: Metrics;
}

export interface StepResult {
  outcome: 'busy' | 'steady' | 'waiting' | 'transitioned' | 'acted' | 'retrying' | 'error';
  /** look again right away (in-process kick) */
  again: boolean;
}

export interface SweepStats {
  accounts: number;
  peerings: number;
  attention: number;
  durationMs: number;
}

function view(p: Peering): PeeringView {
  return {
    id: p.id,
    status: p.status,
    providerId: p.providerPeeringId,
    customerAccountId: p.customerAccountId,
    customerVpcId: p.customerVpcId,
    customerCidrs: p.customerCidrs,
    deadlineAt: p.deadlineAt,
  };
}

function describeAction(a: Action): string {
  switch (a.kind) {
    case 'accept':
      return 'accept';
    case 'request':
      return 'request';
    case 'ensure-routes':
      return `create-routes ${a.missing.map((r) => `${r.tableId}:${r.cidr}`).join(',')}`;
    case 'remove-routes':
      return `delete-routes ${a.routes.map((r) => `${r.tableId}:${r.cidr}`).join(',')}`;
    case 'delete-connection':
      return 'delete-connection';
  }
}

export class Reconciler {
  readonly owner: string;
  private readonly peerings: PeeringRepo;
  private readonly platform: PlatformRepo;
  private readonly random: () => number;
  private readonly leaseMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastSweep = 0;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** peerings this instance is stepping right now: a kick, a notification and the due pass must not overlap */
  private readonly stepping = new Set<string>();
  private stopped = false;

  constructor(private readonly o: ReconcilerOptions) {
    this.owner = o.owner ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.peerings = new PeeringRepo(o.store.db, o.store.engine);
    this.platform = new PlatformRepo(o.store.db);
    this.random = o.random ?? Math.random;
    this.leaseMs = o.leaseMs ?? 60_000;
  }

  private cloud(name: ProviderName): CloudModule {
    const c = this.o.clouds[name];
    if (!c) throw new Error(`no adapter for cloud ${name}`);
    return c;
  }

  /** Runs steps for one peering now, in process, until it has to wait (a submit or delete kicks this). */
  kick(id: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const run = (async () => {
      for (let i = 0; i < 16 && !this.stopped; i++) {
        const r = await this.step(id);
        if (!r.again) return;
      }
    })().catch((err: unknown) => this.o.log.error({ err, peeringId: id }, 'kick failed'));
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  /** What the cloud shows of the peering; a peering still looking for its connection is bound to it once it appears. */
  private async observe(
    d: DeploymentWithAccount,
    p: Peering,
    known?: ConnectionObservation | null,
  ): Promise<{ obs: Observation; p: Peering }> {
    const adapter = this.cloud(p.provider).adapter;
    let connection: ConnectionObservation | null;
    if (!p.providerPeeringId && adapter.locate) {
      connection = pickLocated(
        await adapter.locate(d.target, { requesterVpcId: p.customerVpcId, accepterVpcId: d.vpcId }),
      );
      if (connection) {
        const bound = await this.peerings.bindConnection(
          p,
          this.owner,
          connection.providerId,
          connection.requester.accountId,
          this.o.clock.now(),
        );
        if (!bound) throw new Error(`peering ${p.id} changed while binding ${connection.providerId}`);
        p = bound;
      }
    } else {
      connection =
        known !== undefined
          ? known
          : ((await adapter.describe(d.target, [p.providerPeeringId], d.vpcId)).get(p.providerPeeringId) ?? null);
    }
    // Routes to a connection the cloud no longer shows still count (an AWS blackhole): only an unbound peering has none.
    const routes =
      p.providerPeeringId && needsRoutes(p.status, connection)
        ? await adapter.routes(d.target, p.providerPeeringId, d.routeTableIds)
        : undefined;
    return { obs: { connection, routes }, p };
  }

  private async act(d: DeploymentWithAccount, p: Peering, action: Action): Promise<void> {
    const adapter = this.cloud(p.provider).adapter;
    const target = d.target;
    switch (action.kind) {
      case 'accept':
        return adapter.accept(target, p.providerPeeringId);
      case 'request':
        if (!adapter.request) throw new Error(`cloud ${p.provider} cannot make requests`);
        return adapter.request(target, {
          connectionId: p.providerPeeringId,
          accepterVpcId: d.vpcId,
          requesterAccountId: p.customerAccountId,
        });
      case 'ensure-routes':
        return adapter.createRoutes(target, p.providerPeeringId, action.missing);
      case 'remove-routes':
        return adapter.deleteRoutes(target, p.providerPeeringId, action.routes);
      case 'delete-connection':
        return adapter.deleteConnection(target, p.providerPeeringId, d.vpcId);
    }
  }

  /** One reconcile step for one peering. Never throws. */
  async step(id: string, known?: ConnectionObservation | null): Promise<StepResult> {
    if (this.stepping.has(id)) return { outcome: 'busy', again: false };
    this.stepping.add(id);
    try {
      return await this.timedStep(id, known);
    } finally {
      this.stepping.delete(id);
    }
  }

  private async timedStep(id: string, known?: ConnectionObservation | null): Promise<StepResult> {
    const started = performance.now();
    let cloud = 'unknown';
    const result = await this.stepOnce(id, known, (c) => (cloud = c)).catch((err: unknown): StepResult => {
      this.o.log.error({ err, peeringId: id }, 'reconcile step failed before it could record');
      return { outcome: 'error', again: false };
    });
    if (result.outcome !== 'busy')
      this.o.metrics?.stepSeconds.observe({ cloud, outcome: result.outcome }, (performance.now() - started) / 1000);
    return result;
  }

  private async stepOnce(
    id: string,
    known: ConnectionObservation | null | undefined,
    setCloud: (c: string) => void,
  ): Promise<StepResult> {
    const now = () => this.o.clock.now();
    const claimed = await this.peerings.claim(id, this.owner, now(), this.leaseMs);
    if (!claimed) return { outcome: 'busy', again: false };
    let p: Peering = claimed;
    setCloud(p.provider);
    if (claimed.takeover) {
      this.o.metrics?.leaseTakeovers.inc();
      this.o.log.warn({ peeringId: p.id }, 'took over an expired lease from another instance');
    }
    const later = (ms: number) => new Date(now().getTime() + ms).toISOString();
    try {
      const d = await this.platform.getDeployment(null, p.deploymentId);
      if (!d) throw new Error(`deployment ${p.deploymentId} of peering ${p.id} is gone`);
      const observed = await this.observe(d, p, known);
      const obs = observed.obs;
      p = observed.p;
      if (p.intent) {
        await this.peerings.recordOutcome(
          p,
          this.owner,
          'recovered',
          `interrupted during "${p.intent}"; re-observed the cloud (status ${obs.connection?.providerStatus ?? 'not found'}) and continued`,
          null,
          now(),
        );
      }
      const siblings = (await this.peerings.liveForDeployment(d.id))
        .filter((s) => s.id !== p.id)
        .map((s) => ({ id: s.id, cidrs: s.customerCidrs }));
      const decision: Decision = decide(
        view(p),
        {
          id: d.id,
          region: d.region,
          vpcId: d.vpcId,
          vpcCidr: d.vpcCidr,
          platformAccountId: d.account.accountId,
          routeTableIds: d.routeTableIds,
        },
        obs,
        {
          now: now().toISOString(),
          initiator: this.cloud(p.provider).initiator,
          reservedRanges: this.o.rules.reservedRanges,
          siblings,
        },
      );
      const providerStatus = obs.connection?.providerStatus ?? null;
      switch (decision.kind) {
        case 'steady':
          await this.peerings.release(
            p.id,
            this.owner,
            { nextAttemptAt: null, attempts: 0, lastError: null, providerStatus },
            now(),
            p.status,
          );
          return { outcome: 'steady', again: false };
        case 'wait':
          await this.peerings.release(
            p.id,
            this.owner,
            {
              nextAttemptAt: later(decision.afterMs),
              attempts: 0,
              lastError: null,
              providerStatus,
              ...(decision.hint ? { hint: decision.hint } : {}),
            },
            now(),
            p.status,
          );
          return { outcome: 'waiting', again: false };
        case 'transition': {
          await this.peerings.transition(p, this.owner, decision.to, decision.reason, decision.note, now(), {
            cidrs: decision.cidrs,
            providerStatus,
          });
          // A failed request the platform made gets one more step: its clean-up (withdraw the attachment).
          const more =
            decision.to === 'deleting' ||
            decision.to === 'pending' ||
            (decision.to === 'failed' && this.cloud(p.provider).initiator === 'platform');
          const next = decision.to === 'awaiting-customer' ? later(5_000) : more ? now().toISOString() : null;
          await this.peerings.release(
            p.id,
            this.owner,
            { nextAttemptAt: next, attempts: 0, lastError: null },
            now(),
            decision.to,
          );
          this.o.metrics?.transitions.inc({ cloud: p.provider, to: decision.to, reason: decision.reason?.code ?? '' });
          this.o.log.info(
            { peeringId: p.id, from: p.status, to: decision.to, reason: decision.reason?.code },
            'peering transitioned',
          );
          return { outcome: 'transitioned', again: false };
        }
        case 'act': {
          const what = describeAction(decision.action);
          if (!(await this.peerings.recordIntent(p, this.owner, what, decision.note, now(), this.leaseMs))) {
            this.o.log.warn(
              { peeringId: p.id, action: what },
              'lease lost before acting; another instance has the peering',
            );
            return { outcome: 'busy', again: false };
          }
          await this.act(d, p, decision.action);
          await this.peerings.recordOutcome(p, this.owner, 'action', `${what}: done`, null, now());
          await this.peerings.release(
            p.id,
            this.owner,
            { nextAttemptAt: now().toISOString(), attempts: 0, lastError: null, providerStatus },
            now(),
            p.status,
          );
          return { outcome: 'acted', again: true };
        }
      }
    } catch (err) {
      return this.fail(p, err);
    }
  }

  private async fail(p: Peering, err: unknown): Promise<StepResult> {
    const now = this.o.clock.now();
    const attempts = p.attempts + 1;
    const retryAt = new Date(now.getTime() + backoffMs(attempts, this.random())).toISOString();
    const text =
      err instanceof ProviderError
        ? `${err.operation}: ${err.providerCode} ${err.message}`
        : String((err as Error)?.message ?? err);
    try {
      if (err instanceof ProviderError && err.kind === 'conflict') {
        await this.peerings.recordOutcome(p, this.owner, 'conflict', `${text}; observing again`, null, now);
        await this.peerings.release(
          p.id,
          this.owner,
          { nextAttemptAt: now.toISOString(), attempts, lastError: text },
          now,
          p.status,
        );
        return { outcome: 'retrying', again: attempts < 4 };
      }
      if (err instanceof RefusalError && (p.status === 'pending' || p.status === 'awaiting-customer')) {
        await this.peerings.transition(p, this.owner, 'failed', err.refusal, err.message, now);
        await this.peerings.release(
          p.id,
          this.owner,
          { nextAttemptAt: null, attempts, lastError: err.message },
          now,
          'failed',
        );
        return { outcome: 'transitioned', again: false };
      }
      if (err instanceof ProviderError && err.kind === 'permanent') {
        const reason: Refusal = refusal('PROVIDER_ERROR', {
          operation: err.operation,
          providerCode: err.providerCode,
          providerMessage: err.message,
        });
        if (p.status === 'pending' || p.status === 'awaiting-customer') {
          await this.peerings.transition(p, this.owner, 'failed', reason, text, now);
          await this.peerings.release(
            p.id,
            this.owner,
            { nextAttemptAt: null, attempts, lastError: text },
            now,
            'failed',
          );
          return { outcome: 'transitioned', again: false };
        }
        // Running or deleting cannot fail from here: keep the reason visible and retry slowly.
        await this.peerings.recordOutcome(p, this.owner, 'error', text, reason, now);
      } else if (attempts === 1) {
        await this.peerings.recordOutcome(p, this.owner, 'retrying', `${text}; retrying with backoff`, null, now);
      }
      if (!(err instanceof ProviderError)) this.o.log.error({ err, peeringId: p.id }, 'reconcile step failed');
      await this.peerings.release(
        p.id,
        this.owner,
        { nextAttemptAt: retryAt, attempts, lastError: text },
        now,
        p.status,
      );
    } catch (inner) {
      this.o.log.error({ err: inner, peeringId: p.id }, 'could not record a failed step; the lease will expire');
    }
    return { outcome: err instanceof ProviderError ? 'retrying' : 'error', again: false };
  }

  /**
   * The safety net: observe every live peering in batches — one paged describe per platform account and region —
   * and step only the ones whose cloud state asks for it (drift, a missed kick).
   */
  async sweep(): Promise<SweepStats> {
    const started = Date.now();
    const active = await this.peerings.listActive();
    const byAccount = new Map<string, typeof active>();
    for (const p of active) byAccount.set(p.platformAccountId, [...(byAccount.get(p.platformAccountId) ?? []), p]);
    const deployments = new Map((await this.platform.listDeployments()).map((d) => [d.id, d]));
    let attention = 0;
    for (const [accountId, group] of byAccount) {
      const account = await this.platform.getTarget(accountId);
      if (!account) continue;
      // keyed by connection and deployment VPC: on Tencent one customer CCN may hold several deployments
      const seen = new Map<string, ConnectionObservation>();
      try {
        for await (const page of this.cloud(account.provider).adapter.listAccepted(account))
          for (const c of page) seen.set(`${c.providerId} ${c.accepter.vpcId}`, c);
      } catch (err) {
        this.o.log.warn({ err, accountId }, 'sweep could not list connections; next sweep retries');
        continue;
      }
      const now = this.o.clock.now().toISOString();
      const needing: Array<{ id: string; known: ConnectionObservation | null | undefined }> = [];
      for (const p of group) {
        const d = deployments.get(p.deploymentId);
        if (!d || (p.nextAttemptAt && p.nextAttemptAt > now) || (p.leaseUntil && p.leaseUntil > now)) continue;
        const connection = seen.get(`${p.providerPeeringId} ${d.vpcId}`) ?? null;
        const decision = decide(
          view(p),
          {
            id: d.id,
            region: d.region,
            vpcId: d.vpcId,
            vpcCidr: d.vpcCidr,
            platformAccountId: account.accountId,
            routeTableIds: d.routeTableIds,
          },
          { connection, routes: p.status === 'pending' || p.status === 'awaiting-customer' ? [] : undefined },
          {
            now,
            initiator: this.cloud(account.provider).initiator,
            reservedRanges: this.o.rules.reservedRanges,
            siblings: [],
          },
        );
        if (decision.kind === 'steady' && p.status === 'running') continue;
        needing.push({ id: p.id, known: p.status === 'running' ? connection : undefined });
      }
      attention += needing.length;
      await this.inBatches(needing, (n) => this.step(n.id, n.known));
    }
    const durationMs = Date.now() - started;
    this.o.metrics?.sweepSeconds.observe(durationMs / 1000);
    return { accounts: byAccount.size, peerings: active.length, attention, durationMs };
  }

  /** The due pass: every peering whose next attempt has come. */
  async runDue(): Promise<number> {
    const ids = await this.peerings.claimDue(this.owner, this.o.clock.now(), this.leaseMs, 200);
    await this.inBatches(ids, (id) => this.step(id));
    if (this.stopped) await this.peerings.releaseAll(this.owner); // hand back what was claimed but not run
    return ids.length;
  }

  /** Steps with bounded concurrency; stops starting new ones once the reconciler is stopping. */
  private async inBatches<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<void> {
    const limit = this.o.concurrency ?? 8;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length && !this.stopped) await fn(items[next++]);
      }),
    );
  }

  private async tick(): Promise<void> {
    await this.runDue();
    if (Date.now() - this.lastSweep >= (this.o.sweepIntervalMs ?? 30_000)) {
      this.lastSweep = Date.now();
      const stats = await this.sweep();
      if (stats.attention > 0) this.o.log.info({ ...stats }, 'sweep');
    }
  }

  start(): void {
    if (this.timer) return;
    this.lastSweep = Date.now();
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((err: unknown) => this.o.log.error({ err }, 'reconciler tick failed'))
        .finally(() => {
          this.running = null;
        });
    }, this.o.tickMs ?? 1_000);
  }

  /** Finishes the step in flight, then hands back every lease this instance holds. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopped = true;
    await this.running;
    await Promise.allSettled([...this.inFlight]);
    await this.peerings
      .releaseAll(this.owner)
      .catch((err: unknown) => this.o.log.warn({ err }, 'could not release leases; they expire on their own'));
  }
}
