/**
 * Webhooks and e-mail contacts (issue 16): an organization's admins create, list, update, disable, delete and rotate
 * webhooks (the secret shown once), read each webhook's delivery log and redeliver an event; contacts receive the
 * events that ask for action by e-mail, in their language.
 */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RefusalError, notFound, refusal } from '../../core/errors.js';
import { isEventType } from '../../core/notifications.js';
import { refusedUrl } from '../../notify/ssrf.js';
import type { Webhook } from '../../store/webhooks.js';
import { requireOrg } from '../auth.js';
import { orgOf, type Repos, type RouteDeps } from '../context.js';
import { idCursorOf } from '../cursor.js';
import * as S from '../schemas.js';
import * as N from '../notify-schemas.js';

function present(w: Webhook) {
  return {
    id: w.id,
    url: w.url,
    description: w.description,
    eventTypes: w.eventTypes,
    enabled: w.enabled,
    disabledReason: w.disabledReason,
    failingSince: w.failingSince,
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
  };
}

export const webhookRoutes =
  (deps: RouteDeps, repos: Repos): FastifyPluginAsyncTypebox =>
  async (app) => {
    const admin = requireOrg('admin');
    const security = [{ apiKey: [] }];
    const policy = deps.webhookTargets ?? { allowPrivate: false };
    const checkUrl = (url: string) => {
      const why = refusedUrl(url, policy);
      if (why) throw new RefusalError(refusal('WEBHOOK_URL_REFUSED', { url, why }));
    };
    const checkTypes = (types: string[] | undefined) => {
      const bad = types?.find((t) => !isEventType(t));
      if (bad) throw new RefusalError(refusal('VALIDATION_FAILED', { detail: `unknown event type ${bad}` }));
    };
    const found = async (orgId: string, id: string) => {
      const w = await repos.webhooks.get(orgId, id);
      if (!w) throw new RefusalError(notFound('webhook', id));
      return w;
    };

    app.post(
      '/v1/webhooks',
      {
        onRequest: admin,
        schema: {
          tags: ['webhooks'],
          security,
          summary: 'Create a webhook; its signing secret is in the answer, and only there',
          body: N.CreateWebhook,
          response: { 201: N.WebhookWithSecret, ...S.errorResponses },
        },
      },
      async (req, reply) => {
        checkUrl(req.body.url);
        checkTypes(req.body.eventTypes);
        const input = {
          orgId: orgOf(req).orgId,
          url: req.body.url,
          description: req.body.description ?? '',
          eventTypes: req.body.eventTypes ?? [],
        };
        const { webhook, secret } = await repos.webhooks.create(input, deps.clock.now());
        return reply.status(201).send({ webhook: present(webhook), secret });
      },
    );

    app.get(
      '/v1/webhooks',
      {
        onRequest: admin,
        schema: {
          tags: ['webhooks'],
          security,
          response: { 200: Type.Object({ items: Type.Array(N.Webhook) }), ...S.errorResponses },
        },
      },
      async (req) => ({ items: (await repos.webhooks.list(orgOf(req).orgId)).map(present) }),
    );

    app.get(
      '/v1/webhooks/:id',
      {
        onRequest: admin,
        schema: { tags: ['webhooks'], security, params: S.IdParams, response: { 200: N.Webhook, ...S.errorResponses } },
      },
      async (req) => present(await found(orgOf(req).orgId, req.params.id)),
    );

    app.patch(
      '/v1/webhooks/:id',
      {
        onRequest: admin,
        schema: {
          tags: ['webhooks'],
          security,
          summary: 'Change the URL, description or event types; `enabled` disables it or enables it again',
          params: S.IdParams,
          body: N.UpdateWebhook,
          response: { 200: N.Webhook, ...S.errorResponses },
        },
      },
      async (req) => {
        if (req.body.url !== undefined) checkUrl(req.body.url);
        checkTypes(req.body.eventTypes);
        const w = await repos.webhooks.update(orgOf(req).orgId, req.params.id, req.body, deps.clock.now());
        if (!w) throw new RefusalError(notFound('webhook', req.params.id));
        return present(w);
      },
    );

    app.delete(
      '/v1/webhooks/:id',
      {
        onRequest: admin,
        schema: {
          tags: ['webhooks'],
          security,
          params: S.IdParams,
          response: { 204: Type.Null(), ...S.errorResponses },
        },
      },
      async (req, reply) => {
        if (!(await repos.webhooks.delete(orgOf(req).orgId, req.params.id))) {
          throw new RefusalError(notFound('webhook', req.params.id));
        }
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/v1/webhooks/:id/rotate-secret',
      {
        onRequest: admin,
        schema: {
          tags: ['webhooks'],
          security,
          summary: 'A new signing secret, shown once; the old one stops signing at once',
          params: S.IdParams,
          response: { 200: Type.Object({ secret: Type.String() }), ...S.errorResponses },
        },
      },
      async (req) => {
        const secret = await repos.webhooks.rotate(orgOf(req).orgId, req.params.id, deps.clock.now());
        if (!secret) throw new RefusalError(notFound('webhook', req.params.id));
        return { secret };
      },
    );

    app.get(
      '/v1/webhooks/:id/deliveries',
      {
        onRequest: admin,
        schema: {
          tags: ['webhooks'],
          security,
          summary: 'The delivery log: every attempt, oldest first, with its status, latency and the answer’s start',
          params: S.IdParams,
          querystring: Type.Object({
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
            cursor: Type.Optional(Type.String({ maxLength: 400 })),
          }),
          response: { 200: S.Page(N.DeliveryAttempt), ...S.errorResponses },
        },
      },
      async (req) => {
        const w = await found(orgOf(req).orgId, req.params.id);
        return repos.deliveries.log(w.id, { limit: req.query.limit ?? 100, after: idCursorOf(req.query.cursor) });
      },
    );

    app.post(
      '/v1/webhooks/:id/redeliver',
      {
        onRequest: admin,
        schema: {
          tags: ['webhooks'],
          security,
          summary: 'Send an event to this webhook again (same `webhook-id`), now',
          params: S.IdParams,
          body: Type.Object(
            { eventId: Type.String({ minLength: 1, maxLength: 100 }) },
            { additionalProperties: false },
          ),
          response: { 202: Type.Object({ eventId: Type.String() }), ...S.errorResponses },
        },
      },
      async (req, reply) => {
        const { orgId } = orgOf(req);
        const w = await found(orgId, req.params.id);
        const o = { orgId, webhookId: w.id, eventId: req.body.eventId, now: deps.clock.now() };
        if (!(await repos.deliveries.redeliver(o))) throw new RefusalError(notFound('event', req.body.eventId));
        return reply.status(202).send({ eventId: req.body.eventId });
      },
    );

    app.post(
      '/v1/notification-contacts',
      {
        onRequest: admin,
        schema: {
          tags: ['webhooks'],
          security,
          summary: 'An e-mail address that receives action-required and deadline events, in its language',
          body: N.CreateContact,
          response: { 201: N.Contact, ...S.errorResponses },
        },
      },
      async (req, reply) => {
        const input = { orgId: orgOf(req).orgId, email: req.body.email, locale: req.body.locale ?? req.locale };
        const c = await repos.webhooks.addContact(input, deps.clock.now());
        return reply.status(201).send({ id: c.id, email: c.email, locale: c.locale, createdAt: c.createdAt });
      },
    );

    app.get(
      '/v1/notification-contacts',
      {
        onRequest: admin,
        schema: {
          tags: ['webhooks'],
          security,
          response: { 200: Type.Object({ items: Type.Array(N.Contact) }), ...S.errorResponses },
        },
      },
      async (req) => ({ items: await repos.webhooks.contacts(orgOf(req).orgId) }),
    );

    app.delete(
      '/v1/notification-contacts/:id',
      {
        onRequest: admin,
        schema: {
          tags: ['webhooks'],
          security,
          params: S.IdParams,
          response: { 204: Type.Null(), ...S.errorResponses },
        },
      },
      async (req, reply) => {
        if (!(await repos.webhooks.removeContact(orgOf(req).orgId, req.params.id))) {
          throw new RefusalError(notFound('contact', req.params.id));
        }
        return reply.status(204).send(null);
      },
    );
  };
