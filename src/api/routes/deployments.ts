/**
 * Customer routes about deployments: the list, one deployment, what the customer needs to create a peering (its facts,
 * the rules, the cloud's form and guidance), and a read-only check of the customer's CIDRs against the rules.
 */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { checkCustomerCidrs, checkOneCustomerNetwork, checkPlan, checkQuota } from '../../core/rules.js';
import { deploymentOf, factsOf } from '../../service/deployments.js';
import { splitList } from '../../service/form.js';
import { livePeering } from '../../service/submit.js';
import { requireOrg } from '../auth.js';
import { orgOf, serviceOf, type Repos, type RouteDeps } from '../context.js';
import { presentDeployment, presentReason } from '../present.js';
import { refusalBody } from '../errors.js';
import * as S from '../schemas.js';

export const deploymentRoutes =
  (deps: RouteDeps, repos: Repos): FastifyPluginAsyncTypebox =>
  async (app) => {
    const viewer = requireOrg('viewer');
    const service = serviceOf(deps);
    const security = [{ apiKey: [] }];

    app.get(
      '/v1/deployments',
      {
        onRequest: viewer,
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
        onRequest: viewer,
        schema: {
          tags: ['deployments'],
          security,
          params: S.IdParams,
          response: { 200: S.Deployment, ...S.errorResponses },
        },
      },
      async (req) => presentDeployment(await deploymentOf(service, orgOf(req).orgId, req.params.id)),
    );

    app.get(
      '/v1/deployments/:id/peering-facts',
      {
        onRequest: viewer,
        schema: {
          tags: ['deployments'],
          security,
          summary: 'What the customer needs to create the peering on its side (step 1 of the console flow)',
          params: S.IdParams,
          response: { 200: S.PeeringFacts, ...S.errorResponses },
        },
      },
      async (req) => {
        const d = await deploymentOf(service, orgOf(req).orgId, req.params.id);
        const cloud = deps.clouds.descriptor(d.provider);
        const live = await deps.repos.peerings.liveForDeployment(d.id);
        // the checks a submit makes before anything the customer types: if one refuses, no submit can succeed now
        const gate =
          checkPlan(d.plan, deps.rules) ??
          checkQuota(d.id, live.length, deps.rules) ??
          (cloud.capabilities.oneCustomerNetwork ? checkOneCustomerNetwork(d.vpcId, '', live) : null);
        const facts = factsOf(d, cloud);
        return {
          deploymentId: d.id,
          provider: d.provider,
          cloud: { label: cloud.label[req.locale], capabilities: cloud.capabilities },
          eligible: gate === null,
          refusal: presentReason(gate, req.locale, cloud.name),
          facts: cloud.facts(facts).map((f) => ({ key: f.key, label: f.label[req.locale], value: f.value })),
          form: cloud.form.map((f) => ({
            key: f.key,
            label: f.label[req.locale],
            expected: req.locale === 'zh-CN' ? f.shape.expectedZh : f.shape.expected,
            pattern: f.shape.pattern.source,
            hint: f.hint?.[req.locale] ?? null,
            list: f.list ?? false,
            forgives: {
              case: f.normalize?.('AB') === 'ab',
              separators: f.normalize?.('12-34 56') === '123456',
            },
          })),
          guidance: cloud.guidance(facts, undefined, req.locale),
          consoleUrl: cloud.consoleUrl?.(d.region, req.locale) ?? null,
          rules: {
            region: d.region,
            deploymentCidr: d.vpcCidr,
            reservedRanges: [...deps.rules.reservedRanges],
            livePeerings: live.map((p) => ({
              id: p.id,
              connectionId: p.providerPeeringId || null,
              customerVpcId: p.customerVpcId,
              cidrs: p.customerCidrs,
              status: p.status,
            })),
          },
        };
      },
    );

    app.post(
      '/v1/deployments/:id/cidr-check',
      {
        onRequest: viewer,
        schema: {
          tags: ['deployments'],
          security,
          summary:
            'Would these customer CIDRs pass the rules now (reserved ranges, the deployment CIDR, its live ' +
            'peerings)? Read-only: nothing is stored, no cloud is called',
          params: S.IdParams,
          body: S.CidrCheck,
          response: { 200: S.CidrCheckResult, ...S.errorResponses },
        },
      },
      async (req) => {
        const d = await deploymentOf(service, orgOf(req).orgId, req.params.id);
        const raw = req.body.cidrs;
        const cidrs = (typeof raw === 'string' ? [raw] : raw).flatMap(splitList);
        const live = await deps.repos.peerings.liveForDeployment(d.id);
        const problem = checkCustomerCidrs(cidrs, {
          deploymentCidr: d.vpcCidr,
          reservedRanges: deps.rules.reservedRanges,
          policy: deps.rules.cidrPolicy,
          siblings: live.map(livePeering),
        });
        return { ok: problem === null, cidrs, problem: problem && refusalBody(problem, req.locale, d.provider) };
      },
    );
  };
