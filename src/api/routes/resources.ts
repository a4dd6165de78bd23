/** Customer routes for data-integration resources, bound to the running peering that contains their address. */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RefusalError, notFound } from '../../core/errors.js';
import { createResource, deleteResource } from '../../service/resources.js';
import { cursorOf } from '../cursor.js';
import { requireOrg } from '../auth.js';
import { orgOf, serviceOf, type Repos, type RouteDeps } from '../context.js';
import { presentResource } from '../present.js';
import { idempotencyHook } from '../idempotency.js';
import * as S from '../schemas.js';

export const resourceRoutes =
  (deps: RouteDeps, repos: Repos): FastifyPluginAsyncTypebox =>
  async (app) => {
    const viewer = requireOrg('viewer');
    const admin = requireOrg('admin');
    const idem = idempotencyHook(repos.idempotency, deps.clock);
    const security = [{ apiKey: [] }];

    app.post(
      '/v1/resources',
      {
        onRequest: admin,
        preHandler: idem,
        schema: {
          tags: ['resources'],
          security,
          summary: 'Create a resource; its address must be inside a running peering’s customer CIDR',
          body: S.CreateResource,
          response: { 201: S.Resource, ...S.errorResponses },
        },
      },
      async (req, reply) => {
        const r = await createResource(serviceOf(deps), orgOf(req).orgId, req.body, deps.clock.now());
        return reply.status(201).send(presentResource(r));
      },
    );

    app.get(
      '/v1/resources',
      {
        onRequest: viewer,
        schema: {
          tags: ['resources'],
          security,
          querystring: Type.Object({
            deploymentId: Type.Optional(Type.String()),
            peeringId: Type.Optional(Type.String()),
            ...S.PageQuery,
          }),
          response: { 200: S.Page(S.Resource), ...S.errorResponses },
        },
      },
      async (req) => {
        const page = await repos.resources.list(orgOf(req).orgId, {
          deploymentId: req.query.deploymentId,
          peeringId: req.query.peeringId,
          limit: req.query.limit ?? 50,
          cursor: cursorOf(req.query.cursor),
        });
        return { items: page.items.map(presentResource), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/v1/resources/:id',
      {
        onRequest: viewer,
        schema: {
          tags: ['resources'],
          security,
          params: S.IdParams,
          response: { 200: S.Resource, ...S.errorResponses },
        },
      },
      async (req) => {
        const r = await repos.resources.get(orgOf(req).orgId, req.params.id);
        if (!r) throw new RefusalError(notFound('resource', req.params.id));
        return presentResource(r);
      },
    );

    app.delete(
      '/v1/resources/:id',
      {
        onRequest: admin,
        schema: {
          tags: ['resources'],
          security,
          params: S.IdParams,
          response: { 204: Type.Null(), ...S.errorResponses },
        },
      },
      async (req, reply) => {
        await deleteResource(serviceOf(deps), orgOf(req).orgId, req.params.id, deps.clock.now());
        return reply.status(204).send(null);
      },
    );
  };
