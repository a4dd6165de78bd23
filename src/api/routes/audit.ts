/** The audit log, read: an organization's admins read their organization's, the operator reads everyone's. */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireOperator, requireOrg } from '../auth.js';
import { orgOf, type Repos } from '../context.js';
import { idCursorOf } from '../cursor.js';
import * as S from '../schemas.js';

const Query = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 400 })),
});

export const auditRoutes =
  (repos: Repos): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/audit-log',
      {
        onRequest: requireOrg('admin'),
        schema: {
          tags: ['audit'],
          security: [{ apiKey: [] }],
          summary: 'Every change made in your organization: who, when, what, from where, and the answer',
          querystring: Query,
          response: { 200: S.Page(S.AuditEntry), ...S.errorResponses },
        },
      },
      async (req) => {
        const opts = { limit: req.query.limit ?? 100, after: idCursorOf(req.query.cursor) };
        return repos.audit.list(orgOf(req).orgId, opts);
      },
    );

    app.get(
      '/v1/admin/audit-log',
      {
        onRequest: requireOperator(),
        schema: {
          tags: ['operator'],
          security: [{ operator: [] }],
          summary: 'Every change made through this Peerlink',
          querystring: Query,
          response: { 200: S.Page(S.AuditEntry), ...S.errorResponses },
        },
      },
      async (req) => repos.audit.list(null, { limit: req.query.limit ?? 100, after: idCursorOf(req.query.cursor) }),
    );
  };
