/**
 * The Alibaba Cloud adapter. VPC peer connections are the VpcPeer product (API 2022-01-01), whose own npm package is
 * not served by the registry reachable here: they go through the official OpenAPI client's generic `callApi`, and the
 * route entries through `@alicloud/vpc20160428` (VPC 2016-04-28, NextHopType=VpcPeer). The customer names its VPC (the
 * initiator); the platform finds the connection, accepts it and routes. The route entries, asynchronous and one
 * change per VPC at a time, are in route-entries.ts.
 */
import type { ConnectionObservation, ConnectionPhase } from '../../core/observation.js';
import { ClientCache, credential, providerCall } from '../kit.js';
import { ProviderError, type AdapterOptions, type ConnectionRef, type PlatformTarget } from '../provider.js';
import { classifyAlibabaError, codes } from './errors.js';
import { clientToken, routeEntries } from './route-entries.js';
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
  const call = <T>(t: PlatformTarget, operation: string, fn: () => Promise<T>) =>
    providerCall(t, operation, fn, classifyAlibabaError, options);
  const peerCall = (t: PlatformTarget, action: string, body: Record<string, string | number | boolean>) =>
    call(t, action, () => callVpcPeer(clients.get(t).peer, action, body, aliRuntime(timeoutMs)));

  async function* list(t: PlatformTarget, filter: Record<string, string>): AsyncGenerator<ConnectionObservation[]> {
    let token = '';
    do {
      const page = await peerCall(t, 'ListVpcPeerConnections', {
        ...filter,
        RegionId: t.region,
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

  /** Refuses a connection still in use by route entries, unless `force`. */
  const deleteConnection = (t: PlatformTarget, id: string, force: boolean) =>
    peerCall(t, 'DeleteVpcPeerConnection', {
      InstanceId: id,
      ClientToken: clientToken(),
      ...(force ? { Force: true } : {}),
    });

  return {
    connections: {
      observe: (t: PlatformTarget, ref: ConnectionRef) => describe(t, ref.connectionId),

      async *list(t: PlatformTarget): AsyncGenerator<ConnectionObservation[]> {
        for await (const page of list(t, {})) yield page.filter((c) => c.platform.accountId === t.accountId);
      },

      /**
       * A request still Accepting is rejected: the accepter's documented answer to a request (whether it may delete
       * one is not documented). Anything later is deleted. A delete refused because route entries still point at the
       * connection (OperationDenied.RouteEntryExist) is not ours to wait for: the reconciler removed the platform's
       * entries, and waited until they were gone, before closing — what is left is the customer's side (or a route
       * someone added by hand), so the delete is forced, which "deletes the routes that point to the VPC peering
       * connection" (DeleteVpcPeerConnection's Force, as Terraform's force_delete documents it).
       */
      async close(t: PlatformTarget, ref: ConnectionRef, current: ConnectionObservation): Promise<void> {
        const id = ref.connectionId;
        try {
          if (current.phase === 'awaiting-acceptance') {
            await peerCall(t, 'RejectVpcPeerConnection', { InstanceId: id, ClientToken: clientToken() });
            return;
          }
          await deleteConnection(t, id, false).catch((err: unknown) => {
            if (err instanceof ProviderError && err.providerCode === codes.routeEntryExists)
              return deleteConnection(t, id, true);
            throw err;
          });
        } catch (err) {
          if (!(err instanceof ProviderError)) throw err;
          if (err.providerCode === codes.connectionNotFound) return;
          const now = await describe(t, id);
          const ended = !now || ['deleting', 'deleted', 'rejected', 'expired'].includes(now.phase);
          if (err.kind === 'conflict' && ended) return;
          throw err;
        }
      },
    },

    acceptor: {
      async accept(t: PlatformTarget, ref: ConnectionRef): Promise<void> {
        await peerCall(t, 'AcceptVpcPeerConnection', { InstanceId: ref.connectionId, ClientToken: clientToken() });
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

    routes: routeEntries(clients, call, timeoutMs),
  };
}
