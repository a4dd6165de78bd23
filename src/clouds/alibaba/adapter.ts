/**
 * The Alibaba Cloud adapter. VPC peer connections are the VpcPeer product (API 2022-01-01), whose own npm package is
 * not served by the registry reachable here: they go through the official OpenAPI client's generic `callApi`, and the
 * route entries through `@alicloud/vpc20160428` (VPC 2016-04-28, NextHopType=VpcPeer). The customer names its VPC (the
 * initiator); the platform finds the connection, accepts it and routes.
 */
import * as $Vpc from '@alicloud/vpc20160428';
import type { ConnectionObservation, ConnectionPhase, RouteObservation } from '../../core/observation.js';
import { ClientCache, credential, ignoring, providerCall } from '../kit.js';
import {
  ProviderError,
  type AdapterOptions,
  type ConnectionRef,
  type PlatformTarget,
  type RouteRef,
} from '../provider.js';
import { classifyAlibabaError, codes } from './errors.js';
import { aliClient, aliRuntime, callVpcPeer, type AliVpcClient } from './sdk.js';

const phases: Record<string, ConnectionPhase> = {
  Creating: 'initiating',
  Accepting: 'awaiting-acceptance',
  Updating: 'accepting',
  Activated: 'active',
  Rejected: 'rejected',
  Expired: 'expired',
  Deleting: 'deleting',
  Deleted: 'deleted',
};

interface PccJson {
  InstanceId?: string;
  Status?: string;
  OwnerId?: unknown;
  AcceptingOwnerUid?: unknown;
  RegionId?: string;
  AcceptingRegionId?: string;
  GmtExpired?: string;
  Vpc?: { VpcId?: string; Ipv4Cidrs?: string[] };
  AcceptingVpc?: { VpcId?: string; Ipv4Cidrs?: string[] };
}

/** UIDs arrive as int64 numbers on the wire (kept exact by the lossless parser) or as strings. */
const uid = (v: unknown) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' ? String(v) : '');

/** The initiator is the customer's side; the accepter is the platform's. */
export function observationOf(p: PccJson): ConnectionObservation {
  const status = p.Status ?? 'Unknown';
  return {
    providerId: p.InstanceId ?? '',
    phase: phases[status] ?? 'failed',
    providerStatus: status,
    providerMessage: '',
    customer: {
      accountId: uid(p.OwnerId),
      vpcId: p.Vpc?.VpcId ?? '',
      region: p.RegionId ?? '',
      cidrs: p.Vpc?.Ipv4Cidrs ?? [],
    },
    platform: {
      accountId: uid(p.AcceptingOwnerUid),
      vpcId: p.AcceptingVpc?.VpcId ?? '',
      region: p.AcceptingRegionId ?? '',
      cidrs: p.AcceptingVpc?.Ipv4Cidrs ?? [],
    },
    expiresAt: p.GmtExpired ? new Date(p.GmtExpired).toISOString() : undefined,
  };
}

function routeState(status: string | undefined): RouteObservation['state'] {
  return status === 'Available' ? 'active' : 'pending';
}

function connectionsOf(page: Record<string, unknown>): PccJson[] {
  const list = page.VpcPeerConnects;
  return Array.isArray(list) ? (list as PccJson[]) : [];
}

