/**
 * The Alibaba Cloud adapter. VPC peer connections are the VpcPeer product (API 2022-01-01), whose own npm package is
 * not served by the registry reachable here: they go through the official OpenAPI client's generic `callApi`, and the
 * route entries through `@alicloud/vpc20160428` (VPC 2016-04-28, NextHopType=VpcPeer). Responses of VpcPeer are read
 * as text and parsed losslessly, so an 18-digit account UID stays exact (it does not fit a double).
 */
import * as $Vpc from '@alicloud/vpc20160428';
import type { ConnectionObservation, ConnectionPhase, RouteObservation } from '../../core/lifecycle.js';
import { aliClient, aliRuntime, callVpcPeer, type AliVpcClient } from './sdk.js';
import {
  ProviderError,
  providerCall,
  type OnCall,
  type PeeringAdapter,
  type PlatformTarget,
  type RouteRef,
} from '../provider.js';

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

/** The state moved under us: observe again. */
const conflictCodes = new Set([
  'IncorrectStatus.VpcPeer',
  'IncorrectBusinessStatus.VpcPeer',
  'ResourceAlreadyExist.VpcPeer',
  'OperationConflict',
  'TaskConflict',
]);
const transientCodes = new Set([
  'ServiceUnavailable',
  'InternalError',
  'UnknownError',
  'OperationFailed.LastTokenProcessing',
  'SystemBusy',
  'LastTokenProcessing',
]);
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ESOCKETTIMEDOUT',
  'ReadTimeout',
  'ConnectTimeout',
]);

interface SdkError {
  name?: string;
  code?: string;
  statusCode?: number;
  message?: string;
  data?: { Code?: string; Message?: string; RequestId?: string };
}

export function classifyAlibabaError(operation: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const e = (err ?? {}) as SdkError;
  const code = e.data?.Code ?? e.code ?? e.name ?? 'Unknown';
  const status = e.statusCode ?? 0;
  const message = e.data?.Message
    ? `${e.data.Message} (RequestId ${e.data.RequestId ?? '?'})`
    : (e.message ?? String(err));
  if (
    code.startsWith('Throttling') ||
    e.name === 'ThrottlingError' ||
    transientCodes.has(code) ||
    networkCodes.has(code) ||
    status >= 500 ||
    (status === 0 && !e.data)
  ) {
    return new ProviderError('transient', operation, code, message);
  }
  if (conflictCodes.has(code)) return new ProviderError('conflict', operation, code, message);
  return new ProviderError('permanent', operation, code, message);
}

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

