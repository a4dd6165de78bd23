/** Assembles a running Peerlink: store, clouds, reconciler and HTTP API, from a validated configuration. */
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './api/app.js';
import { rulesOf, type Config } from './config.js';
import { openStore, type Store } from './store/db.js';
import { Reconciler } from './reconciler/reconciler.js';
import { awsCloud } from './clouds/aws/index.js';
import type { CloudModule, ProviderName } from './clouds/provider.js';
import { systemClock, type Clock } from './clouds/sim/clock.js';

export interface Peerlink {
  app: FastifyInstance;
  store: Store;
  reconciler: Reconciler;
  log: Logger;
  /** the URL the API listens on, once listening */
  url?: string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export function defaultClouds(): Partial<Record<ProviderName, CloudModule>> {
  return { aws: awsCloud() };
}

export async function createPeerlink(config: Config, opts: { clock?: Clock; clouds?: Partial<Record<ProviderName, CloudModule>>; log?: Logger; startReconciler?: boolean } = {}): Promise<Peerlink> {
  const log = opts.log ?? pino({ level: config.logLevel });
  const store = await openStore(config.database);
  const clock = opts.clock ?? systemClock;
  const clouds = opts.clouds ?? defaultClouds();
  const rules = rulesOf(config);
  const reconciler = new Reconciler({ store, clouds, clock, rules, log, tickMs: config.tickMs, sweepIntervalMs: config.sweepIntervalMs, leaseMs: config.leaseMs });
  const app = await buildApp({ store, clouds, rules, clock, operatorToken: config.operatorToken, kick: (id) => void reconciler.kick(id) }, log.child({ component: 'api' }));
  if (opts.startReconciler !== false) reconciler.start();
  const peerlink: Peerlink = {
    app,
    store,
    reconciler,
    log,
    async listen() {
      await app.listen({ host: config.host, port: config.port });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.port;
      peerlink.url = `http://${config.host}:${port}`;
      return peerlink.url;
    },
    async close() {
      await app.close();
      await reconciler.stop();
      await store.close();
    },
  };
  return peerlink;
}
