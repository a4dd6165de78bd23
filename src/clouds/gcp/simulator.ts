/**
 * Compute Engine v1 REST over the GcpWorld, as `@google-cloud/compute` speaks it: JSON over HTTP at
 * `/compute/v1/projects/{project}/global/…` (the simulator claims those paths; its control API is `/_sim/gcp`), a
 * bearer token that is the service account's self-signed JWT (RS256, `kid` = private_key_id, `iss` = client_email,
 * `aud` https://compute.googleapis.com/), and errors as Google's JSON error body
 * `{"error":{"code","message","errors":[{"message","domain","reason"}],"status"}}` (https://cloud.google.com/apis/
 * design/errors). Methods: networks get/list/addPeering/removePeering/listPeeringRoutes, globalOperations get/wait.
 *
 * Over 300 lines on purpose: every method's path, parameters and answer shape, one switch, as the API reference lists
 * them, beside the token check and the error body they share.
 */
import { createVerify } from 'node:crypto';
import type { CloudSim, SimRequest, WireResponse } from '../sim/server.js';
import { sleep } from '../sim/server.js';
import type { FaultPlan } from '../sim/faults.js';
import { parseNetworkUri, selfLink } from './ids.js';
import { GcpError, type GcpWorld, type ServiceAccount, type SimNetwork, type SimOperation } from './sim-world.js';

const base = '/compute/v1/projects/([^/]+)/global';
const routes: Array<{ method: string; action: string; pattern: RegExp }> = [
  { method: 'GET', action: 'networks.list', pattern: new RegExp(`^${base}/networks$`) },
  { method: 'GET', action: 'networks.get', pattern: new RegExp(`^${base}/networks/([^/]+)$`) },
  { method: 'POST', action: 'networks.addPeering', pattern: new RegExp(`^${base}/networks/([^/]+)/addPeering$`) },
  {
    method: 'POST',
    action: 'networks.removePeering',
    pattern: new RegExp(`^${base}/networks/([^/]+)/removePeering$`),
  },
  {
    method: 'GET',
    action: 'networks.listPeeringRoutes',
    pattern: new RegExp(`^${base}/networks/([^/]+)/listPeeringRoutes$`),
  },
  { method: 'GET', action: 'globalOperations.get', pattern: new RegExp(`^${base}/operations/([^/]+)$`) },
  { method: 'POST', action: 'globalOperations.wait', pattern: new RegExp(`^${base}/operations/([^/]+)/wait$`) },
];

const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** listPeeringRoutes and list page with maxResults (default and maximum 500) and an opaque pageToken. */
function page<T>(items: T[], q: URLSearchParams): { items: T[]; nextPageToken?: string } {
  const max = Math.min(Number(q.get('maxResults') ?? 500) || 500, 500);
  const from = q.get('pageToken') ? Number(Buffer.from(q.get('pageToken') ?? '', 'base64url').toString()) : 0;
  if (!Number.isInteger(from) || from < 0) throw new GcpError(400, 'invalid', 'Invalid value for pageToken.');
  const out = items.slice(from, from + max);
  const next = from + max < items.length ? Buffer.from(String(from + max)).toString('base64url') : undefined;
  return next ? { items: out, nextPageToken: next } : { items: out };
}

