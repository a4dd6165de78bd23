/**
 * The Huawei Cloud adapter on `@huaweicloud/huaweicloud-sdk-vpc` (VPC API v2.0 peerings, v1 route tables). The SDK
 * loses VPC error bodies (`{"code","message"}` has no `error_code`, so its exception carries only the HTTP library's
 * text): the client (`sdk.ts`) accepts every status and this adapter reads status and body itself. The customer
 * requests and types the peering, its VPC, CIDR and project; the platform accepts and routes.
 */
import { v2 } from '@huaweicloud/huaweicloud-sdk-vpc';
import type { ConnectionObservation, ConnectionPhase, RouteObservation } from '../../core/observation.js';
import { ClientCache, credential, providerCall } from '../kit.js';
import {
  ProviderError,
  type AdapterOptions,
  type ConnectionRef,
  type PlatformTarget,
  type RouteRef,
} from '../provider.js';
import { classifyHuaweiResponse, classifyHuaweiTransport, routeTakenCode, type HuaweiBody } from './errors.js';
import { huaweiClient, type HwVpcClient } from './sdk.js';

const phases: Record<string, ConnectionPhase> = {
  PENDING_ACCEPTANCE: 'awaiting-acceptance',
  ACTIVE: 'active',
  REJECTED: 'rejected',
  EXPIRED: 'expired',
  DELETED: 'deleted',
};

interface PeeringJson {
  id?: string;
  status?: string;
  request_vpc_info?: { vpc_id?: string; tenant_id?: string };
  accept_vpc_info?: { vpc_id?: string; tenant_id?: string };
}

interface Route {
  type?: string;
  destination?: string;
  nexthop?: string;
}

/**
 * Huawei peerings are same-region and carry no CIDR: the customer types it, and each side's region is the project's.
 * The request side is the customer's; the accept side is the platform's.
 */
export function observationOf(p: PeeringJson, region: string): ConnectionObservation {
  const status = p.status ?? 'UNKNOWN';
  return {
    providerId: p.id ?? '',
    phase: phases[status] ?? 'failed',
    providerStatus: status,
    providerMessage: '',
    customer: {
      accountId: p.request_vpc_info?.tenant_id ?? '',
      vpcId: p.request_vpc_info?.vpc_id ?? '',
      region,
      cidrs: [],
    },
    platform: {
      accountId: p.accept_vpc_info?.tenant_id ?? '',
      vpcId: p.accept_vpc_info?.vpc_id ?? '',
      region,
      cidrs: [],
    },
  };
}

