/**
 * Demo mode only (`peerlink demo`): the customer-cloud panel. Each cloud offers the things a customer does in its own
 * cloud (create the request, approve, route), played in the simulator through the cloud's official SDK.
 */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RefusalError, refusal } from '../../core/errors.js';
import type { DemoPanel } from '../../demo/panel.js';
import { deploymentOf } from '../../service/deployments.js';
import { peeringOf } from '../../service/peerings.js';
import { requireOrg } from '../auth.js';
import { orgOf, serviceOf, type RouteDeps } from '../context.js';
import * as S from '../schemas.js';

const Result = Type.Object({
  values: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
  note: Type.String(),
});

const Action = Type.Object({
  key: Type.String(),
  label: Type.String(),
  stage: Type.Enum(['before-submit', 'after-submit']),
  statuses: Type.Array(S.Status, { description: 'after the submit: the peering statuses it applies to' }),
});

export const demoRoutes =
  (deps: RouteDeps, panel: DemoPanel): FastifyPluginAsyncTypebox =>
  async (app) => {
    const viewer = requireOrg('viewer');
    const admin = requireOrg('admin');
    const service = serviceOf(deps);
    const tags = ['demo'];
    const security = [{ apiKey: [] }];

    app.get(
      '/v1/demo',
      {
        onRequest: viewer,
        schema: {
          tags,
          security,
          summary: 'Demo mode is on (the route exists only then)',
          response: { 200: Type.Object({ enabled: Type.Boolean() }) },
        },
      },
      async () => ({ enabled: true }),
    );

    app.get(
      '/v1/demo/deployments/:id/actions',
      {
        onRequest: viewer,
        schema: {
          tags,
          security,
          summary: 'What the customer can do in its (simulated) cloud for this deployment, in the order it does it',
          params: S.IdParams,
          response: { 200: Type.Object({ items: Type.Array(Action) }), ...S.errorResponses },
        },
      },
      async (req) => {
        const d = await deploymentOf(service, orgOf(req).orgId, req.params.id);
        const items = panel
          .actions(d.provider)
          .map((a) => ({ ...a, label: a.label[req.locale], statuses: [...a.statuses] }));
        return { items };
      },
    );

    app.post(
      '/v1/demo/deployments/:id/actions/:key',
      {
        onRequest: admin,
        schema: {
          tags,
          security,
          summary: 'As the customer: one action in the simulated cloud (a peering for the actions after the submit)',
          params: Type.Object({ id: Type.String(), key: Type.String({ maxLength: 64 }) }),
          body: Type.Object({ peeringId: Type.Optional(Type.String()) }, { additionalProperties: false }),
          response: { 200: Result, ...S.errorResponses },
        },
      },
      async (req) => {
        const { orgId } = orgOf(req);
        const d = await deploymentOf(service, orgId, req.params.id);
        const p = req.body.peeringId ? await peeringOf(deps.repos, orgId, req.body.peeringId) : null;
        const deployment = {
          region: d.region,
          vpcId: d.vpcId,
          vpcCidr: d.vpcCidr,
          platformAccountId: d.account.accountId,
        };
        const peering = p && { providerPeeringId: p.providerPeeringId, customerVpcId: p.customerVpcId };
        try {
          return await panel.run(d.provider, req.params.key, deployment, peering);
        } catch (err) {
          const detail = `simulator: ${err instanceof Error ? err.message : String(err)}`;
          throw new RefusalError(refusal('CONFLICT', { detail }), d.provider);
        }
      },
    );
  };
