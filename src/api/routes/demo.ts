/** Demo mode only (`peerlink demo`): the customer-cloud panel's actions, played in the simulator. */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RefusalError, refusal } from '../../core/errors.js';
import { requireOrg } from '../auth.js';
import { orgOf, type Repos } from '../context.js';
import type { DemoKit } from '../../demo/kit.js';
import * as S from '../schemas.js';

const Result = Type.Object({
  values: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
  note: Type.String(),
});

export const demoRoutes =
  (repos: Repos, kit: DemoKit): FastifyPluginAsyncTypebox =>
  async (app) => {
    const viewer = requireOrg(repos.orgs, 'viewer');
    const admin = requireOrg(repos.orgs, 'admin');
    const common = { tags: ['demo'], security: [{ apiKey: [] }], response: { 200: Result, ...S.errorResponses } };
    const failed = (err: unknown) =>
      new RefusalError(refusal('CONFLICT', { detail: `simulator: ${(err as Error).message}` }));

    app.get(
      '/v1/demo',
      {
        preHandler: viewer,
        schema: {
          tags: ['demo'],
          security: [{ apiKey: [] }],
          summary: 'Demo mode is on (the route exists only then)',
          response: { 200: Type.Object({ enabled: Type.Boolean() }) },
        },
      },
      async () => ({ enabled: true }),
    );

    app.post(
      '/v1/demo/request',
      {
        preHandler: admin,
        schema: {
          ...common,
          summary: 'As the customer: create the request, connection or CCN toward a deployment',
          body: Type.Object({ deploymentId: Type.String() }),
        },
      },
      async (req) => {
        const d = await repos.platform.getDeployment(orgOf(req).orgId, req.body.deploymentId);
        if (!d) throw new RefusalError(refusal('NOT_FOUND', { kind: 'deployment', id: req.body.deploymentId }));
        return kit
          .request({
            provider: d.provider,
            region: d.region,
            vpcId: d.vpcId,
            vpcCidr: d.vpcCidr,
            platformAccountId: d.account.accountId,
          })
          .catch((err: unknown) => {
            throw failed(err);
          });
      },
    );

    for (const action of ['approve', 'route'] as const) {
      app.post(
        `/v1/demo/${action}`,
        {
          preHandler: admin,
          schema: {
            ...common,
            summary:
              action === 'approve'
                ? 'As the customer: approve the platform’s CCN attach request'
                : 'As the customer: route the deployment CIDR through the connection',
            body: Type.Object({ peeringId: Type.String() }),
          },
        },
        async (req) => {
          const { orgId } = orgOf(req);
          const p = await repos.peerings.get(orgId, req.body.peeringId);
          if (!p) throw new RefusalError(refusal('NOT_FOUND', { kind: 'peering', id: req.body.peeringId }));
          const d = (await repos.platform.getDeployment(orgId, p.deploymentId))!;
          const dd = {
            provider: d.provider,
            region: d.region,
            vpcId: d.vpcId,
            vpcCidr: d.vpcCidr,
            platformAccountId: d.account.accountId,
          };
          return kit[action](dd, { providerPeeringId: p.providerPeeringId, customerVpcId: p.customerVpcId }).catch(
            (err: unknown) => {
              throw failed(err);
            },
          );
        },
      );
    }
  };
