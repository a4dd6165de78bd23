/**
 * Prometheus metrics (prom-client), one registry per Peerlink instance. Peering counts are read from the
 * database at scrape time, so every instance reports the same truth whichever one is scraped.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface PeeringCount {
  provider: string;
  status: string;
  n: number;
}

export class Metrics {
  readonly registry = new Registry();
  readonly stepSeconds = new Histogram({
    name: 'peerlink_reconcile_step_seconds',
    help: 'Duration of one reconcile step (observe, decide, act, record)',
    labelNames: ['cloud', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly providerCalls = new Counter({
    name: 'peerlink_provider_calls_total',
    help: 'Calls to cloud APIs by cloud, action and outcome (ok, transient, conflict, permanent)',
    labelNames: ['cloud', 'action', 'outcome'],
    registers: [this.registry],
  });
  readonly providerCallSeconds = new Histogram({
    name: 'peerlink_provider_call_seconds',
    help: 'Latency of cloud API calls',
    labelNames: ['cloud', 'action'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [this.registry],
  });
  readonly leaseTakeovers = new Counter({
    name: 'peerlink_lease_takeovers_total',
    help: 'Peerings claimed from another instance whose lease had expired (it died or stalled mid-step)',
    registers: [this.registry],
  });
  readonly sweepSeconds = new Histogram({
    name: 'peerlink_sweep_duration_seconds',
    help: 'Duration of a batched sweep over every live peering',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly transitions = new Counter({
    name: 'peerlink_transitions_total',
    help: 'Peering status transitions',
    labelNames: ['cloud', 'to', 'reason'],
    registers: [this.registry],
  });

  constructor(countPeerings?: () => Promise<PeeringCount[]>) {
    collectDefaultMetrics({ register: this.registry, prefix: 'peerlink_' });
    new Gauge({
      name: 'peerlink_peerings',
      help: 'Peerings by cloud and status',
      labelNames: ['cloud', 'status'],
      registers: [this.registry],
      async collect() {
        if (!countPeerings) return;
        this.reset();
        for (const c of await countPeerings()) this.set({ cloud: c.provider, status: c.status }, c.n);
      },
    });
  }

  /** The pacer's queue and waits, read at scrape time. */
  watchPacing(pacer: { queued: number; waited: number; waitedMs: number }): void {
    new Gauge({
      name: 'peerlink_cloud_calls_waiting',
      help: 'Cloud calls waiting for their turn under the clouds’ rate limits, now',
      registers: [this.registry],
      collect() {
        this.set(pacer.queued);
      },
    });
    new Gauge({
      name: 'peerlink_cloud_call_waits',
      help: 'Cloud calls that waited for their turn since start (a counter, read from the pacer)',
      registers: [this.registry],
      collect() {
        this.set(pacer.waited);
      },
    });
    new Gauge({
      name: 'peerlink_cloud_call_wait_seconds',
      help: 'Seconds cloud calls spent waiting for their turn since start (a counter, read from the pacer)',
      registers: [this.registry],
      collect() {
        this.set(pacer.waitedMs / 1000);
      },
    });
  }

  /** For an adapter: record one cloud call. */
  providerCall(cloud: string, action: string, outcome: string, seconds: number): void {
    this.providerCalls.inc({ cloud, action, outcome });
    this.providerCallSeconds.observe({ cloud, action }, seconds);
  }
}
