/**
 * Huawei Cloud's REST API over the HwWorld, as `@huaweicloud/huaweicloud-sdk-vpc` calls it: `/v2.0/vpc/peerings…`
 * (no project in the path; `X-Project-Id` header) and `/v1/{project_id}/routetables/{id}`, the SDK-HMAC-SHA256
 * `Authorization` with `X-Sdk-Date`, snake_case JSON, 201 on create, 204 on delete, `limit`/`marker` paging with
 * `peerings_links`, `X-Request-Id` on every answer, errors as `{code, message}` (VPC) or `{error_code, error_msg}`
 * (API gateway: authentication, throttling — the APIGW codes of the API signing guide's error table,
 * support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-errorcode.html), or, where no code is documented, the
 * HTTP status with `{message}` alone.
 */
import { randomUUID } from 'node:crypto';
import type { CloudSim, SimRequest, WireResponse } from '../sim/server.js';
import { sleep } from '../sim/server.js';
import type { FaultPlan } from '../sim/faults.js';
import { HwError, type HwWorld, type HwCaller, type HwPeering, type HwRouteTable } from './sim-world.js';

const time = (d: Date) => d.toISOString().slice(0, 19);

interface Route {
  method: string;
  pattern: RegExp;
  action: string;
}
const routes: Route[] = [
  { method: 'GET', pattern: /^\/v2\.0\/vpc\/peerings$/, action: 'ListVpcPeerings' },
  { method: 'POST', pattern: /^\/v2\.0\/vpc\/peerings$/, action: 'CreateVpcPeering' },
  { method: 'GET', pattern: /^\/v2\.0\/vpc\/peerings\/([\w-]+)$/, action: 'ShowVpcPeering' },
  { method: 'DELETE', pattern: /^\/v2\.0\/vpc\/peerings\/([\w-]+)$/, action: 'DeleteVpcPeering' },
  { method: 'PUT', pattern: /^\/v2\.0\/vpc\/peerings\/([\w-]+)\/accept$/, action: 'AcceptVpcPeering' },
  { method: 'PUT', pattern: /^\/v2\.0\/vpc\/peerings\/([\w-]+)\/reject$/, action: 'RejectVpcPeering' },
  { method: 'GET', pattern: /^\/v1\/([0-9a-f]{32})\/routetables\/([\w-]+)$/, action: 'ShowRouteTable' },
  { method: 'PUT', pattern: /^\/v1\/([0-9a-f]{32})\/routetables\/([\w-]+)$/, action: 'UpdateRouteTable' },
];

function peeringJson(p: HwPeering) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    status: p.status,
    request_vpc_info: { vpc_id: p.request.vpcId, tenant_id: p.request.tenantId },
    accept_vpc_info: { vpc_id: p.accept.vpcId, tenant_id: p.accept.tenantId },
    created_at: time(p.createdAt),
    updated_at: time(p.updatedAt),
  };
}

function tableJson(t: HwRouteTable) {
  return {
    id: t.id,
    name: `rtb-${t.vpcId.slice(0, 8)}`,
    default: true,
    routes: t.routes,
    subnets: [],
    tenant_id: t.projectId,
    vpc_id: t.vpcId,
    description: '',
  };
}

export class HwSimulator implements CloudSim {
  readonly prefix = '/huawei';

  constructor(
    readonly world: HwWorld,
    private readonly faults: FaultPlan,
  ) {}

  private json(status: number, body: unknown, requestId: string): WireResponse {
    return {
      status,
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: body === null ? '' : JSON.stringify(body),
    };
  }

  private error(e: HwError, requestId: string): WireResponse {
    const body =
      e.code === null
        ? { message: e.message }
        : e.style === 'apigw'
          ? { error_code: e.code, error_msg: e.message, request_id: requestId }
          : { code: e.code, message: e.message };
    return this.json(e.status, body, requestId);
  }

