/** The clouds this Peerlink knows, as the console and the CLI need them: names, labels, how their connections work. */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireOrg } from '../auth.js';
import type { RouteDeps } from '../context.js';
import * as S from '../schemas.js';

export const cloudRoutes =
  (deps: RouteDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/clouds',
      {
        onRequest: requireOrg('viewer'),
        schema: {
          tags: ['deployments'],
          security: [{ apiKey: [] }],
          summary: 'The clouds peerings can be made on, and how each one’s connections work',
          response: { 200: Type.Object({ items: Type.Array(S.Cloud) }) },
        },
      },
      async (req) => ({
        items: deps.clouds.all().map((c) => ({
          name: c.name,
          label: c.label[req.locale],
          capabilities: c.capabilities,
        })),
      }),
    );
  };
