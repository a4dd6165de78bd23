/**
 * ARM REST over the AzureWorld, as `@azure/arm-network` speaks it, under /azure (the client's endpoint is
 * `<simulator>/azure`): JSON with `api-version` required, bearer tokens from the Entra-shaped token endpoint
 * (/azure/{tenant}/oauth2/v2.0/token), `x-ms-authorization-auxiliary` for the remote tenant of a peering write,
 * long-running operations answered 201/202 with `Azure-AsyncOperation` (and `Location` for deletes) polled to
 * `Succeeded`, ARM's error body `{"error":{"code","message"}}`, and throttling as ARM documents it (429 with
 * Retry-After). Calls: virtualNetworks get/list/listAll/createOrUpdate, virtualNetworkPeerings get/list/createOrUpdate/
 * delete, Microsoft.Authorization permissions of a VNet, and the operation status endpoints.
 *
 * Over 300 lines on purpose: every call's path, checks and answer shape in one switch, beside the token and error
 * handling they share.
 */
import type { CloudSim, SimRequest, WireResponse } from '../sim/server.js';
import { sleep } from '../sim/server.js';
import type { FaultPlan } from '../sim/faults.js';
import { vnetId } from './ids.js';
import { ArmError, peeringActions as A, type AzureWorld, type Principal, type SimVnet } from './sim-world.js';

const vnetPath =
  String.raw`/subscriptions/([^/]+)/resourceGroups/([^/]+)` +
  String.raw`/providers/Microsoft\.Network/virtualNetworks/([^/]+)`;
const routes: Array<{ method: string; action: string; pattern: RegExp }> = [
  { method: 'POST', action: 'token', pattern: /^\/([^/]+)\/oauth2\/v2\.0\/token$/ },
  {
    method: 'GET',
    action: 'virtualNetworks.listAll',
    pattern: /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks$/i,
  },
  {
    method: 'GET',
    action: 'operations.get',
    pattern: /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Network\/locations\/([^/]+)\/operations\/([^/]+)$/i,
  },
  {
    method: 'GET',
    action: 'operationResults.get',
    pattern:
      /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Network\/locations\/([^/]+)\/operationResults\/([^/]+)$/i,
  },
  {
    method: 'GET',
    action: 'virtualNetworks.list',
    pattern: /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks$/i,
  },
  { method: 'GET', action: 'virtualNetworks.get', pattern: new RegExp(`^${vnetPath}$`, 'i') },
  { method: 'PUT', action: 'virtualNetworks.createOrUpdate', pattern: new RegExp(`^${vnetPath}$`, 'i') },
  {
    method: 'GET',
    action: 'permissions.listForResource',
    pattern: new RegExp(`^${vnetPath}/providers/Microsoft\\.Authorization/permissions$`, 'i'),
  },
  {
    method: 'GET',
    action: 'virtualNetworkPeerings.list',
    pattern: new RegExp(`^${vnetPath}/virtualNetworkPeerings$`, 'i'),
  },
  ...(['GET', 'PUT', 'DELETE'] as const).map((method) => ({
    method,
    action: `virtualNetworkPeerings.${{ GET: 'get', PUT: 'createOrUpdate', DELETE: 'delete' }[method]}`,
    pattern: new RegExp(`^${vnetPath}/virtualNetworkPeerings/([^/]+)$`, 'i'),
  })),
];

/** Page size of list calls (ARM pages with nextLink; the size is the simulator's). */
const pageSize = 50;

const json = (status: number, value: unknown, headers: Record<string, string> = {}): WireResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: value === undefined ? '' : JSON.stringify(value),
});

const armError = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message } }, headers);

export class AzureSimulator implements CloudSim {
  readonly prefix = '/azure';

  constructor(
    readonly world: AzureWorld,
    private readonly faults: FaultPlan,
  ) {}

  private bearer(header: unknown): Principal | null {
    const token = /^Bearer (.+)$/.exec(typeof header === 'string' ? header : '')?.[1];
    return token ? this.world.principalOf(token) : null;
  }

  /** The auxiliary tokens (`Bearer a, Bearer b`), valid ones only. */
  private auxiliary(header: unknown): Principal[] {
    return (typeof header === 'string' ? header : '')
      .split(',')
      .map((s) => this.bearer(s.trim()))
      .filter((p): p is Principal => p !== null);
  }