const uid = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export function observationOf(p: PccJson): ConnectionObservation {
  const status = p.Status ?? 'Unknown';
  return {
    providerId: p.InstanceId ?? '',
    phase: phases[status] ?? 'failed',
    providerStatus: status,
    providerMessage: '',
    requester: {
      accountId: uid(p.OwnerId),
      vpcId: p.Vpc?.VpcId ?? '',
      region: p.RegionId ?? '',
      cidrs: p.Vpc?.Ipv4Cidrs ?? [],
    },
    accepter: {
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

export interface AlibabaAdapterOptions {
  requestTimeoutMs?: number;
  onCall?: OnCall;
}

export class AlibabaAdapter implements PeeringAdapter {
  private readonly clients = new Map<string, { peer: AliVpcClient; vpc: AliVpcClient }>();

  constructor(private readonly options: AlibabaAdapterOptions = {}) {}

  /** The platform account's endpoint override (simulator, proxy) applies to both products; absent: Alibaba's own hosts. */
  private client(t: PlatformTarget): { peer: AliVpcClient; vpc: AliVpcClient } {
    const key = `${t.endpoint ?? ''}|${t.region}|${t.credentials.accessKeyId}`;
    let c = this.clients.get(key);
    if (!c) {
      const o = {
        accessKeyId: t.credentials.accessKeyId,
        accessKeySecret: t.credentials.secretAccessKey,
        region: t.region,
        endpoint: t.endpoint,
        timeoutMs: this.options.requestTimeoutMs ?? 10_000,
      };
      c = { peer: aliClient({ ...o, host: 'vpcpeer.aliyuncs.com' }), vpc: aliClient(o) };
      this.clients.set(key, c);
    }
    return c;
  }

  private runtime() {
    return aliRuntime(this.options.requestTimeoutMs ?? 10_000);
  }

  private call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return providerCall(operation, fn, classifyAlibabaError, this.options.onCall);
  }

  private peerCall(
    t: PlatformTarget,
    action: string,
    body: Record<string, string | number>,
  ): Promise<Record<string, unknown>> {
    return this.call(action, () => callVpcPeer(this.client(t).peer, t.region, action, body, this.runtime()));
  }

  private async *list(t: PlatformTarget, filter: Record<string, string>): AsyncGenerator<ConnectionObservation[]> {
    let token = '';
    do {
      const page = await this.peerCall(t, 'ListVpcPeerConnections', {
        ...filter,
        MaxResults: 100,
        ...(token ? { NextToken: token } : {}),
      });
      yield ((page.VpcPeerConnects as PccJson[] | undefined) ?? []).map(observationOf);
      token = String(page.NextToken ?? '');
    } while (token);
  }

  async describe(t: PlatformTarget, ids: string[]): Promise<Map<string, ConnectionObservation>> {
    const out = new Map<string, ConnectionObservation>();
    for (const id of ids) {
      try {
        out.set(
          id,
          observationOf((await this.peerCall(t, 'GetVpcPeerConnectionAttribute', { InstanceId: id })) as PccJson),
        );
      } catch (err) {
        if (!(err instanceof ProviderError) || err.providerCode !== 'ResourceNotFound.InstanceId') throw err;
      }
    }
    return out;
  }

  async *listAccepted(t: PlatformTarget): AsyncGenerator<ConnectionObservation[]> {
    for await (const page of this.list(t, {})) yield page.filter((c) => c.accepter.accountId === t.accountId);
  }

  async locate(
    t: PlatformTarget,
    between: { requesterVpcId: string; accepterVpcId: string },
  ): Promise<ConnectionObservation[]> {
    const found: ConnectionObservation[] = [];
    for await (const page of this.list(t, { VpcId: between.requesterVpcId })) {
      found.push(
        ...page.filter(
          (c) =>
            c.requester.vpcId === between.requesterVpcId &&
            c.accepter.vpcId === between.accepterVpcId &&
            c.accepter.accountId === t.accountId,
        ),
      );
    }
    return found;
  }

  async routes(t: PlatformTarget, connectionId: string, routeTableIds: string[]): Promise<RouteObservation[]> {
    const out: RouteObservation[] = [];
    for (const tableId of routeTableIds) {
      let token = '';
      do {
        const page = await this.call('DescribeRouteEntryList', () =>
          this.client(t).vpc.describeRouteEntryListWithOptions(
            new $Vpc.DescribeRouteEntryListRequest({
              regionId: t.region,
              routeTableId: tableId,
              nextHopId: connectionId,
              maxResult: 100,
              nextToken: token || undefined,
            }),
            this.runtime(),
          ),
        );
        for (const e of page.body?.routeEntrys?.routeEntry ?? []) {
          if (e.destinationCidrBlock && (e.nextHops?.nextHop ?? []).some((h) => h.nextHopId === connectionId))
            out.push({ tableId, cidr: e.destinationCidrBlock, state: routeState(e.status) });
        }
        token = page.body?.nextToken ?? '';
      } while (token);
    }
    return out;
  }

  async accept(t: PlatformTarget, connectionId: string): Promise<void> {
    await this.peerCall(t, 'AcceptVpcPeerConnection', { InstanceId: connectionId });
  }

  async createRoutes(t: PlatformTarget, connectionId: string, routes: RouteRef[]): Promise<void> {
    for (const r of routes) {
      try {
        await this.call('CreateRouteEntry', () =>
          this.client(t).vpc.createRouteEntryWithOptions(
            new $Vpc.CreateRouteEntryRequest({
              regionId: t.region,
              routeTableId: r.tableId,
              destinationCidrBlock: r.cidr,
              nextHopType: 'VpcPeer',
              nextHopId: connectionId,
            }),
            this.runtime(),
          ),
        );
      } catch (err) {
        if (!(err instanceof ProviderError) || err.providerCode !== 'InvalidCIDRBlock.Duplicate') throw err;
        // Already there: done if it points at this connection (a retried call, or a crash after the call landed).
        const existing = await this.routes(t, connectionId, [r.tableId]);
        if (!existing.some((x) => x.cidr === r.cidr))
          throw new ProviderError(
            'permanent',
            'CreateRouteEntry',
            'InvalidCIDRBlock.Duplicate',
            `route table ${r.tableId} already routes ${r.cidr} elsewhere`,
          );
      }
    }
  }

  async deleteRoutes(t: PlatformTarget, connectionId: string, routes: RouteRef[]): Promise<void> {
    for (const r of routes) {
      try {
        await this.call('DeleteRouteEntry', () =>
          this.client(t).vpc.deleteRouteEntryWithOptions(
            new $Vpc.DeleteRouteEntryRequest({
              regionId: t.region,
              routeTableId: r.tableId,
              destinationCidrBlock: r.cidr,
              nextHopId: connectionId,
            }),
            this.runtime(),
          ),
        );
      } catch (err) {
        if (!(err instanceof ProviderError) || err.providerCode !== 'InvalidRouteEntry.NotFound') throw err;
      }
    }
  }

  async deleteConnection(t: PlatformTarget, connectionId: string): Promise<void> {
    try {
      await this.peerCall(t, 'DeleteVpcPeerConnection', { InstanceId: connectionId });
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      if (err.providerCode === 'ResourceNotFound.InstanceId') return;
      const now = (await this.describe(t, [connectionId])).get(connectionId);
      if (err.kind === 'conflict' && (!now || now.phase === 'deleting' || now.phase === 'deleted')) return;
      throw err;
    }
  }
}
