/**
 * The Huawei Cloud adapter on `@huaweicloud/huaweicloud-sdk-vpc` (VPC API v2.0 peerings, v1 route tables).
 * The SDK loses VPC error bodies (`{"code","message"}` has no `error_code`, so its exception carries only the HTTP
 * library's text): the client (`sdk.ts`) accepts every status and this adapter reads status and body itself.
 */
import { v2 } from '@huaweicloud/huaweicloud-sdk-vpc';
import { huaweiClient, type HwVpcClient } from './sdk.js';
import type { ConnectionObservation, ConnectionPhase, RouteObservation } from '../../core/lifecycle.js';
import {
  ProviderError,
  providerCall,
  type OnCall,
  type PeeringAdapter,
  type PlatformTarget,
  type RouteRef,
} from '../provider.js';

const phases: Record<string, ConnectionPhase> = {
  PENDING_ACCEPTANCE: 'awaiting-acceptance',
  ACTIVE: 'active',
  REJECTED: 'rejected',
  EXPIRED: 'expired',
  DELETED: 'deleted',
};

interface Body {
  httpStatusCode?: number;
  code?: string;
  message?: string;
  error_code?: string;
  error_msg?: string;
  NeutronError?: { type?: string; message?: string };
}

/**
 * By status first (429, 5xx: transient; 409: the state moved; 404: not there), then by code: the body is a VPC error
 * `{code, message}`, an API-gateway error `{error_code, error_msg}`, or a Neutron-style `{NeutronError}`.
 */
export function classifyHuaweiResponse(operation: string, body: Body): ProviderError {
  const status = body.httpStatusCode ?? 0;
  const code = body.code ?? body.error_code ?? body.NeutronError?.type ?? `HTTP ${status}`;
  const message = body.message ?? body.error_msg ?? body.NeutronError?.message ?? `HTTP ${status}`;
  if (status === 429 || status >= 500 || code === 'APIGW.0308')
    return new ProviderError('transient', operation, code, message);
  if (status === 409) return new ProviderError('conflict', operation, code, message);
  return new ProviderError('permanent', operation, code, message);
}

interface PeeringJson {
  id?: string;
  status?: string;
  request_vpc_info?: { vpc_id?: string; tenant_id?: string };
  accept_vpc_info?: { vpc_id?: string; tenant_id?: string };
}

/** Huawei peerings are same-region and carry no CIDR: the customer types it, and the side's region is the project's. */
export function observationOf(p: PeeringJson, region: string): ConnectionObservation {
  const status = p.status ?? 'UNKNOWN';
  return {
    providerId: p.id ?? '',
    phase: phases[status] ?? 'failed',
    providerStatus: status,
    providerMessage: '',
    requester: {
      accountId: p.request_vpc_info?.tenant_id ?? '',
      vpcId: p.request_vpc_info?.vpc_id ?? '',
      region,
      cidrs: [],
    },
    accepter: {
      accountId: p.accept_vpc_info?.tenant_id ?? '',
      vpcId: p.accept_vpc_info?.vpc_id ?? '',
      region,
      cidrs: [],
    },
  };
}

export interface HuaweiAdapterOptions {
  requestTimeoutMs?: number;
  onCall?: OnCall;
}

export class HuaweiAdapter implements PeeringAdapter {
  private readonly clients = new Map<string, HwVpcClient>();

  constructor(private readonly options: HuaweiAdapterOptions = {}) {}

  /** Platform account = the platform's project in the deployment's region (32-hex project ID). */
  private client(t: PlatformTarget): HwVpcClient {
    const key = `${t.endpoint ?? ''}|${t.region}|${t.credentials.accessKeyId}|${t.accountId}`;
    let c = this.clients.get(key);
    if (!c) {
      c = huaweiClient({
        ak: t.credentials.accessKeyId,
        sk: t.credentials.secretAccessKey,
        projectId: t.accountId,
        endpoint: t.endpoint ?? `https://vpc.${t.region}.myhuaweicloud.com`,
        timeoutMs: this.options.requestTimeoutMs ?? 10_000,
      });
      this.clients.set(key, c);
    }
    return c;
  }

  // The SDK's response types are model classes, but what it returns is the service's JSON (snake_case) plus
  // httpStatusCode: the casts below say so.
  private call<T extends Body>(
    operation: string,
    fn: () => Promise<T>,
    ok: (status: number) => boolean = (s) => s < 400,
  ): Promise<T> {
    return providerCall(
      operation,
      async () => {
        const out = await fn();
        if (!ok(out.httpStatusCode ?? 0)) throw classifyHuaweiResponse(operation, out);
        return out;
      },
      // Besides our own, only transport failures reach here (refused, reset, timed out): the cloud never answered.
      (op, err) => {
        if (err instanceof ProviderError) return err;
        const e = err as { errorMsg?: string; message?: string; code?: string };
        return new ProviderError('transient', op, e.code ?? 'NetworkError', e.errorMsg ?? e.message ?? String(err));
      },
      this.options.onCall,
    );
  }

