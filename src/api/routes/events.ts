/**
 * The organization's events (issue 16): listed with a cursor, and streamed live as server-sent events — filtered by
 * deployment, peering or type, and resumable with `Last-Event-ID`. The stream reads the outbox: every instance
 * serves every event, whichever instance wrote it.
 */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServerResponse } from 'node:http';
import { RefusalError, refusal } from '../../core/errors.js';
import { requireOperator, requireOrg } from '../auth.js';
import { orgOf, type Repos, type RouteDeps } from '../context.js';
import { idCursorOf } from '../cursor.js';
import * as S from '../schemas.js';
import * as N from '../notify-schemas.js';
import { renderEvent } from '../../notify/render.js';
import type { EventFilter } from '../../store/outbox.js';

/**
 * On PostgreSQL an event's transaction may commit a moment after a later-numbered one: the stream looks this far back
 * behind its cursor on every poll, and skips what it already sent.
 */
const LOOKBACK_MS = 5_000;
const POLL_MS = 250;
const HEARTBEAT_MS = 15_000;

/** The smallest id an event made at `ms` can have (ids are `ev_` and the time in base 36, then more). */
function idFloor(ms: number): string {
  return `ev_${Math.max(0, ms).toString(36).padStart(9, '0')}`;
}

function filterOf(q: { deploymentId?: string; peeringId?: string; types?: string }): EventFilter {
  const types = q.types
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return { deploymentId: q.deploymentId, peeringId: q.peeringId, types };
}

export const eventRoutes =
  (deps: RouteDeps, repos: Repos): FastifyPluginAsyncTypebox =>
  async (app) => {
    const viewer = requireOrg('viewer');
    const security = [{ apiKey: [] }];
    const streams = new Set<ServerResponse>();
    // open streams end when the server closes (they never go idle by themselves)
    app.addHook('preClose', async () => {
      for (const s of streams) s.end();
    });

    app.get(
      '/v1/events',
      {
        onRequest: viewer,
        schema: {
          tags: ['events'],
          security,
          summary: 'Your organization’s events, oldest first, a page at a time',
          querystring: Type.Object({
            ...N.EventQuery,
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
            cursor: Type.Optional(Type.String({ maxLength: 400 })),
          }),
          response: { 200: S.Page(N.NotificationEvent), ...S.errorResponses },
        },
      },
      async (req) => {
        const opts = { limit: req.query.limit ?? 100, after: idCursorOf(req.query.cursor) };
        const page = await repos.events.list(orgOf(req).orgId, filterOf(req.query), opts);
        return { items: page.items.map(renderEvent), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/v1/admin/events',
      {
        onRequest: requireOperator(),
        schema: {
          tags: ['operator'],
          security: [{ operator: [] }],
          summary:
            'Events for the operator, oldest first: the platform’s own trouble with a cloud (refused credentials, ' +
            'sustained throttling) by default; every organization’s with audience=org or all',
          querystring: Type.Object({
            audience: Type.Optional(
              Type.Union([Type.Literal('operator'), Type.Literal('org'), Type.Literal('all')], { default: 'operator' }),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
            cursor: Type.Optional(Type.String({ maxLength: 400 })),
          }),
          response: { 200: S.Page(N.NotificationEvent), ...S.errorResponses },
        },
      },
      async (req) => {
        const opts = { limit: req.query.limit ?? 100, after: idCursorOf(req.query.cursor) };
        const page = await repos.events.listAll(req.query.audience ?? 'operator', opts);
        return { items: page.items.map(renderEvent), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/v1/events/stream',
      {
        onRequest: viewer,
        schema: {
          tags: ['events'],
          security,
          summary:
            'Server-sent events: each new event as `id:`, `event:` (its type) and `data:` (the event). Resume with ' +
            '`Last-Event-ID` (or `?after=`); without it the stream starts now.',
          querystring: Type.Object({ ...N.EventQuery, after: Type.Optional(Type.String({ maxLength: 100 })) }),
          headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 100 })) }),
        },
      },
      async (req, reply) => {
        const { orgId } = orgOf(req);
        const filter = filterOf(req.query);
        const resume = req.headers['last-event-id'] ?? req.query.after;
        if (resume && !/^ev_[0-9a-z]+$/.test(resume)) {
          throw new RefusalError(refusal('VALIDATION_FAILED', { detail: 'Last-Event-ID is not an event id' }));
        }
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        res.write('retry: 2000\n\n');
        streams.add(res);
        let cursor = resume ?? idFloor(deps.clock.now().getTime());
        const floor = cursor;
        const sent = new Set<string>();
        let closed = false;
        let lastWrite = Date.now();
        const close = () => {
          closed = true;
          streams.delete(res);
        };
        req.raw.on('close', close);
        res.on('close', close);
        while (!closed) {
          const now = deps.clock.now().getTime();
          const lookback = idFloor(now - LOOKBACK_MS);
          const after = lookback < cursor && lookback > floor ? lookback : cursor;
          try {
            let page = await repos.events.list(orgId, filter, { limit: 200, after });
            for (;;) {
              for (const e of page.items) {
                if (sent.has(e.id) || closed) continue;
                sent.add(e.id);
                if (e.id > cursor) cursor = e.id;
                res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(renderEvent(e))}\n\n`);
                lastWrite = Date.now();
              }
              const last = page.items[page.items.length - 1];
              if (!page.nextCursor || !last || closed) break;
              page = await repos.events.list(orgId, filter, { limit: 200, after: last.id });
            }
          } catch (err) {
            req.log.warn({ err }, 'event stream read failed; trying again');
          }
          for (const id of sent) if (id < idFloor(now - 2 * LOOKBACK_MS)) sent.delete(id);
          if (Date.now() - lastWrite > HEARTBEAT_MS) {
            res.write(': keep-alive\n\n');
            lastWrite = Date.now();
          }
          await new Promise((r) => setTimeout(r, POLL_MS));
        }
        res.end();
      },
    );
  };