  private dispatch(
    action: string,
    m: RegExpExecArray,
    query: URLSearchParams,
    body: Record<string, unknown>,
    caller: HwCaller,
  ): [number, unknown] {
    const w = this.world;
    switch (action) {
      case 'ListVpcPeerings': {
        const limitRaw = query.get('limit');
        // "from 0 to intmax (2^31-1)", default 2000 (the v2.0 list API reference); 0 taken as the default here
        const asked = limitRaw === null ? 2000 : Number(limitRaw);
        if (!Number.isInteger(asked) || asked < 0 || asked > 2 ** 31 - 1)
          throw new HwError(400, null, `limit ${limitRaw} is invalid`);
        const limit = asked === 0 ? 2000 : asked;
        let items = w.list(caller);
        for (const [key, get] of [
          ['id', (p: HwPeering) => [p.id]],
          ['name', (p: HwPeering) => [p.name]],
          ['status', (p: HwPeering) => [p.status]],
          ['tenant_id', (p: HwPeering) => [p.request.tenantId, p.accept.tenantId]],
          ['vpc_id', (p: HwPeering) => [p.request.vpcId, p.accept.vpcId]],
        ] as const) {
          const v = query.get(key);
          if (v) items = items.filter((p) => get(p).includes(v));
        }
        const marker = query.get('marker');
        if (marker) {
          const i = items.findIndex((p) => p.id === marker);
          if (i < 0) throw new HwError(400, null, `marker ${marker} is invalid`);
          items = items.slice(i + 1);
        }
        const page = items.slice(0, limit);
        const more = items.length > limit;
        const links = more
          ? [{ href: `/v2.0/vpc/peerings?limit=${limit}&marker=${page[page.length - 1].id}`, rel: 'next' }]
          : [];
        return [200, { peerings: page.map(peeringJson), peerings_links: links }];
      }
      case 'CreateVpcPeering': {
        const p = (body.peering ?? {}) as {
          name?: string;
          description?: string;
          request_vpc_info?: { vpc_id?: string; tenant_id?: string };
          accept_vpc_info?: { vpc_id?: string; tenant_id?: string };
        };
        if (!p.name || !p.request_vpc_info?.vpc_id || !p.accept_vpc_info?.vpc_id)
          throw new HwError(400, null, 'peering.name, request_vpc_info.vpc_id and accept_vpc_info.vpc_id are required');
        const created = w.createPeering(caller, {
          name: p.name,
          description: p.description,
          requestVpcId: p.request_vpc_info.vpc_id,
          requestTenantId: p.request_vpc_info.tenant_id,
          acceptVpcId: p.accept_vpc_info.vpc_id,
          acceptTenantId: p.accept_vpc_info.tenant_id,
        });
        return [201, { peering: peeringJson(created) }];
      }
      case 'ShowVpcPeering':
        return [200, { peering: peeringJson(w.get(caller, m[1])) }];
      case 'DeleteVpcPeering':
        w.delete(caller, m[1]);
        return [204, null];
      case 'AcceptVpcPeering':
        return [200, peeringJson(w.accept(caller, m[1]))];
      case 'RejectVpcPeering':
        return [200, peeringJson(w.reject(caller, m[1]))];
      case 'ShowRouteTable':
        if (m[1] !== caller.projectId) throw new HwError(400, 'VPC.0007', 'urlTenantId is not equal tokenTenantId');
        return [200, { routetable: tableJson(w.ownRouteTable(caller, m[2])) }];
      case 'UpdateRouteTable': {
        if (m[1] !== caller.projectId) throw new HwError(400, 'VPC.0007', 'urlTenantId is not equal tokenTenantId');
        const r =
          (
            (body.routetable ?? {}) as {
              routes?: {
                add?: Array<{ type: string; destination: string; nexthop: string; description?: string }>;
                del?: Array<{ destination: string; nexthop?: string }>;
              };
            }
          ).routes ?? {};
        const t = w.updateRoutes(
          caller,
          m[2],
          (r.add ?? []).map((a) => ({
            type: a.type,
            destination: a.destination,
            nexthop: a.nexthop,
            description: a.description ?? '',
          })),
          r.del ?? [],
        );
        return [200, { routetable: tableJson(t) }];
      }
      default:
        throw new HwError(
          404,
          'APIGW.0101',
          'The API does not exist or has not been published in the environment',
          'apigw',
        );
    }
  }

