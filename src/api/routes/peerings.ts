/** Customer routes: a deployment's peering facts, and peerings (create, list, get, events, delete). */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RefusalError, refusal } from '../../core/errors.js';
import { checkPlan } from '../../core/rules.js';
import { cursorOf } from '../cursor.js';
import { retryPeering, submitPeering, updateCustomerCidrs } from '../../service/submit-peering.js';
import { requireOrg } from '../auth.js';
import { orgOf, type AppDeps, type Repos } from '../context.js';
import { presentDeployment, presentEvent, presentPeering, presentReason } from '../present.js';
import * as S from '../schemas.js';
import { idempotencyHook } from '../idempotency.js';

export const peeringRoutes =
  (deps: AppDeps, repos: Repos): FastifyPluginAsyncTypebox =>
  async (app) => {
    const viewer = requireOrg(repos.orgs, 'viewer');
    const admin = requireOrg(repos.orgs, 'admin');
    const idem = idempotencyHook(repos.idempotency, deps.clock);
    const submitDeps = { peerings: repos.peerings, platform: repos.platform, clouds: deps.clouds, rules: deps.rules };
    const security = [{ apiKey: [] }];

    app.get(
      '/v1/deployments',
      {
        preHandler: viewer,
        schema: {
          tags: ['deployments'],
          security,
          summary: 'Your deployments',
          response: { 200: Type.Object({ items: Type.Array(S.Deployment) }) },
        },
      },
      async (req) => {
        const { orgId } = orgOf(req);
        return { items: (await repos.platform.listDeployments(orgId)).map(presentDeployment) };
      },
    );

    app.get(
      '/v1/deployments/:id',
      {
        preHandler: viewer,
        schema: {
          tags: ['deployments'],
          security,
          params: S.IdParams,
          response: { 200: S.Deployment, ...S.errorResponses },
        },
      },
      async (req) => {
        const d = await repos.platform.getDeployment(orgOf(req).orgId, req.params.id);
        if (!d) throw new RefusalError(refusal('NOT_FOUND', { kind: 'deployment', id: req.params.id }));
        return presentDeployment(d);
      },
    );

    app.get(
      '/v1/deployments/:id/peering-facts',
      {
        preHandler: viewer,
        schema: {
          tags: ['deployments'],
          security,
          summary: 'What the customer needs to create the peering on its side (step 1 of the console flow)',
          params: S.IdParams,
          response: { 200: S.PeeringFacts, ...S.errorResponses },
        },
      },
      async (req) => {
        const d = await repos.platform.getDeployment(orgOf(req).orgId, req.params.id);
        if (!d) throw new RefusalError(refusal('NOT_FOUND', { kind: 'deployment', id: req.params.id }));
        const cloud = deps.clouds[d.provider];
        if (!cloud) throw new RefusalError(refusal('PROVIDER_NOT_SUPPORTED', { provider: d.provider }));
        const gate = checkPlan(d.plan, deps.rules);
        const facts = {
          id: d.id,
          name: d.name,
          region: d.region,
          vpcId: d.vpcId,
          vpcCidr: d.vpcCidr,
          platformAccountId: d.account.accountId,
        };
        return {
          deploymentId: d.id,
          provider: d.provider,
          eligible: gate === null,
          refusal: presentReason(gate, req.locale),
          facts: cloud.facts(facts).map((f) => ({ key: f.key, label: f.label[req.locale], value: f.value })),
          form: cloud.form.map((f) => ({
            key: f.key,
            label: f.label[req.locale],
            expected: req.locale === 'zh-CN' ? f.shape.expectedZh : f.shape.expected,
            pattern: f.shape.pattern.source,
          })),
          guidance: cloud.guidance(facts),
        };
      },
    );

    app.post(
      '/v1/peerings',
      {
        preHandler: [admin, idem],
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
        const p = await submitPeering(submitDeps, orgId, actor, req.body, deps.clock.now());
        deps.kick(p.id);
        return reply.status(201).header('location', `/v1/peerings/${p.id}`).send(presentPeering(p, req.locale));
      },
    );

    app.get(
      '/v1/peerings',
      {
        preHandler: viewer,
        schema: {
          tags: ['peerings'],
          security,
          querystring: Type.Object({
            deploymentId: Type.Optional(Type.String()),
            status: Type.Optional(Type.String()),
            ...S.PageQuery,
          }),
          response: { 200: S.Page(S.Peering), ...S.errorResponses },
        },
      },
      async (req) => {
        const page = await repos.peerings.list(orgOf(req).orgId, {
          deploymentId: req.query.deploymentId,
          status: req.query.status,
          limit: req.query.limit ?? 50,
          cursor: cursorOf(req.query.cursor),
        });
        return { items: page.items.map((p) => presentPeering(p, req.locale)), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/v1/peerings/:id',
      {
        preHandler: viewer,
        schema: {
          tags: ['peerings'],
          security,
          params: S.IdParams,
          response: { 200: S.PeeringDetail, ...S.errorResponses },
        },
      },
      async (req) => {
        const { orgId } = orgOf(req);
        const p = await repos.peerings.get(orgId, req.params.id);
        if (!p) throw new RefusalError(refusal('NOT_FOUND', { kind: 'peering', id: req.params.id }));
        const d = await repos.platform.getDeployment(orgId, p.deploymentId);
        const cloud = d && deps.clouds[d.provider];
        const facts = d && {
          id: d.id,
          name: d.name,
          region: d.region,
          vpcId: d.vpcId,
          vpcCidr: d.vpcCidr,
          platformAccountId: d.account.accountId,
        };
        return {
          ...presentPeering(p, req.locale),
          customerSide: {
            routeDestination: d?.vpcCidr ?? '',
            securityGroupSource: d?.vpcCidr ?? '',
            guidance:
              cloud && facts
                ? cloud.guidance(facts, { providerPeeringId: p.providerPeeringId, customerVpcId: p.customerVpcId })
                : { steps: [], commands: '', terraform: '' },
          },
        };
      },
    );

    app.get(
      '/v1/peerings/:id/events',
      {
        preHandler: viewer,
        schema: {
          tags: ['peerings'],
          security,
          summary: 'The peering’s history: who, when, why',
          params: S.IdParams,
          response: { 200: Type.Object({ items: Type.Array(S.Event) }), ...S.errorResponses },
        },
      },
      async (req) => {
        const { orgId } = orgOf(req);
        const p = await repos.peerings.get(orgId, req.params.id);
        if (!p) throw new RefusalError(refusal('NOT_FOUND', { kind: 'peering', id: req.params.id }));
        return { items: (await repos.peerings.events(orgId, p.id)).map((e) => presentEvent(e, req.locale)) };
      },
    );

    app.post(
      '/v1/peerings/:id/resync',
      {
        preHandler: admin,
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
        const p = await repos.peerings.resync(orgId, req.params.id, actor, deps.clock.now());
        deps.kick(p.id);
        return reply.status(202).send(presentPeering(p, req.locale));
      },
    );

    app.patch(
      '/v1/peerings/:id',
      {
        preHandler: admin,
        schema: {
          tags: ['peerings'],
          security,
          summary:
            'Correct the customer CIDRs you typed (clouds that do not report them, e.g. Huawei); the platform routes follow',
          params: S.IdParams,
          body: S.UpdatePeering,
          response: { 200: S.Peering, ...S.errorResponses },
        },
      },
      async (req) => {
        const { orgId, actor } = orgOf(req);
        const p = await updateCustomerCidrs(
          { ...submitDeps, resources: repos.resources },
          orgId,
          actor,
          req.params.id,
          req.body.customerCidrs,
          deps.clock.now(),
        );
        deps.kick(p.id);
        return presentPeering(p, req.locale);
      },
    );

    app.post(
      '/v1/peerings/:id/retry',
      {
        preHandler: [admin, idem],
        schema: {
          tags: ['peerings'],
          security,
          summary:
            'Retry a failed peering: Tencent sends a new attach request (a new approval window), Alibaba searches again',
          params: S.IdParams,
          response: { 202: S.Peering, ...S.errorResponses },
        },
      },
      async (req, reply) => {
        const { orgId, actor } = orgOf(req);
        const p = await retryPeering(submitDeps, orgId, actor, req.params.id, deps.clock.now());
        deps.kick(p.id);
        return reply.status(202).send(presentPeering(p, req.locale));
      },
    );

    app.delete(
      '/v1/peerings/:id',
      {
        preHandler: admin,
        schema: {
          tags: ['peerings'],
          security,
          summary: 'Delete: routes first, then the connection. Only when running or failed, and no resources bound.',
          params: S.IdParams,
          response: { 202: S.Peering, ...S.errorResponses },
        },
      },
      async (req, reply) => {
        const { orgId, actor } = orgOf(req);
        const p = await repos.peerings.requestDelete(orgId, req.params.id, actor, deps.clock.now());
        deps.kick(p.id);
        return reply.status(202).send(presentPeering(p, req.locale));
      },
    );
  };
