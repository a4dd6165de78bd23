/**
 * The Fastify application: hardening (headers, timeouts, NUL), error model, locale, who is calling, request limits,
 * the audit log, the OpenAPI document and docs page, and every route.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { RefusalError, refusal } from '../core/errors.js';
import { randomUUID } from 'node:crypto';
import { registerAudit } from './audit.js';
import { schemaCompilers } from './compilers.js';
import { identify } from './auth.js';
import { registerErrors, localeOf } from './errors.js';
import { registerHardening, serverTimeouts } from './hardening.js';
import { registerIdempotencyCompletion } from './idempotency.js';
import { registerLimits, type ApiLimits } from './limits.js';
import type { AppDeps, RouteDeps } from './context.js';
import { auditRoutes } from './routes/audit.js';
import { keyRoutes } from './routes/keys.js';
import { deploymentRoutes } from './routes/deployments.js';
import { eventRoutes } from './routes/events.js';
import { webhookRoutes } from './routes/webhooks.js';
import { peeringRoutes } from './routes/peerings.js';
import { resourceRoutes } from './routes/resources.js';
import { adminRoutes } from './routes/admin.js';
import { demoRoutes } from './routes/demo.js';
import { cloudRoutes } from './routes/clouds.js';

/** Generous enough for any person or script; tight enough that one tenant cannot starve another. */
export const defaultLimits: ApiLimits = {
  perKey: 600,
  perOrg: 1_200,
  anonymous: 120,
  cloudBudget: 60,
  authFailures: 20,
};

export async function buildApp(deps: AppDeps, logger: FastifyBaseLogger | boolean = false): Promise<FastifyInstance> {
  const app = Fastify({
    ...(typeof logger === 'object' ? { loggerInstance: logger } : { logger }),
    bodyLimit: 64 * 1024,
    ...serverTimeouts(deps.timeouts ?? { requestMs: 30_000, headersMs: 10_000 }),
    // Request ids: the caller's X-Request-Id when it sends a sane one, else ours; logged with every line.
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    schemaController: { compilersFactory: schemaCompilers(deps.schemas ?? 'lazy') },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  const repos = deps.repos;

  app.decorateRequest('caller', null);
  app.decorateRequest('locale', 'en');
  await registerHardening(app);
  app.addHook('onRequest', async (req) => {
    req.locale = localeOf(req);
  });
  // who is calling, then the caller's limits — before any body is read or any schema applied
  const counters = deps.store.engine === 'postgres' ? repos.rateCounters : null;
  const limiters = await registerLimits(app, deps.limits ?? defaultLimits, counters);
  const who = { orgs: repos.orgs, operatorToken: deps.operatorToken, metricsToken: deps.metricsToken };
  app.addHook('onRequest', identify({ ...who, clock: deps.clock, limits: limiters }));
  app.addHook('onRequest', limiters.requests);
  registerAudit(app, repos.audit, deps.clock);
  const routeDeps: RouteDeps = { ...deps, limiters };
  // The server's clock on every answer: the console counts approval deadlines down against it, not the browser's.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-peerlink-time', deps.clock.now().toISOString());
  });
  registerErrors(app);
  registerIdempotencyCompletion(app, repos.idempotency);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Peerlink API',
        version: '1',
        description:
          'VPC peering between customer VPCs and the VPCs of their deployments. Errors are `{code, message, ' +
          'details}`; send `Accept-Language: zh-CN` for Chinese messages and `Idempotency-Key` on any POST to ' +
          'make it safe to retry.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'an organization API key: plk_key_….<secret>' },
          operator: {
            type: 'http',
            scheme: 'bearer',
            description: 'the operator credential (PEERLINK_OPERATOR_TOKEN)',
          },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok', instance: deps.instance ?? null }));
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-request-id', req.id);
    return payload;
  });
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(deps.store.db);
      const pending = await deps.store.pending();
      if (pending.length > 0)
        return reply.status(503).send({ status: 'not ready', database: 'ok', pendingMigrations: pending });
      return { status: 'ready', database: 'ok', migrations: 'current' };
    } catch (err) {
      return reply.status(503).send({ status: 'not ready', database: String((err as Error).message) });
    }
  });
  // the operator credential, or the one for metrics only (Prometheus)
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (req.caller?.kind !== 'operator' && req.caller?.kind !== 'metrics')
      throw new RefusalError(refusal('UNAUTHENTICATED'));
    if (!deps.metrics) return reply.status(404).send();
    return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  // The web console (built by `npm run build` into dist/console), same origin as the API it speaks to.
  const consoleDir = deps.consoleDir && existsSync(join(deps.consoleDir, 'index.html')) ? deps.consoleDir : null;
  const consoleBuilt = consoleDir !== null;
  if (consoleDir) {
    await app.register(fastifyStatic, {
      root: consoleDir,
      prefix: '/console/',
      decorateReply: false,
      index: 'index.html',
      cacheControl: true,
      maxAge: 0,
    });
    app.get('/console', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/console/'));
  }
  app.get('/', { schema: { hide: true } }, async (_req, reply) =>
    consoleBuilt
      ? reply.redirect('/console/')
      : reply
          .type('text/html; charset=utf-8')
          .send(
            `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Peerlink</title></head><body ` +
              `style="font-family:system-ui;max-width:40rem;margin:3rem auto">` +
              `<h1>Peerlink</h1><p>VPC peering control plane.</p><ul><li><a href="/docs">API reference ` +
              `(interactive)</a></li><li><a href="/openapi.json">OpenAPI 3 document</a></li><li><a ` +
              `href="/healthz">/healthz</a> · <a href="/readyz">/readyz</a></li></ul></body></html>`,
          ),
  );

  await app.register(cloudRoutes(routeDeps));
  await app.register(deploymentRoutes(routeDeps, repos));
  await app.register(peeringRoutes(routeDeps, repos));
  await app.register(resourceRoutes(routeDeps, repos));
  await app.register(keyRoutes(routeDeps, repos));
  await app.register(auditRoutes(repos));
  await app.register(eventRoutes(routeDeps, repos));
  await app.register(webhookRoutes(routeDeps, repos));
  await app.register(adminRoutes(routeDeps, repos));
  if (deps.demo) await app.register(demoRoutes(routeDeps, deps.demo));
  return app;
}
