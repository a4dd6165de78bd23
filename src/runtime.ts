/** Assembles a running Peerlink: store, clouds, reconciler and HTTP API, from a validated configuration. */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { buildApp } from './api/app.js';
import { systemClock, type Clock } from './core/clock.js';
import type { Seen } from './core/observation.js';
import { CloudCatalog } from './clouds/catalog.js';
import { Pacer } from './clouds/pacer.js';
import { PlatformWatch, defaultWatch } from './notify/platform-watch.js';
import type { RateLimits } from './clouds/rate-limits.js';
import type { AnyCloud, CloudAdapter, PlatformTarget, ProviderError } from './clouds/provider.js';
import { cloudOf, type ProviderName } from './clouds/registry.js';
import { rulesOf, secretsOf, type Config } from './config.js';
import type { DemoPanel } from './demo/panel.js';
import { Metrics } from './metrics.js';
import { Deliverer } from './notify/deliverer.js';
import { smtpMailer, type Mailer } from './notify/mail.js';
import { Reconciler } from './reconciler/loop.js';
import { RefusalMemo } from './service/context.js';
import { openStore, type Store } from './store/db.js';
import { reposOf, type Repos } from './store/repos.js';

export interface Peerlink {
  app: FastifyInstance;
  store: Store;
  reconciler: Reconciler;
  /** sends the outbox's events to webhooks and e-mail contacts (issue 16) */
  deliverer: Deliverer;
  metrics: Metrics;
  log: Logger;
  clouds: CloudCatalog;
  /** the URL the API listens on, once listening */
  url?: string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Secrets never reach a log line: credentials in bodies, keys in headers. */
export const logRedaction = [
  'req.headers.authorization',
  'headers.authorization',
  '*.credentials',
  '*.secretAccessKey',
  '*.operatorToken',
  'err.config.credentials',
];

/**
 * The built console (`npm run build` writes dist/console): beside the compiled server (a file in dist/server/), or
 * under the project when running from source (src/runtime.ts, tests).
 */
export const consoleDir =
  [new URL('../console/', import.meta.url), new URL('../dist/console/', import.meta.url)]
    .map((u) => fileURLToPath(u))
    .find((dir) => existsSync(join(dir, 'index.html'))) ?? fileURLToPath(new URL('../dist/console/', import.meta.url));

export interface PeerlinkOptions {
  clock?: Clock;
  /** adapters to use instead of the clouds' own (tests) */
  adapters?: Partial<Record<ProviderName, CloudAdapter>>;
  log?: Logger;
  startReconciler?: boolean;
  demo?: DemoPanel;
  /** route schemas compiled on first use (the default) or all at start (tests: a broken schema fails at once) */
  schemas?: 'lazy' | 'eager';
  /** limits to pace by instead of the clouds' documented ones (tests: tighter, so pacing shows on a slow machine) */
  rateLimits?: (cloud: string) => RateLimits | undefined;
  /** where e-mail goes instead of the configured SMTP server (the demo's mailbox) */
  mailer?: Mailer;
}

export async function createPeerlink(config: Config, opts: PeerlinkOptions = {}): Promise<Peerlink> {
  const log = opts.log ?? pino({ level: config.logLevel, redact: { paths: logRedaction, censor: '[redacted]' } });
  // this instance's name: its leases' owner, and its PostgreSQL sessions' (instances count each other by it)
  const instance = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const store = await openStore(config.database, {
    instance,
    secrets: secretsOf(config),
    poolSize: config.poolSize,
    onConnectionError: (err) => log.warn({ err: err.message }, 'database connection dropped; the pool replaces it'),
  });
  const clock = opts.clock ?? systemClock;
  const repos = reposOf(store);
  // what is stored plain (from before encryption) is encrypted, and what an older key wraps is re-wrapped
  const sealed = await repos.platform.sealAll();
  if (sealed.encrypted + sealed.rewrapped > 0) log.info({ ...sealed }, 'platform secrets sealed with the active key');
  const metrics = new Metrics(() => repos.peerings.countByProviderAndStatus());
  // every cloud call waits its turn under the cloud's documented limits, fairly between organizations
  const pacer = new Pacer(opts.rateLimits ?? ((cloud) => cloudOf(cloud)?.rateLimits));
  metrics.watchPacing(pacer);
  // the platform's own trouble with a cloud (refused credentials, sustained throttling) is told to the operator
  const watch = new PlatformWatch(store.db, () => clock.now(), log.child({ component: 'platform-watch' }), {
    ...defaultWatch,
    throttledInWindow: config.throttleAlarmCount,
  });
  const onCall = (cloud: string) => {
    const paced = config.paceCloudCalls ? pacer.for(cloud) : null;
    const descriptor: AnyCloud | undefined = cloudOf(cloud);
    return {
      onCall: (action: string, outcome: string, s: number) => metrics.providerCall(cloud, action, outcome, s),
      pace: {
        before: (operation: string, target: PlatformTarget) => paced?.before(operation, target) ?? Promise.resolve(),
        after: (operation: string, target: PlatformTarget, error: ProviderError | null) => {
          paced?.after(operation, target, error);
          if (descriptor) watch.heard(descriptor, target, operation, error);
        },
      },
    };
  };
  const clouds = new CloudCatalog(onCall, opts.adapters);
  const rules = rulesOf(config);
  const reconciler = new Reconciler({
    store,
    clouds,
    clock,
    rules,
    log: log.child({ component: 'reconciler' }),
    owner: instance,
    metrics,
    tickMs: config.tickMs,
    sweepIntervalMs: config.sweepIntervalMs,
    leaseMs: config.leaseMs,
  });
  const webhookTargets = { allowPrivate: config.webhookAllowPrivateTargets };
  const mailer = opts.mailer ?? (config.smtpUrl ? smtpMailer({ url: config.smtpUrl, from: config.smtpFrom }) : null);
  const deliverer = new Deliverer({
    store,
    clock,
    owner: instance,
    tickMs: config.tickMs,
    leaseMs: config.leaseMs,
    policy: webhookTargets,
    retryWindowMs: config.webhookRetryMinutes * 60_000,
    timeoutMs: config.webhookTimeoutMs,
    mailer,
    log: log.child({ component: 'deliverer' }),
  });
  // A submit or delete is driven at once here, and announced to every other instance (PostgreSQL NOTIFY).
  const kick = (id: string, known?: Seen) => {
    void reconciler.kick(id, known);
    store
      .notify(`${reconciler.owner} ${id}`)
      .catch((err: unknown) => log.warn({ err }, 'notify failed; the due pass picks the peering up'));
  };
  const app = await buildApp(
    {
      store,
      repos,
      clouds,
      rules,
      clock,
      metrics,
      operatorToken: config.operatorToken,
      metricsToken: config.metricsToken,
      limits: {
        perKey: config.rateLimitPerKey,
        perOrg: config.rateLimitPerOrg,
        anonymous: config.rateLimitAnonymous,
        cloudBudget: config.cloudBudgetPerOrg,
        authFailures: config.authFailuresPerMinute,
      },
      timeouts: { requestMs: config.requestTimeoutMs, headersMs: config.headersTimeoutMs },
      resyncCooldownMs: config.resyncCooldownSeconds * 1000,
      refusals: new RefusalMemo(),
      kick,
      instance: reconciler.owner,
      demo: opts.demo,
      consoleDir,
      schemas: opts.schemas,
      webhookTargets,
    },
    log.child({ component: 'api' }),
  );
  // Our own announcements come back too: those are already being driven here.
  const unlisten = await store.listen((payload) => {
    const [sender, id] = payload.split(' ');
    if (id && sender !== reconciler.owner) void reconciler.kick(id);
  });
  if (opts.startReconciler !== false) {
    reconciler.start();
    deliverer.start();
  }
  const maintenance = startMaintenance(repos, clock, config, log);
  const sharing = shareLimits(store, pacer, log);
  const peerlink: Peerlink = {
    app,
    store,
    reconciler,
    deliverer,
    metrics,
    log,
    clouds,
    async listen() {
      await app.listen({ host: config.host, port: config.port });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.port;
      peerlink.url = `http://${config.host}:${port}`;
      // Each cloud with a platform account has its SDK loaded now, in the background, rather than by the first step
      // or request that needs it: an instance's memory at rest is then what it holds with its clouds in use.
      void repos.platform
        .listAccounts()
        .then((accounts) => Promise.all([...new Set(accounts.map((a) => a.provider))].map((c) => clouds.adapter(c))))
        .catch((err: unknown) => log.warn({ err }, 'a cloud SDK could not be loaded ahead; its first call loads it'));
      return peerlink.url;
    },
    /** Stops taking requests, finishes the step in flight, hands back leases, closes the database. */
    async close() {
      const t = Date.now();
      // Requests in flight finish; a keep-alive connection that was busy at close time is closed as soon as it
      // goes idle (otherwise the server waits out the 72 s keep-alive timeout).
      const drain = setInterval(() => app.server.closeIdleConnections(), 50);
      await app.close().finally(() => clearInterval(drain));
      log.info({ ms: Date.now() - t }, 'shutdown: API closed');
      await unlisten();
      clearInterval(maintenance);
      clearInterval(sharing);
      await reconciler.stop();
      await deliverer.stop();
      mailer?.close();
      log.info({ ms: Date.now() - t }, 'shutdown: reconciler stopped, leases released');
      await store.close();
    },
  };
  return peerlink;
}

/** Several instances on one database pace 1/n of each cloud limit each: n is counted every few seconds. */
function shareLimits(store: Store, pacer: Pacer, log: Logger): NodeJS.Timeout {
  const count = () =>
    store
      .instances()
      .then((n) => pacer.setInstances(n))
      .catch((err: unknown) => log.warn({ err }, 'could not count the instances sharing the database'));
  void count();
  const timer = setInterval(() => void count(), 5_000);
  timer.unref();
  return timer;
}

/**
 * Housekeeping, every ten minutes on every instance (the deletes are idempotent): audit entries past their retention,
 * idempotency keys past their lifetime, rate-limit windows long ended, notifications past theirs.
 */
function startMaintenance(repos: Repos, clock: Clock, config: Config, log: Logger): NodeJS.Timeout {
  const run = async () => {
    const now = clock.now();
    const days = (n: number) => new Date(now.getTime() - n * 24 * 3_600_000);
    const audit = await repos.audit.purge(days(config.auditRetentionDays));
    const keys = await repos.idempotency.purge(now);
    const windows = await repos.rateCounters.purge(Date.now() - 3_600_000);
    const notifications = await repos.events.purge(days(config.eventRetentionDays));
    const purged = audit + keys + windows + notifications.events + notifications.deliveries + notifications.attempts;
    if (purged > 0) log.info({ audit, keys, windows, ...notifications }, 'maintenance: purged');
  };
  const timer = setInterval(() => {
    run().catch((err: unknown) => log.warn({ err }, 'maintenance failed; it runs again later'));
  }, 10 * 60_000);
  timer.unref();
  return timer;
}
