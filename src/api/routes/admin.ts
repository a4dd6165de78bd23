/** Operator routes: organizations and their API keys, platform cloud accounts, deployments. */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RefusalError, refusal } from '../../core/errors.js';
import { parseIpv4Cidr } from '../../core/cidr.js';
import { isUniqueViolation } from '../../store/db.js';
import { requireOperator } from '../auth.js';
import type { AppDeps, Repos } from '../context.js';
import type { ProviderName } from '../../clouds/provider.js';
import { presentDeployment } from '../present.js';
import { idempotencyHook } from '../idempotency.js';
import * as S from '../schemas.js';

export const adminRoutes =
  (deps: AppDeps, repos: Repos): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addHook('preHandler', requireOperator(deps.operatorToken));
    app.addHook('preHandler', idempotencyHook(repos.idempotency, deps.clock));
    const security = [{ operator: [] }];
    const tags = ['operator'];

    app.post(
      '/v1/admin/orgs',
      {
        schema: {
          tags,
          security,
          summary: 'Create an organization and its first admin API key (shown once)',
          body: S.CreateOrg,
          response: { 201: Type.Object({ org: S.Org, apiKey: S.IssuedKey }), ...S.errorResponses },
        },
      },
      async (req, reply) => {
        const now = deps.clock.now();
        const org = await repos.orgs.create(req.body.name, now);
        const { key, info } = await repos.orgs.issueKey(org.id, 'initial admin key', 'admin', now);
        return reply.status(201).send({ org, apiKey: { ...info, key } });
      },
    );

    app.get(
      '/v1/admin/orgs',
      { schema: { tags, security, response: { 200: Type.Object({ items: Type.Array(S.Org) }) } } },
      async () => ({ items: await repos.orgs.list() }),
    );

    app.post(
      '/v1/admin/orgs/:id/api-keys',
      {
        schema: {
          tags,
          security,
          params: S.IdParams,
          body: S.CreateKey,
          response: { 201: S.IssuedKey, ...S.errorResponses },
        },
      },
      async (req, reply) => {
        if (!(await repos.orgs.get(req.params.id)))
          throw new RefusalError(refusal('NOT_FOUND', { kind: 'organization', id: req.params.id }));
        const { key, info } = await repos.orgs.issueKey(req.params.id, req.body.name, req.body.role, deps.clock.now());
        return reply.status(201).send({ ...info, key });
      },
    );

    app.post(
      '/v1/admin/platform-accounts',
      {
        schema: {
          tags,
          security,
          summary: 'Register a platform cloud account for one region (endpoint optional: the cloud’s own)',
          body: S.CreatePlatformAccount,
          response: { 201: S.PlatformAccount, ...S.errorResponses },
        },
      },
      async (req, reply) => {
        try {
          return reply
            .status(201)
            .send(
              await repos.platform.addAccount(
                { ...req.body, provider: req.body.provider as ProviderName },
                deps.clock.now(),
              ),
            );
        } catch (err) {
          if (isUniqueViolation(err))
            throw new RefusalError(
              refusal('CONFLICT', {
                detail: `a ${req.body.provider} account ${req.body.accountId} is already registered in ${req.body.region}`,
              }),
            );
          throw err;
        }
      },
    );

    app.get(
      '/v1/admin/platform-accounts',
      { schema: { tags, security, response: { 200: Type.Object({ items: Type.Array(S.PlatformAccount) }) } } },
      async () => ({ items: await repos.platform.listAccounts() }),
    );

    app.post(
      '/v1/admin/deployments',
      {
        schema: {
          tags,
          security,
          summary: 'Register a deployment (normally done by the provisioning system)',
          body: S.CreateDeployment,
          response: { 201: S.Deployment, ...S.errorResponses },
        },
      },
      async (req, reply) => {
        const b = req.body;
        if (!(await repos.orgs.get(b.orgId)))
          throw new RefusalError(refusal('NOT_FOUND', { kind: 'organization', id: b.orgId }));
        const account = await repos.platform.getAccount(b.platformAccountId);
        if (!account)
          throw new RefusalError(refusal('NOT_FOUND', { kind: 'platform account', id: b.platformAccountId }));
        if (account.region !== b.region)
          throw new RefusalError(
            refusal('VALIDATION_FAILED', {
              detail: `platform account ${account.id} is in ${account.region}, not ${b.region}`,
            }),
          );
        const cidr = parseIpv4Cidr(b.vpcCidr);
        if (!cidr.ok) throw new RefusalError(refusal('CIDR_INVALID', { cidr: b.vpcCidr }));
        try {
          const d = await repos.platform.addDeployment(
            { ...b, provider: account.provider, vpcCidr: cidr.span.text },
            deps.clock.now(),
          );
          return reply.status(201).send(presentDeployment(d));
        } catch (err) {
          if (isUniqueViolation(err))
            throw new RefusalError(refusal('CONFLICT', { detail: `deployment ${b.id} already exists` }));
          throw err;
        }
      },
    );

    app.get(
      '/v1/admin/deployments',
      { schema: { tags, security, response: { 200: Type.Object({ items: Type.Array(S.Deployment) }) } } },
      async () => ({ items: (await repos.platform.listDeployments()).map(presentDeployment) }),
    );
  };