  private base(req: SimRequest): string {
    return `http://${String(req.headers.host ?? '127.0.0.1')}${this.prefix}`;
  }

  vnetJson(v: SimVnet) {
    return {
      id: v.displayId,
      name: v.name,
      type: 'Microsoft.Network/virtualNetworks',
      location: v.location,
      etag: `W/"${v.peerings.length}-${v.addressPrefixes.join(',')}"`,
      properties: {
        provisioningState: 'Succeeded',
        addressSpace: { addressPrefixes: v.addressPrefixes },
        subnets: [],
        virtualNetworkPeerings: v.peerings.map((p) => this.peeringJson(v, p.name)),
        enableDdosProtection: false,
      },
    };
  }

  peeringJson(v: SimVnet, name: string) {
    const p = v.peerings.find((x) => x.name === name);
    if (!p) return null;
    const remote = this.world.vnets.get(p.remoteId);
    return {
      id: `${v.displayId}/virtualNetworkPeerings/${p.name}`,
      name: p.name,
      type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
      etag: `W/"${p.resourceGuid}"`,
      properties: {
        provisioningState: p.provisioningState,
        resourceGuid: p.resourceGuid,
        peeringState: p.peeringState,
        peeringSyncLevel: this.world.syncLevel(v, p),
        remoteVirtualNetwork: { id: remote?.displayId ?? p.remoteId },
        allowVirtualNetworkAccess: p.allowVirtualNetworkAccess,
        allowForwardedTraffic: p.allowForwardedTraffic,
        allowGatewayTransit: false,
        useRemoteGateways: false,
        doNotVerifyRemoteGateways: false,
        remoteAddressSpace: { addressPrefixes: p.remoteAddressSpace },
        remoteVirtualNetworkAddressSpace: { addressPrefixes: remote?.addressPrefixes ?? [] },
      },
    };
  }

  private asyncHeaders(req: SimRequest, subscription: string, op: { id: string; location: string }, del = false) {
    const at = `${this.base(req)}/subscriptions/${subscription}/providers/Microsoft.Network/locations/${op.location}`;
    const q = `api-version=${new URLSearchParams(req.query).get('api-version') ?? ''}`;
    return {
      'Azure-AsyncOperation': `${at}/operations/${op.id}?${q}`,
      ...(del ? { Location: `${at}/operationResults/${op.id}?${q}` } : {}),
    };
  }

  private page<T>(req: SimRequest, items: T[]): { value: T[]; nextLink?: string } {
    const q = new URLSearchParams(req.query);
    const from = Number(q.get('$skipToken') ?? 0) || 0;
    const value = items.slice(from, from + pageSize);
    if (from + pageSize >= items.length) return { value };
    q.set('$skipToken', String(from + pageSize));
    return { value, nextLink: `${this.base(req)}${req.path}?${q.toString()}` };
  }

