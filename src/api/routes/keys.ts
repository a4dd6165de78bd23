/**
 * API keys: an organization's admins create (with a role and an optional expiry), list and revoke their keys; the
 * operator does the same for any organization. A key's secret is shown once, at creation; only its hash is stored.
 */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RefusalError, notFound, refusal } from '../../core/errors.js';
import type { ApiKeyInfo } from '../../store/orgs.js';
import { requireOperator, requireOrg } from '../auth.js';
import { orgOf, type Repos, type RouteDeps } from '../context.js';
import { idempotencyHook } from '../idempotency.js';
import * as S from '../schemas.js';

function present(k: ApiKeyInfo) {
  return {
    id: k.id,
    orgId: k.orgId,
    name: k.name,
    role: k.role,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    expiresAt: k.expiresAt,
    revokedAt: k.revokedAt,
  };
}

export const keyRoutes =
  (deps: RouteDeps, repos: Repos): FastifyPluginAsyncTypebox =>
  async (app) => {
    const admin = requireOrg('admin');
    const operator = requireOperator();
    const idem = idempotencyHook(repos.idempotency, deps.clock);
    const issue = async (orgId: string, body: { name: string; role: 'admin' | 'viewer'; expiresAt?: string }) => {
      const now = deps.clock.now();
      if (body.expiresAt !== undefined && !(Date.parse(body.expiresAt) > now.getTime()))
        throw new RefusalError(refusal('VALIDATION_FAILED', { detail: 'expiresAt must be a time in the future' }));
      const { key, info } = await repos.orgs.issueKey(orgId, body.name, body.role, now, body.expiresAt ?? null);
      return { ...present(info), key };
    };
    const revoke = async (orgId: string, id: string) => {
      if (!(await repos.orgs.revokeKey(orgId, id, deps.clock.now()))) throw new RefusalError(notFound('API key', id));
    };

    app.get(
      '/v1/api-keys',
      {
        onRequest: admin,
        schema: {
          tags: ['api keys'],
          security: [{ apiKey: [] }],
          summary: 'Your organization’s API keys (never their secrets)',
          response: { 200: Type.Object({ items: Type.Array(S.ApiKey) }), ...S.errorResponses },
        },
      },
      async (req) => ({ items: (await repos.orgs.listKeys(orgOf(req).orgId)).map(present) }),
    );

    app.post(
      '/v1/api-keys',
      {
        onRequest: admin,
        preHandler: idem,
        schema: {
          tags: ['api keys'],
          security: [{ apiKey: [] }],
          summary: 'Create a key for your organization; its secret is in this answer only',
          body: S.CreateKey,
          response: { 201: S.IssuedKey, ...S.errorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await issue(orgOf(req).orgId, req.body)),
    );

    app.delete(
      '/v1/api-keys/:id',
      {
        onRequest: admin,
        schema: {
          tags: ['api keys'],
          security: [{ apiKey: [] }],
          summary: 'Revoke a key: refused from the next request on',
          params: S.IdParams,
          response: { 204: Type.Null(), ...S.errorResponses },
        },
      },
      async (req, reply) => {
        await revoke(orgOf(req).orgId, req.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/admin/orgs/:id/api-keys',
      {
        onRequest: operator,
        schema: {
          tags: ['operator'],
          security: [{ operator: [] }],
          params: S.IdParams,
          response: { 200: Type.Object({ items: Type.Array(S.ApiKey) }), ...S.errorResponses },
        },
      },
      async (req) => {
        if (!(await repos.orgs.get(req.params.id))) throw new RefusalError(notFound('organization', req.params.id));
        return { items: (await repos.orgs.listKeys(req.params.id)).map(present) };
      },
    );

    app.post(
      '/v1/admin/orgs/:id/api-keys',
      {
        onRequest: operator,
        preHandler: idem,
        schema: {
          tags: ['operator'],
          security: [{ operator: [] }],
          params: S.IdParams,
          body: S.CreateKey,
          response: { 201: S.IssuedKey, ...S.errorResponses },
        },
      },
      async (req, reply) => {
        if (!(await repos.orgs.get(req.params.id))) throw new RefusalError(notFound('organization', req.params.id));
        return reply.status(201).send(await issue(req.params.id, req.body));
      },
    );

    app.delete(
      '/v1/admin/orgs/:id/api-keys/:keyId',
      {
        onRequest: operator,
        schema: {
          tags: ['operator'],
          security: [{ operator: [] }],
          params: Type.Object({ id: Type.String(), keyId: Type.String() }),
          response: { 204: Type.Null(), ...S.errorResponses },
        },
      },
      async (req, reply) => {
        await revoke(req.params.id, req.params.keyId);
        return reply.status(204).send(null);
      },
    );
  };
