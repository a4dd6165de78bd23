/** Operator routes: organizations and their API keys, platform cloud accounts, deployments. */
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RefusalError, refusal } from '../../core/errors.js';
import { contains, parseIpv4Address, parseIpv4Cidr, type Span } from '../../core/cidr.js';
import { isUniqueViolation } from '../../store/db.js';
import { requireOperator } from '../auth.js';
import type { Repos, RouteDeps } from '../context.js';
import { checkIdShape } from '../../core/rules.js';
import { cloudOf, providerNames } from '../../clouds/registry.js';
import { presentDeployment } from '../present.js';
import { idempotencyHook } from '../idempotency.js';
import * as S from '../schemas.js';

const CreatePlatformAccount = Type.Object(
  {
    provider: S.StringEnum(providerNames),
    region: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$' }),
    accountId: Type.String({ minLength: 1, maxLength: 64 }),
    endpoint: Type.Optional(Type.String({ format: 'uri', maxLength: 300 })),
    credentials: Type.Record(Type.String({ maxLength: 64 }), Type.String({ minLength: 1, maxLength: 4096 }), {
      description: 'the cloud’s own credential fields (e.g. accessKeyId and secretAccessKey); never shown again',
    }),
  },
  { additionalProperties: false },
);

export const adminRoutes =
  (deps: RouteDeps, repos: Repos): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addHook('onRequest', requireOperator());
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
      '/v1/admin/platform-accounts',
      {
        schema: {
          tags,
          security,
          summary: 'Register a platform cloud account for one region (endpoint optional: the cloud’s own)',
          body: CreatePlatformAccount,
          response: { 201: S.PlatformAccount, ...S.errorResponses },
        },
      },
      async (req, reply) => {
        const cloud = cloudOf(req.body.provider);
        const label = { key: 'accountId', en: 'Platform account ID', zh: '平台账号 ID' };
        const shape = checkIdShape(label, req.body.accountId, cloud.account.accountId);
        if (shape) throw new RefusalError(shape, cloud.name);
        const [wrong] = Value.Errors(cloud.account.credentials, req.body.credentials);
        if (wrong) {
          const detail =
            `credentials${wrong.instancePath} ${wrong.message} (${cloud.label.en} takes ` +
            `${Object.keys(cloud.account.credentials.properties).join(', ')})`;
          throw new RefusalError(refusal('VALIDATION_FAILED', { detail }));
        }
        try {
          return reply.status(201).send(await repos.platform.addAccount(req.body, deps.clock.now()));
        } catch (err) {
          if (isUniqueViolation(err))
            throw new RefusalError(
              refusal('CONFLICT', {
                detail:
                  `a ${req.body.provider} account ${req.body.accountId} is already registered in ` +
                  `${req.body.region}`,
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
        if (cloudOf(account.provider).capabilities.routes === 'platform' && b.routeTableIds.length === 0) {
          const detail = `body/routeTableIds must name the route table(s) the platform programs on ${account.provider}`;
          throw new RefusalError(refusal('VALIDATION_FAILED', { detail }));
        }
        const cidr = parseIpv4Cidr(b.vpcCidr);
        if (!cidr.ok) throw new RefusalError(refusal('CIDR_INVALID', { cidr: b.vpcCidr }));
        const badEndpoint = b.privateEndpoint ? endpointProblem(b.privateEndpoint, cidr.span) : null;
        if (badEndpoint)
          throw new RefusalError(refusal('VALIDATION_FAILED', { detail: `body/privateEndpoint: ${badEndpoint}` }));
        // where the cloud compares network ids without regard to case, one written form is stored
        const vpcId = cloudOf(account.provider).account.normalizeNetworkId?.(b.vpcId) ?? b.vpcId;
        try {
          const d = await repos.platform.addDeployment(
            { ...b, vpcId, provider: account.provider, vpcCidr: cidr.span.text },
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

/** A DNS host name: letters, digits and inner hyphens per label, the last label starting with a letter (RFC 1123). */
const hostName = /^(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)*(?!-)[a-z][a-z0-9-]{0,62}(?<!-)$/i;

/**
 * What is wrong with a deployment's private endpoint (`host:port`), if anything: an address must be reachable over
 * the peering (inside the deployment's CIDR, neither its network nor its broadcast address); a name must be a host
 * name, and not one that means this machine.
 */
function endpointProblem(endpoint: string, cidr: Span): string | null {
  const [host = '', port = ''] = endpoint.split(':');
  if (Number(port) < 1 || Number(port) > 65_535) return `port ${port} is not 1-65535`;
  if (/^[0-9.]+$/.test(host)) {
    const address = parseIpv4Address(host);
    if (!address) return `${host} is not an IPv4 address`;
    if (!contains(cidr, address)) return `${host} is outside the deployment's ${cidr.text}`;
    if (address.start === cidr.start || address.start === cidr.end)
      return `${host} is the network or broadcast address of ${cidr.text}`;
    return null;
  }
  if (!hostName.test(host) || /^localhost$/i.test(host)) return `${host} is neither an IPv4 address nor a host name`;
  return null;
}