export function alibabaAdapter(options: AdapterOptions = {}) {
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  /**
   * The platform account's endpoint override (simulator, proxy) applies to both products; absent: Alibaba's own hosts.
   */
  const clients = new ClientCache<{ peer: AliVpcClient; vpc: AliVpcClient }>((t) => {
    const o = {
      accessKeyId: credential(t, 'accessKeyId'),
      accessKeySecret: credential(t, 'secretAccessKey'),
      region: t.region,
      endpoint: t.endpoint,
      timeoutMs,
    };
    return { peer: aliClient({ ...o, host: 'vpcpeer.aliyuncs.com' }), vpc: aliClient(o) };
  });
  const call = <T>(operation: string, fn: () => Promise<T>) =>
    providerCall(operation, fn, classifyAlibabaError, options.onCall);
  const peerCall = (t: PlatformTarget, action: string, body: Record<string, string | number>) =>
    call(action, () => callVpcPeer(clients.get(t).peer, t.region, action, body, aliRuntime(timeoutMs)));

  async function* list(t: PlatformTarget, filter: Record<string, string>): AsyncGenerator<ConnectionObservation[]> {
    let token = '';
    do {
      const page = await peerCall(t, 'ListVpcPeerConnections', {
        ...filter,
        MaxResults: 100,
        ...(token ? { NextToken: token } : {}),
      });
      yield connectionsOf(page).map(observationOf);
      token = typeof page.NextToken === 'string' ? page.NextToken : '';
    } while (token);
  }

  async function describe(t: PlatformTarget, id: string): Promise<ConnectionObservation | null> {
    try {
      return observationOf(await peerCall(t, 'GetVpcPeerConnectionAttribute', { InstanceId: id }));
    } catch (err) {
      if (err instanceof ProviderError && err.providerCode === codes.connectionNotFound) return null;
      throw err;
    }
  }

  async function routes(t: PlatformTarget, connectionId: string, routeTableIds: string[]): Promise<RouteObservation[]> {
    const out: RouteObservation[] = [];
    for (const tableId of routeTableIds) {
      let token = '';
      do {
        const request = new $Vpc.DescribeRouteEntryListRequest({
          regionId: t.region,
          routeTableId: tableId,
          nextHopId: connectionId,
          maxResult: 100,
          nextToken: token || undefined,
        });
        const page = await call('DescribeRouteEntryList', () =>
          clients.get(t).vpc.describeRouteEntryListWithOptions(request, aliRuntime(timeoutMs)),
        );
        for (const e of page.body?.routeEntrys?.routeEntry ?? []) {
          const toUs = (e.nextHops?.nextHop ?? []).some((h) => h.nextHopId === connectionId);
          if (e.destinationCidrBlock && toUs)
            out.push({ tableId, cidr: e.destinationCidrBlock, state: routeState(e.status) });
        }
        token = page.body?.nextToken ?? '';
      } while (token);
    }
    return out;
  }

  return {
    connections: {
      observe: (t: PlatformTarget, ref: ConnectionRef) => describe(t, ref.connectionId),

      async *list(t: PlatformTarget): AsyncGenerator<ConnectionObservation[]> {
        for await (const page of list(t, {})) yield page.filter((c) => c.platform.accountId === t.accountId);
      },

      async close(t: PlatformTarget, ref: ConnectionRef): Promise<void> {
        try {
          await peerCall(t, 'DeleteVpcPeerConnection', { InstanceId: ref.connectionId });
        } catch (err) {
          if (!(err instanceof ProviderError)) throw err;
          if (err.providerCode === codes.connectionNotFound) return;
          const now = await describe(t, ref.connectionId);
          if (err.kind === 'conflict' && (!now || now.phase === 'deleting' || now.phase === 'deleted')) return;
          throw err;
        }
      },
    },

    acceptor: {
      async accept(t: PlatformTarget, ref: ConnectionRef): Promise<void> {
        await peerCall(t, 'AcceptVpcPeerConnection', { InstanceId: ref.connectionId });
      },
    },

    locator: {
      async locate(t: PlatformTarget, between: { customerVpcId: string; deploymentVpcId: string }) {
        const found: ConnectionObservation[] = [];
        for await (const page of list(t, { VpcId: between.customerVpcId })) {
          const ours = (c: ConnectionObservation) =>
            c.customer.vpcId === between.customerVpcId &&
            c.platform.vpcId === between.deploymentVpcId &&
            c.platform.accountId === t.accountId;
          found.push(...page.filter(ours));
        }
        return found;
      },
    },

    routes: {
      observe: routes,

      async create(t: PlatformTarget, connectionId: string, wanted: RouteRef[]): Promise<void> {
        for (const r of wanted) {
          const request = new $Vpc.CreateRouteEntryRequest({
            regionId: t.region,
            routeTableId: r.tableId,
            destinationCidrBlock: r.cidr,
            nextHopType: 'VpcPeer',
            nextHopId: connectionId,
          });
          const created = await ignoring([codes.routeDuplicate], () =>
            call('CreateRouteEntry', () =>
              clients.get(t).vpc.createRouteEntryWithOptions(request, aliRuntime(timeoutMs)),
            ),
          );
          if (created) continue;
          // Already there: done if it points at this connection (a retried call, or a crash after the call landed).
          const existing = await routes(t, connectionId, [r.tableId]);
          if (!existing.some((x) => x.cidr === r.cidr)) {
            const message = `route table ${r.tableId} already routes ${r.cidr} elsewhere`;
            throw new ProviderError('permanent', 'CreateRouteEntry', codes.routeDuplicate, message);
          }
        }
      },

      async remove(t: PlatformTarget, connectionId: string, gone: RouteRef[]): Promise<void> {
        for (const r of gone) {
          const request = new $Vpc.DeleteRouteEntryRequest({
            regionId: t.region,
            routeTableId: r.tableId,
            destinationCidrBlock: r.cidr,
            nextHopId: connectionId,
          });
          await ignoring([codes.routeNotFound], () =>
            call('DeleteRouteEntry', () =>
              clients.get(t).vpc.deleteRouteEntryWithOptions(request, aliRuntime(timeoutMs)),
            ),
          );
        }
      },
    },
  };
}
