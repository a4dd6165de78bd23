/** Customer routes: peerings (create, list, get, events, resync, correct, retry, delete or cancel). */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RefusalError, notFound } from '../../core/errors.js';
import { isPeeringStatus } from '../../core/status.js';
import { deploymentOf, factsOf } from '../../service/deployments.js';
import { correctCidrs, deletePeering, peeringOf, resyncPeering, retryPeering } from '../../service/peerings.js';
import { submitPeering } from '../../service/submit.js';
import { cursorOf, idCursorOf } from '../cursor.js';
import { requireOrg } from '../auth.js';
import { orgOf, serviceOf, type Repos, type RouteDeps } from '../context.js';
import { presentEvent, presentPeering } from '../present.js';
import * as S from '../schemas.js';
import { idempotencyHook } from '../idempotency.js';
import { PresentedPeerings } from '../presented.js';

export const peeringRoutes =
  (deps: RouteDeps, repos: Repos): FastifyPluginAsyncTypebox =>
  async (app) => {
    const viewer = requireOrg('viewer');
    const admin = requireOrg('admin');
    // commands that make Peerlink call a cloud count against the organization's budget
    const adminSpendingCloud = [admin, deps.limiters.cloudBudget];
    const idem = idempotencyHook(repos.idempotency, deps.clock);
    const service = serviceOf(deps);
    const security = [{ apiKey: [] }];
    const presented = new PresentedPeerings(repos.peerings);

    app.post(
      '/v1/peerings',
      {
        onRequest: adminSpendingCloud,
        preHandler: idem,
        schema: {
          tags: ['peerings'],
          security,
          summary: 'Submit what the customer’s cloud gave back; verified, then accepted and routed',
          body: S.CreatePeering,
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
          response: { 201: S.Peering, ...S.errorResponses },
        },
      },
      async (req, reply) => {
        const { orgId, actor } = orgOf(req);
        const { deploymentId, ...values } = req.body;
        const { peering: p, seen } = await submitPeering(
          service,
          orgId,
          actor,
          { deploymentId, values },
          deps.clock.now(),
        );
        deps.kick(p.id, seen);
        return reply.status(201).header('location', `/v1/peerings/${p.id}`).send(presentPeering(p, req.locale));
      },
    );

    app.get(
      '/v1/peerings',
      {
        onRequest: viewer,
        schema: {
          tags: ['peerings'],
          security,
          querystring: Type.Object({
            deploymentId: Type.Optional(Type.String()),
            status: Type.Optional(S.Status),
            ...S.PageQuery,
          }),
          response: { 200: S.Page(S.Peering), ...S.errorResponses },
        },
      },
      async (req, reply) => {
        const query = {
          deploymentId: req.query.deploymentId,
          // validated against the enum at the edge; narrowed here for the type checker
          status: isPeeringStatus(req.query.status) ? req.query.status : undefined,
          limit: req.query.limit ?? 50,
          cursor: cursorOf(req.query.cursor),
        };
        // already JSON (each peering serialized by this route's schema when it last changed): Fastify sends a string
        // as it is; the type provider only knows the object form, hence `never`
        const body = await presented.page(orgOf(req).orgId, query, req.locale);
        return reply.type('application/json; charset=utf-8').send(body as never);
      },
    );

    app.get(
      '/v1/peerings/:id',
      {
        onRequest: viewer,
        schema: {
          tags: ['peerings'],
          security,
          params: S.IdParams,
          response: { 200: S.PeeringDetail, ...S.errorResponses },
        },
      },
      async (req, reply) => {
        const { orgId } = orgOf(req);
        const locale = req.locale;
        const body = await presented.detail(orgId, req.params.id, locale, async (p) => {
          const d = await deploymentOf(service, orgId, p.deploymentId);
          const cloud = deps.clouds.descriptor(d.provider);
          const peering = {
            providerPeeringId: p.providerPeeringId,
            customerVpcId: p.customerVpcId,
            customerAccountId: p.customerAccountId,
          };
          return {
            ...presentPeering(p, locale),
            customerSide: {
              routeNeeded: cloud.capabilities.routes !== 'propagated',
              routeDestination: d.vpcCidr,
              securityGroupSource: d.vpcCidr,
              connectTo: d.privateEndpoint,
              guidance: cloud.guidance(factsOf(d, cloud), peering, locale),
            },
          };
        });
        if (body === undefined) throw new RefusalError(notFound('peering', req.params.id));
        // already JSON, serialized by this route's schema (see the list above)
        return reply.type('application/json; charset=utf-8').send(body as never);
      },
    );

    app.get(
      '/v1/peerings/:id/events',
      {
        onRequest: viewer,
        schema: {
          tags: ['peerings'],
          security,
          summary: 'The peering’s history: who, when, why — oldest first, a page at a time',
          params: S.IdParams,
          querystring: Type.Object({
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })),
            cursor: Type.Optional(Type.String({ maxLength: 400 })),
          }),
          response: { 200: S.Page(S.Event), ...S.errorResponses },
        },
      },
      async (req) => {
        const { orgId } = orgOf(req);
        const p = await peeringOf(deps.repos, orgId, req.params.id);
        const opts = { limit: req.query.limit ?? 200, after: idCursorOf(req.query.cursor) };
        const page = await repos.peerings.events(orgId, p.id, opts);
        return { items: page.items.map((e) => presentEvent(e, req.locale, p.provider)), nextCursor: page.nextCursor };
      },
    );

    app.post(
      '/v1/peerings/:id/resync',
      {
        onRequest: adminSpendingCloud,
        schema: {
          tags: ['peerings'],
          security,
          summary: 'Look at the cloud now instead of at the next scheduled check',
          params: S.IdParams,
          response: { 202: S.Peering, ...S.errorResponses },
        },
      },
      async (req, reply) => {
        const { orgId, actor } = orgOf(req);
        const p = await resyncPeering(service, orgId, actor, req.params.id, deps.clock.now());
        deps.kick(p.id);
        return reply.status(202).send(presentPeering(p, req.locale));
      },
    );

    app.patch(
      '/v1/peerings/:id',
      {
        onRequest: admin,
        schema: {
          tags: ['peerings'],
          security,
          summary: 'Correct the customer CIDRs you typed (clouds that do not report them); the platform routes follow',
          params: S.IdParams,
          body: S.UpdatePeering,
          response: { 200: S.Peering, ...S.errorResponses },
        },
      },
      async (req) => {
        const { orgId, actor } = orgOf(req);
        const p = await correctCidrs(service, orgId, actor, req.params.id, req.body.customerCidrs, deps.clock.now());
        deps.kick(p.id);
        return presentPeering(p, req.locale);
      },
    );

    app.post(
      '/v1/peerings/:id/retry',
      {
        onRequest: adminSpendingCloud,
        preHandler: idem,
        schema: {
          tags: ['peerings'],
          security,
          summary:
            'Retry a failed peering: a new request from the platform (a new approval window), or a new search ' +
            'for the customer’s connection',
          params: S.IdParams,
          response: { 202: S.Peering, ...S.errorResponses },
        },
      },
      async (req, reply) => {
        const { orgId, actor } = orgOf(req);
        const p = await retryPeering(service, orgId, actor, req.params.id, deps.clock.now());
        deps.kick(p.id);
        return reply.status(202).send(presentPeering(p, req.locale));
      },
    );

    app.delete(
      '/v1/peerings/:id',
      {
        onRequest: admin,
        schema: {
          tags: ['peerings'],
          security,
          summary:
            'Delete (routes first, then the connection), or cancel one still in flight (the platform withdraws ' +
            'its side). Refused while resources are bound.',
          params: S.IdParams,
          response: { 202: S.Peering, ...S.errorResponses },
        },
      },
      async (req, reply) => {
        const { orgId, actor } = orgOf(req);
        const p = await deletePeering(service, orgId, actor, req.params.id, deps.clock.now());
        deps.kick(p.id);
        return reply.status(202).send(presentPeering(p, req.locale));
      },
    );
  };