  private dispatch(action: string, m: RegExpExecArray, req: SimRequest, p: Principal, aux: Principal[]): WireResponse {
    const w = this.world;
    const ref = { subscriptionId: m[1], resourceGroup: m[2] ?? '', name: m[3] ?? '' };
    const scope = () => vnetId(ref);
    const body = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    switch (action) {
      case 'virtualNetworks.listAll':
      case 'virtualNetworks.list': {
        w.authorize(p, ref.subscriptionId, A.readVnet, `/subscriptions/${ref.subscriptionId}`.toLowerCase());
        const inGroup = action === 'virtualNetworks.list' ? ref.resourceGroup.toLowerCase() : null;
        const vnets = w
          .vnetsOf(ref.subscriptionId)
          .filter((v) => (inGroup ? v.resourceGroup.toLowerCase() === inGroup : true))
          .map((v) => this.vnetJson(v));
        return json(200, this.page(req, vnets));
      }
      case 'virtualNetworks.get':
        w.authorize(p, ref.subscriptionId, A.readVnet, scope());
        return json(200, this.vnetJson(w.vnet(ref)));
      case 'virtualNetworks.createOrUpdate': {
        w.authorize(p, ref.subscriptionId, A.writeVnet, scope());
        const props = (body.properties ?? {}) as { addressSpace?: { addressPrefixes?: string[] } };
        const prefixes = props.addressSpace?.addressPrefixes ?? [];
        const existing = w.vnets.get(scope());
        if (existing) w.setAddressSpace(existing, prefixes);
        const v = existing ?? w.createVnet(ref, typeof body.location === 'string' ? body.location : '', prefixes);
        return json(existing ? 200 : 201, this.vnetJson(v));
      }
      case 'permissions.listForResource': {
        // a principal may always list its own permissions at a scope (an empty list where it holds none)
        w.authorize(p, ref.subscriptionId, '', scope());
        return json(200, { value: [{ actions: w.permissions(p, scope()), notActions: [] }] });
      }
      case 'virtualNetworkPeerings.list': {
        w.authorize(p, ref.subscriptionId, A.read, scope());
        const v = w.vnet(ref);
        return json(
          200,
          this.page(
            req,
            v.peerings.map((x) => this.peeringJson(v, x.name)),
          ),
        );
      }
      case 'virtualNetworkPeerings.get': {
        w.authorize(p, ref.subscriptionId, A.read, scope());
        const v = w.vnet(ref);
        const out = this.peeringJson(v, decodeURIComponent(m[4]));
        if (!out) return armError(404, 'NotFound', `Resource ${req.path} not found.`);
        return json(200, out);
      }
      case 'virtualNetworkPeerings.createOrUpdate': {
        w.authorize(p, ref.subscriptionId, A.write, scope());
        const v = w.vnet(ref);
        const props = (body.properties ?? {}) as {
          remoteVirtualNetwork?: { id?: string };
          allowVirtualNetworkAccess?: boolean;
          allowForwardedTraffic?: boolean;
        };
        const remoteId = props.remoteVirtualNetwork?.id ?? '';
        this.linkedCheck(p, aux, remoteId, scope());
        const sync = new URLSearchParams(req.query).get('syncRemoteAddressSpace') === 'true';
        const name = decodeURIComponent(m[4]);
        const { op, created } = w.putPeering(v, name, { ...props, remoteId }, sync);
        return json(created ? 201 : 200, this.peeringJson(v, name), this.asyncHeaders(req, ref.subscriptionId, op));
      }
      case 'virtualNetworkPeerings.delete': {
        w.authorize(p, ref.subscriptionId, A.delete, scope());
        const op = w.deletePeering(w.vnet(ref), decodeURIComponent(m[4]));
        if (!op) return json(204, undefined);
        return json(202, undefined, { ...this.asyncHeaders(req, ref.subscriptionId, op, true), 'Retry-After': '0' });
      }
      case 'operations.get':
      case 'operationResults.get': {
        const op = w.operation(decodeURIComponent(m[3]));
        if (!op || w.tenantOf(m[1]) !== p.tenantId)
          return armError(404, 'OperationNotFound', `Operation ${m[3]} was not found.`);
        if (action === 'operationResults.get') return json(op.status === 'InProgress' ? 202 : 204, undefined);
        return json(200, {
          name: op.id,
          status: op.status,
          startTime: op.startedAt.toISOString(),
          ...(op.status === 'InProgress' ? {} : { endTime: op.doneAt.toISOString() }),
          ...(op.error ? { error: op.error } : {}),
        });
      }
      default:
        return armError(404, 'NoRegisteredProviderFound', `No registered resource provider found for ${req.path}.`);
    }
  }

  /**
   * The remote VNet of a peering write: the caller must hold peer/action on it, with a token of the remote's tenant —
   * its primary one when the tenant is the same, else an auxiliary one.
   */
  private linkedCheck(p: Principal, aux: Principal[], remoteId: string, local: string): void {
    const sub = /^\/subscriptions\/([^/]+)\//i.exec(remoteId)?.[1] ?? '';
    const tenant = this.world.tenantOf(sub);
    if (!tenant) return; // a remote that does not exist is refused by the world, by its own code
    const holder = [p, ...aux].find((x) => x.tenantId === tenant);
    if (!holder)
      throw new ArmError(
        403,
        'LinkedAuthorizationFailed',
        `The client has permission to perform action '${A.write}' on scope '${local}', however the current ` +
          `tenant '${p.tenantId}' is not authorized to access linked subscription '${sub}'.`,
      );
    if (!this.world.may(holder, A.peer, remoteId))
      throw new ArmError(
        403,
        'LinkedAuthorizationFailed',
        `The client '${holder.appId}' does not have authorization to perform action '${A.peer}' over scope ` +
          `'${remoteId}' or the scope is invalid.`,
      );
  }