export function huaweiAdapter(options: AdapterOptions = {}) {
  /** Platform account = the platform's project in the deployment's region (32-hex project ID). */
  const clients = new ClientCache<HwVpcClient>((t) =>
    huaweiClient({
      ak: credential(t, 'accessKeyId'),
      sk: credential(t, 'secretAccessKey'),
      projectId: t.accountId,
      endpoint: t.endpoint ?? `https://vpc.${t.region}.myhuaweicloud.com`,
      timeoutMs: options.requestTimeoutMs ?? 10_000,
    }),
  );
  // The SDK's response types are model classes, but what it returns is the service's JSON (snake_case) plus
  // httpStatusCode: the types below say so.
  const call = <T extends HuaweiBody>(
    t: PlatformTarget,
    operation: string,
    fn: () => Promise<T>,
    ok: (status: number) => boolean = (s) => s < 400,
  ) =>
    providerCall(
      t,
      operation,
      async () => {
        const out = await fn();
        if (!ok(out.httpStatusCode ?? 0)) throw classifyHuaweiResponse(operation, out);
        return out;
      },
      classifyHuaweiTransport,
      options,
    );

  async function table(t: PlatformTarget, tableId: string): Promise<Route[]> {
    const request = new v2.ShowRouteTableRequest().withRoutetableId(tableId);
    const res = await call(
      t,
      'ShowRouteTable',
      () => clients.get(t).showRouteTable(request) as Promise<HuaweiBody & { routetable?: { routes?: Route[] } }>,
    );
    return res.routetable?.routes ?? [];
  }

  async function updateRoutes(
    t: PlatformTarget,
    tableId: string,
    add: RouteRef[],
    del: RouteRef[],
    connectionId: string,
  ) {
    const action = new v2.RouteTableRouteAction();
    if (add.length) {
      action.withAdd(
        add.map((r) => new v2.AddRouteTableRoute('peering', r.cidr, connectionId).withDescription('peerlink')),
      );
    }
    if (del.length)
      action.withDel(del.map((r) => new v2.DelRouteTableRoute(r.cidr).withType('peering').withNexthop(connectionId)));
    const body = new v2.UpdateRoutetableReqBody().withRoutetable(new v2.UpdateRouteTableReq().withRoutes(action));
    const request = new v2.UpdateRouteTableRequest().withRoutetableId(tableId).withBody(body);
    await call(t, 'UpdateRouteTable', () => clients.get(t).updateRouteTable(request) as Promise<HuaweiBody>);
  }

  /** A GET 404 is a peering that is gone (Terraform's delete waiter takes it so). */
  async function observe(t: PlatformTarget, id: string): Promise<ConnectionObservation | null> {
    const request = new v2.ShowVpcPeeringRequest().withPeeringId(id);
    const res = await call(
      t,
      'ShowVpcPeering',
      () => clients.get(t).showVpcPeering(request) as Promise<HuaweiBody & { peering?: PeeringJson }>,
      (s) => s < 400 || s === 404,
    );
    return res.httpStatusCode !== 404 && res.peering ? observationOf(res.peering, t.region) : null;
  }

  return {
    connections: {
      observe: (t: PlatformTarget, ref: ConnectionRef) => observe(t, ref.connectionId),

      async *list(t: PlatformTarget): AsyncGenerator<ConnectionObservation[]> {
        let marker: string | undefined;
        do {
          const request = new v2.ListVpcPeeringsRequest().withLimit(1000);
          if (marker) request.withMarker(marker);
          type Page = HuaweiBody & { peerings?: PeeringJson[]; peerings_links?: Array<{ rel?: string }> };
          const page = await call(
            t,
            'ListVpcPeerings',
            () => clients.get(t).listVpcPeerings(request) as unknown as Promise<Page>,
          );
          const items = page.peerings ?? [];
          yield items.map((p) => observationOf(p, t.region)).filter((c) => c.platform.accountId === t.accountId);
          const more = page.peerings_links?.some((l) => l.rel === 'next') ?? false;
          marker = more && items.length > 0 ? items[items.length - 1]?.id : undefined;
        } while (marker);
      },

      /** 404: gone already (done); 409: still changing — a conflict, retried (Terraform's delete loop). */
      async close(t: PlatformTarget, ref: ConnectionRef): Promise<void> {
        const request = new v2.DeleteVpcPeeringRequest().withPeeringId(ref.connectionId);
        await call(
          t,
          'DeleteVpcPeering',
          () => clients.get(t).deleteVpcPeering(request) as Promise<HuaweiBody>,
          (s) => s < 400 || s === 404,
        );
      },
    },

    acceptor: {
      /**
       * As Terraform's accepter does (resource_huaweicloud_vpc_peering_connection_accepter.go): only a peering still
       * PENDING_ACCEPTANCE is accepted — anything else moved under us (a conflict: observe again) — and the accept is
       * made once; the reconciler then polls until ACTIVE (whether the accept applies at once is not documented).
       */
      async accept(t: PlatformTarget, ref: ConnectionRef): Promise<void> {
        const now = await observe(t, ref.connectionId);
        if (now?.providerStatus !== 'PENDING_ACCEPTANCE') {
          const message = `peering ${ref.connectionId} is ${now?.providerStatus ?? 'gone'}, not PENDING_ACCEPTANCE`;
          throw new ProviderError('conflict', 'AcceptVpcPeering', 'NotPendingAcceptance', message);
        }
        const request = new v2.AcceptVpcPeeringRequest().withPeeringId(ref.connectionId);
        await call(t, 'AcceptVpcPeering', () => clients.get(t).acceptVpcPeering(request) as Promise<HuaweiBody>);
      },
    },

    routes: {
      async observe(t: PlatformTarget, connectionId: string, routeTableIds: string[]): Promise<RouteObservation[]> {
        const out: RouteObservation[] = [];
        for (const tableId of routeTableIds) {
          for (const r of await table(t, tableId)) {
            if (r.type === 'peering' && r.nexthop === connectionId && r.destination) {
              out.push({ tableId, cidr: r.destination, state: 'active' });
            }
          }
        }
        return out;
      },

      /** Read, then add only what is missing: a retried call is done, and a destination routed elsewhere is refused. */
      async create(t: PlatformTarget, connectionId: string, routes: RouteRef[]): Promise<void> {
        for (const tableId of [...new Set(routes.map((r) => r.tableId))]) {
          const existing = await table(t, tableId);
          const wanted = routes.filter((r) => r.tableId === tableId);
          const taken = wanted.find((r) =>
            existing.some((e) => e.destination === r.cidr && e.nexthop !== connectionId),
          );
          if (taken) {
            const message = `route table ${tableId} already routes ${taken.cidr} elsewhere`;
            throw new ProviderError('permanent', 'UpdateRouteTable', routeTakenCode, message);
          }
          const missing = wanted.filter(
            (r) => !existing.some((e) => e.destination === r.cidr && e.nexthop === connectionId),
          );
          if (missing.length) await updateRoutes(t, tableId, missing, [], connectionId);
        }
      },

      async remove(t: PlatformTarget, connectionId: string, routes: RouteRef[]): Promise<void> {
        for (const tableId of [...new Set(routes.map((r) => r.tableId))]) {
          const existing = await table(t, tableId);
          const present = routes.filter(
            (r) =>
              r.tableId === tableId && existing.some((e) => e.destination === r.cidr && e.nexthop === connectionId),
          );
          if (present.length) await updateRoutes(t, tableId, [], present, connectionId);
        }
      },
    },
  };
}