  async describe(t: PlatformTarget, ids: string[]): Promise<Map<string, ConnectionObservation>> {
    const out = new Map<string, ConnectionObservation>();
    for (const id of ids) {
      const res = await this.call(
        'ShowVpcPeering',
        () =>
          this.client(t).showVpcPeering(new v2.ShowVpcPeeringRequest().withPeeringId(id)) as Promise<
            Body & { peering?: PeeringJson }
          >,
        (s) => s < 400 || s === 404,
      );
      if (res.httpStatusCode !== 404 && res.peering) out.set(id, observationOf(res.peering, t.region));
    }
    return out;
  }

  async *listAccepted(t: PlatformTarget): AsyncGenerator<ConnectionObservation[]> {
    let marker: string | undefined;
    do {
      const req = new v2.ListVpcPeeringsRequest().withLimit(1000);
      if (marker) req.withMarker(marker);
      const page = await this.call(
        'ListVpcPeerings',
        () =>
          this.client(t).listVpcPeerings(req) as unknown as Promise<
            Body & { peerings?: PeeringJson[]; peerings_links?: Array<{ rel?: string }> }
          >,
      );
      const items = page.peerings ?? [];
      yield items.map((p) => observationOf(p, t.region)).filter((c) => c.accepter.accountId === t.accountId);
      marker =
        page.peerings_links?.some((l) => l.rel === 'next') && items.length > 0 ? items[items.length - 1].id : undefined;
    } while (marker);
  }

  private async table(
    t: PlatformTarget,
    tableId: string,
  ): Promise<Array<{ type?: string; destination?: string; nexthop?: string }>> {
    const res = await this.call(
      'ShowRouteTable',
      () =>
        this.client(t).showRouteTable(new v2.ShowRouteTableRequest().withRoutetableId(tableId)) as Promise<
          Body & { routetable?: { routes?: Array<{ type?: string; destination?: string; nexthop?: string }> } }
        >,
    );
    return res.routetable?.routes ?? [];
  }

  async routes(t: PlatformTarget, connectionId: string, routeTableIds: string[]): Promise<RouteObservation[]> {
    const out: RouteObservation[] = [];
    for (const tableId of routeTableIds) {
      for (const r of await this.table(t, tableId)) {
        if (r.type === 'peering' && r.nexthop === connectionId && r.destination)
          out.push({ tableId, cidr: r.destination, state: 'active' });
      }
    }
    return out;
  }

  async accept(t: PlatformTarget, connectionId: string): Promise<void> {
    await this.call(
      'AcceptVpcPeering',
      () =>
        this.client(t).acceptVpcPeering(new v2.AcceptVpcPeeringRequest().withPeeringId(connectionId)) as Promise<Body>,
    );
  }

  private async updateRoutes(
    t: PlatformTarget,
    tableId: string,
    add: RouteRef[],
    del: RouteRef[],
    connectionId: string,
  ): Promise<void> {
    const action = new v2.RouteTableRouteAction();
    if (add.length)
      action.withAdd(
        add.map((r) => new v2.AddRouteTableRoute('peering', r.cidr, connectionId).withDescription('peerlink')),
      );
    if (del.length)
      action.withDel(del.map((r) => new v2.DelRouteTableRoute(r.cidr).withType('peering').withNexthop(connectionId)));
    const body = new v2.UpdateRoutetableReqBody().withRoutetable(new v2.UpdateRouteTableReq().withRoutes(action));
    await this.call(
      'UpdateRouteTable',
      () =>
        this.client(t).updateRouteTable(
          new v2.UpdateRouteTableRequest().withRoutetableId(tableId).withBody(body),
        ) as Promise<Body>,
    );
  }

  /** Read, then add only what is missing: a retried call is done, and a destination routed elsewhere is refused. */
  async createRoutes(t: PlatformTarget, connectionId: string, routes: RouteRef[]): Promise<void> {
    for (const tableId of [...new Set(routes.map((r) => r.tableId))]) {
      const existing = await this.table(t, tableId);
      const wanted = routes.filter((r) => r.tableId === tableId);
      const taken = wanted.find((r) => existing.some((e) => e.destination === r.cidr && e.nexthop !== connectionId));
      if (taken)
        throw new ProviderError(
          'permanent',
          'UpdateRouteTable',
          'VPC.2809',
          `route table ${tableId} already routes ${taken.cidr} elsewhere`,
        );
      const missing = wanted.filter(
        (r) => !existing.some((e) => e.destination === r.cidr && e.nexthop === connectionId),
      );
      if (missing.length) await this.updateRoutes(t, tableId, missing, [], connectionId);
    }
  }

  async deleteRoutes(t: PlatformTarget, connectionId: string, routes: RouteRef[]): Promise<void> {
    for (const tableId of [...new Set(routes.map((r) => r.tableId))]) {
      const existing = await this.table(t, tableId);
      const present = routes.filter(
        (r) => r.tableId === tableId && existing.some((e) => e.destination === r.cidr && e.nexthop === connectionId),
      );
      if (present.length) await this.updateRoutes(t, tableId, [], present, connectionId);
    }
  }

  async deleteConnection(t: PlatformTarget, connectionId: string): Promise<void> {
    await this.call(
      'DeleteVpcPeering',
      () =>
        this.client(t).deleteVpcPeering(new v2.DeleteVpcPeeringRequest().withPeeringId(connectionId)) as Promise<Body>,
      (s) => s < 400 || s === 404,
    );
  }
}