  private token(tenant: string, req: SimRequest): WireResponse {
    const form = new URLSearchParams(req.body);
    if (form.get('grant_type') !== 'client_credentials')
      return json(400, { error: 'unsupported_grant_type', error_description: 'AADSTS70003: unsupported grant' });
    try {
      const t = this.world.issueToken(tenant, form.get('client_id') ?? '', form.get('client_secret') ?? '');
      return json(200, {
        token_type: 'Bearer',
        expires_in: t.expiresIn,
        ext_expires_in: t.expiresIn,
        access_token: t.token,
      });
    } catch (err) {
      if (!(err instanceof ArmError)) throw err;
      const error =
        err.status === 401 ? 'invalid_client' : err.code === 'AADSTS90002' ? 'invalid_request' : 'unauthorized_client';
      return json(err.status, {
        error,
        error_description: err.message,
        error_codes: [Number(err.code.replace('AADSTS', ''))],
      });
    }
  }

  async handle(req: SimRequest): Promise<WireResponse> {
    const route = routes
      .map((r) => ({ r, m: r.method === req.method ? r.pattern.exec(req.path) : null }))
      .find((x) => x.m);
    const action = route?.r.action ?? `${req.method} ${req.path}`;
    const p = this.bearer(req.headers.authorization);
    const verdict = this.faults.onCall({
      provider: 'azure',
      action,
      account: p?.tenantId ?? '',
      region: 'global',
      at: this.world.clock.now().toISOString(),
      target: route?.m?.[3] ? decodeURIComponent(route.m[3]) : undefined,
    });
    if (verdict.latencyMs) await sleep(verdict.latencyMs);
    // ARM's documented throttling: 429 with Retry-After (seconds)
    if (verdict.error === 'throttle')
      return armError(
        429,
        'SubscriptionRequestsThrottled',
        "Number of requests for subscription exceeded the limit. Please try again after '1' seconds.",
        { 'Retry-After': '1' },
      );
    if (verdict.error === 'server-error')
      return armError(500, 'InternalServerError', 'An error occurred while processing the request.');
    if (verdict.error === 'unavailable')
      return armError(503, 'ServiceUnavailable', 'The service is temporarily unavailable. Retry the request later.');
    if (!route?.m) return armError(404, 'NotFound', `The requested path ${req.path} was not found.`);
    if (route.r.action === 'token') return this.token(decodeURIComponent(route.m[1]), req);
    if (!p)
      return armError(
        401,
        req.headers.authorization ? 'InvalidAuthenticationToken' : 'AuthenticationFailed',
        req.headers.authorization
          ? 'The access token is invalid.'
          : "Authentication failed. The 'Authorization' header is missing.",
      );
    if (!new URLSearchParams(req.query).get('api-version'))
      return armError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      );
    try {
      return this.dispatch(
        route.r.action,
        route.m,
        req,
        p,
        this.auxiliary(req.headers['x-ms-authorization-auxiliary']),
      );
    } catch (err) {
      if (err instanceof ArmError) return armError(err.status, err.code, err.message);
      if (err instanceof SyntaxError) return armError(400, 'InvalidRequestContent', 'The request content was invalid.');
      throw err;
    }
  }

  control(op: string, body: Record<string, unknown>): unknown {
    const s = (k: string) => (typeof body[k] === 'string' ? body[k] : '');
    const w = this.world;
    switch (op) {
      case 'service-principal':
        w.createServicePrincipal(s('tenantId'), s('appId'));
        return { ok: true };
      case 'role-assignment':
        w.assignRole({ tenantId: s('tenantId'), appId: s('appId'), scope: s('scope'), role: s('role') });
        return { ok: true };
      case 'role-definition':
        w.defineRole(s('name'), (body.actions as string[] | undefined) ?? []);
        return { ok: true };
      default:
        throw new Error(`no azure control operation ${op}`);
    }
  }

  snapshot(): unknown {
    return {
      vnets: [...this.world.vnets.values()].map((v) => this.vnetJson(v)),
      roleAssignments: this.world.roleAssignments,
    };
  }
}