/** A JSON body's string field ('' when absent or of another type). */
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const b64json = (s: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;

export class GcpSimulator implements CloudSim {
  readonly prefix = '/gcp';

  constructor(
    readonly world: GcpWorld,
    private readonly faults: FaultPlan,
    /** how long globalOperations.wait holds a request for a running operation (real time; Google's: ~2 minutes) */
    private readonly waitMs = 500,
  ) {}

  /** The client builds `${protocol}://${host}:${port}/compute/v1/…`: no room for a path prefix. */
  claims(req: SimRequest): boolean {
    return req.path.startsWith('/compute/v1/');
  }

  /** The self-signed JWT the client sends; its signature checked with the key the world issued. */
  private caller(req: SimRequest): ServiceAccount | null {
    const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const parts = token?.split('.');
    if (!parts || parts.length !== 3) return null;
    try {
      const header = b64json(parts[0]);
      const claims = b64json(parts[1]);
      const sa = this.world.account(String(claims.iss));
      if (!sa || header.alg !== 'RS256' || (header.kid !== undefined && header.kid !== sa.keyId)) return null;
      const verify = createVerify('RSA-SHA256');
      verify.update(`${parts[0]}.${parts[1]}`);
      if (!verify.verify(sa.publicKey, Buffer.from(parts[2], 'base64url'))) return null;
      const audience = claims.aud === 'https://compute.googleapis.com/' || typeof claims.scope === 'string';
      // the token's clock is the client's real one, not the simulated cloud's
      const fresh = typeof claims.exp === 'number' && claims.exp * 1000 > Date.now();
      return audience && fresh ? sa : null;
    } catch {
      return null;
    }
  }

  private error(status: number, reason: string, message: string): WireResponse {
    const body = {
      error: {
        code: status,
        message,
        errors: [{ message, domain: 'global', reason }],
        status: statusNames[status] ?? 'UNKNOWN',
      },
    };
    return { status, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify(body) };
  }

  private json(value: unknown): WireResponse {
    return { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify(value) };
  }

  networkJson(n: SimNetwork) {
    const link = this.world.selfLink(n);
    return {
      kind: 'compute#network',
      id: n.id,
      creationTimestamp: n.createdAt.toISOString(),
      name: n.name,
      selfLink: link,
      selfLinkWithId: link.replace(/[^/]+$/, n.id),
      autoCreateSubnetworks: false,
      subnetworks: n.subnets.map(
        (s) => `https://www.googleapis.com/compute/v1/projects/${n.project}/regions/${s.region}/subnetworks/${s.name}`,
      ),
      routingConfig: { routingMode: 'REGIONAL' },
      networkFirewallPolicyEnforcementOrder: 'AFTER_CLASSIC_FIREWALL',
      peerings: n.peerings.map((p) => {
        const v = this.world.view(n, p);
        const stamp = v.changedAt.toISOString();
        return {
          name: v.name,
          network: selfLink(v.peer),
          state: v.state,
          // the wording is the simulator's (the API documents the field, not its texts)
          stateDetails:
            v.state === 'ACTIVE' ? `[${stamp}]: Connected.` : `[${stamp}]: Waiting for peer network to connect.`,
          autoCreateRoutes: true,
          exchangeSubnetRoutes: v.exchangeSubnetRoutes,
          exportCustomRoutes: v.exportCustomRoutes,
          importCustomRoutes: v.importCustomRoutes,
          exportSubnetRoutesWithPublicIp: true,
          importSubnetRoutesWithPublicIp: false,
          stackType: 'IPV4_ONLY',
          peerMtu: 1460,
          updateStrategy: 'INDEPENDENT',
        };
      }),
    };
  }

  private operationJson(op: SimOperation) {
    const link = `https://www.googleapis.com/compute/v1/projects/${op.project}/global/operations/${op.name}`;
    const network = this.world.networks.get(`projects/${op.target.project}/global/networks/${op.target.network}`);
    return {
      kind: 'compute#operation',
      id: op.id,
      name: op.name,
      operationType: op.type,
      targetLink: selfLink(op.target),
      targetId: network?.id ?? '',
      status: op.status,
      user: op.user,
      progress: op.status === 'DONE' ? 100 : 0,
      insertTime: op.insertedAt.toISOString(),
      startTime: op.insertedAt.toISOString(),
      ...(op.status === 'DONE' ? { endTime: op.doneAt.toISOString() } : {}),
      selfLink: link,
      ...(op.error
        ? {
            error: { errors: [op.error] },
            httpErrorStatusCode: 400,
            httpErrorMessage: 'BAD REQUEST',
          }
        : {}),
    };
  }

  /** Holds the request until the operation is DONE or the wait's deadline passes (then answers it RUNNING). */
  private async waitFor(caller: ServiceAccount, project: string, name: string): Promise<SimOperation> {
    const until = Date.now() + this.waitMs;
    let op = this.world.operation(caller, project, name);
    while (op.status !== 'DONE' && Date.now() < until) {
      await sleep(10);
      op = this.world.operation(caller, project, name);
    }
    return op;
  }

  private async dispatch(action: string, m: RegExpExecArray, req: SimRequest, sa: ServiceAccount): Promise<unknown> {
    const w = this.world;
    const q = new URLSearchParams(req.query);
    const project = decodeURIComponent(m[1]);
    const ref = { project, network: decodeURIComponent(m[2] ?? '') };
    const body = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    switch (action) {
      case 'networks.list': {
        const networks = w.networksOf(sa, project).map((n) => this.networkJson(n));
        const out = page(networks, q);
        return { kind: 'compute#networkList', id: `projects/${project}/global/networks`, ...out };
      }
      case 'networks.get':
        return this.networkJson(w.network(sa, ref));
      case 'networks.addPeering': {
        const np = (body.networkPeering ?? {}) as Record<string, unknown>;
        const name = str(np.name ?? body.name);
        const peerLink = str(np.network ?? body.peerNetwork);
        // a partial URL without a project names a network of the same project (NetworksAddPeeringRequest.peerNetwork)
        const peer =
          parseNetworkUri(peerLink) ??
          (/^[a-z][-a-z0-9]*$/.test(peerLink.replace(/^global\/networks\//, ''))
            ? { project, network: peerLink.replace(/^global\/networks\//, '') }
            : null);
        if (!peer)
          throw new GcpError(400, 'invalid', `Invalid value for field 'networkPeering.network': '${peerLink}'.`);
        const op = w.addPeering(sa, ref, {
          name,
          peer,
          exchangeSubnetRoutes: np.exchangeSubnetRoutes !== false,
          importCustomRoutes: np.importCustomRoutes === true,
        });
        return this.operationJson(op);
      }
      case 'networks.removePeering':
        return this.operationJson(w.removePeering(sa, ref, str(body.name)));
      case 'networks.listPeeringRoutes': {
        const direction = q.get('direction') === 'OUTGOING' ? 'OUTGOING' : 'INCOMING';
        const peering = q.get('peeringName') ?? '';
        const items = w.peeringRoutes(sa, ref, peering, direction).map((s) => ({
          destRange: s.cidr,
          type: 'SUBNET_PEERING_ROUTE',
          priority: 0,
          imported: direction === 'INCOMING',
        }));
        return { kind: 'compute#exchangedPeeringRoutesList', id: `${peering}/${direction}`, ...page(items, q) };
      }
      case 'globalOperations.get':
        return this.operationJson(w.operation(sa, project, decodeURIComponent(m[2])));
      case 'globalOperations.wait':
        return this.operationJson(await this.waitFor(sa, project, decodeURIComponent(m[2])));
      default:
        throw new GcpError(404, 'notFound', `No such method ${action}`);
    }
  }

  async handle(req: SimRequest): Promise<WireResponse> {
    const route = routes
      .map((r) => ({ r, m: r.method === req.method ? r.pattern.exec(req.path) : null }))
      .find((x) => x.m);
    const action = route?.r.action ?? `${req.method} ${req.path}`;
    const sa = this.caller(req);
    const verdict = this.faults.onCall({
      provider: 'gcp',
      action,
      account: sa?.project ?? '',
      region: 'global',
      at: this.world.clock.now().toISOString(),
      target: route?.m?.[2] ? decodeURIComponent(route.m[2]) : undefined,
    });
    if (verdict.latencyMs) await sleep(verdict.latencyMs);
    if (verdict.error === 'throttle') return this.error(429, 'rateLimitExceeded', 'Rate Limit Exceeded');
    if (verdict.error === 'server-error')
      return this.error(500, 'backendError', 'Internal error. Please try again or contact Google Support.');
    if (verdict.error === 'unavailable')
      return this.error(503, 'backendError', 'The service is currently unavailable.');
    if (!sa)
      return this.error(
        401,
        'authError',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other ' +
          'valid authentication credential.',
      );
    if (!route?.m) return this.error(404, 'notFound', `The requested URL ${req.path} was not found on this server.`);
    try {
      return this.json(await this.dispatch(route.r.action, route.m, req, sa));
    } catch (err) {
      if (err instanceof GcpError) return this.error(err.status, err.reason, err.message);
      if (err instanceof SyntaxError) return this.error(400, 'parseError', 'Parse Error');
      throw err;
    }
  }

  control(op: string, body: Record<string, unknown>): unknown {
    const s = (k: string) => str(body[k]);
    switch (op) {
      case 'network': {
        const subnets = (body.subnets as Array<{ region: string; cidr: string }> | undefined) ?? [];
        return this.networkJson(this.world.createNetwork(s('project'), s('name'), subnets));
      }
      case 'service-account':
        return this.world.createServiceAccount(s('project'), s('name') || undefined).key;
      default:
        throw new Error(`no gcp control operation ${op}`);
    }
  }

  snapshot(): unknown {
    return { networks: [...this.world.networks.values()].map((n) => this.networkJson(n)) };
  }
}