  async handle(req: SimRequest): Promise<WireResponse> {
    const requestId = randomUUID().replace(/-/g, '');
    const route = routes
      .map((r) => ({ r, m: r.method === req.method ? r.pattern.exec(req.path) : null }))
      .find((x) => x.m);
    const action = route?.r.action ?? `${req.method} ${req.path}`;
    // Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=…, Signature=<hex>; X-Sdk-Date: 20261123T072158Z
    const auth = /^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/.exec(
      String(req.headers.authorization ?? ''),
    );
    const date = /^\d{8}T\d{6}Z$/.test(String(req.headers['x-sdk-date'] ?? ''));
    const project = auth ? this.world.projectByAk(auth[1]) : undefined;
    const headerProject = String(req.headers['x-project-id'] ?? '');
    const verdict = this.faults.onCall({
      provider: 'huawei',
      action,
      account: project?.projectId ?? headerProject,
      region: project?.region ?? '',
      at: this.world.clock.now().toISOString(),
      target: route?.m?.[route.m.length - 1],
    });
    if (verdict.latencyMs) await sleep(verdict.latencyMs);
    if (!auth || !date || !project || headerProject !== project.projectId) {
      return this.error(
        new HwError(401, 'APIGW.0301', 'Incorrect IAM authentication information: verify aksk signature fail', 'apigw'),
        requestId,
      );
    }
    if (verdict.error === 'throttle')
      return this.error(new HwError(429, 'APIGW.0308', 'The request is throttled', 'apigw'), requestId);
    if (verdict.error === 'server-error') return this.error(new HwError(500, null, 'System exception'), requestId);
    if (verdict.error === 'unavailable') return this.error(new HwError(503, null, 'Service Unavailable'), requestId);
    if (!route?.m)
      return this.error(
        new HwError(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment', 'apigw'),
        requestId,
      );
    try {
      let body: Record<string, unknown> = {};
      if (req.body) {
        try {
          body = JSON.parse(req.body) as Record<string, unknown>;
        } catch {
          throw new HwError(400, null, 'the request body is not valid JSON');
        }
      }
      const [status, out] = this.dispatch(route.r.action, route.m, new URLSearchParams(req.query), body, {
        projectId: project.projectId,
        region: project.region,
      });
      return this.json(status, out, requestId);
    } catch (err) {
      if (err instanceof HwError) return this.error(err, requestId);
      throw err;
    }
  }

  /** Control operations for tests, the demo and `peerlink sim huawei …`. */
  control(op: string, body: Record<string, unknown>): unknown {
    const w = this.world;
    switch (op) {
      case 'project': {
        const p = w.createProject(
          String(body.region),
          body.projectId as string | undefined,
          body.ak as string | undefined,
          body.sk as string | undefined,
        );
        return { projectId: p.projectId, region: p.region, ak: p.ak, sk: p.sk };
      }
      case 'vpc': {
        const v = w.createVpc({ projectId: String(body.projectId), region: String(body.region) }, String(body.cidr));
        return { vpcId: v.id, cidr: v.cidr, routeTableId: v.routeTableId };
      }
      default:
        throw new Error(`unknown huawei control operation ${op}`);
    }
  }

  snapshot(): unknown {
    const w = this.world;
    return {
      projects: [...w.projects.values()].map((p) => ({ projectId: p.projectId, region: p.region, ak: p.ak })),
      vpcs: [...w.vpcs.values()],
      routeTables: [...w.routeTables.values()],
      peerings: [...w.peerings.values()],
    };
  }
}
