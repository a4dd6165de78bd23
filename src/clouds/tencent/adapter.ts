/**
 * The Tencent Cloud adapter: the platform joins the customer's CCN. It asks to attach the deployment VPC
 * (AttachCcnInstances with CcnUin = the customer's UIN, or ResetAttachCcnInstances after Tencent expired an earlier
 * application), watches its attachment's state, reads the CCN's other VPCs (their CIDRs are what Peerlink checks) and
 * its routes (disabled or conflicting ones are named), and detaches to delete or to withdraw a request.
 */
import type { ConnectionObservation, ConnectionPhase, RouteObservation } from '../../core/lifecycle.js';
import { RefusalError, refusal, type Refusal } from '../../core/errors.js';
import { parseIpv4Cidr, overlaps } from '../../core/cidr.js';
import { ProviderError, providerCall, type OnCall, type PeeringAdapter, type PlatformTarget } from '../provider.js';
import { tencentClient, type CcnAttachedInstance, type CcnRoute, type TcVpcClient } from './sdk.js';

const phases: Record<string, ConnectionPhase> = {
  PENDING: 'awaiting-customer',
  ATTACHING: 'accepting',
  ACTIVE: 'active',
  EXPIRED: 'expired',
  REJECTED: 'rejected',
  DELETED: 'deleted',
  FAILED: 'failed',
  DETACHING: 'deleting',
  DETACHFAILED: 'deleting',
};
const liveStates = ['PENDING', 'ATTACHING', 'ACTIVE', 'DETACHING'];

const conflictCodes = new Set([
  'UnsupportedOperation.NotPendingCcnInstance',
  'UnsupportedOperation.InvalidInstanceState',
  'UnsupportedOperation.CcnOrdered',
]);

export function classifyTencentError(operation: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const e = (err ?? {}) as { code?: string; message?: string; requestId?: string; httpCode?: number };
  const code = e.code ?? (e.httpCode ? `HTTP ${e.httpCode}` : 'NetworkError');
  const message = `${e.message ?? String(err)}${e.requestId ? ` (RequestId ${e.requestId})` : ''}`;
  // Always HTTP 200 with Response.Error; a missing code means the call never reached the API (network, gateway).
  if (
    !e.code ||
    code.startsWith('RequestLimitExceeded') ||
    code.startsWith('InternalError') ||
    code === 'ResourceUnavailable' ||
    code === 'ResourceInsufficient'
  ) {
    return new ProviderError('transient', operation, code, message);
  }
  if (conflictCodes.has(code)) return new ProviderError('conflict', operation, code, message);
  return new ProviderError('permanent', operation, code, message);
}

export interface TencentAdapterOptions {
  requestTimeoutMs?: number;
  onCall?: OnCall;
}

export class TencentAdapter implements PeeringAdapter {
  private readonly clients = new Map<string, TcVpcClient>();

  constructor(private readonly options: TencentAdapterOptions = {}) {}

  private client(t: PlatformTarget): TcVpcClient {
    const key = `${t.endpoint ?? ''}|${t.region}|${t.credentials.accessKeyId}`;
    let c = this.clients.get(key);
    if (!c) {
      c = tencentClient({
        secretId: t.credentials.accessKeyId,
        secretKey: t.credentials.secretAccessKey,
        region: t.region,
        endpoint: t.endpoint,
        timeoutSeconds: Math.ceil((this.options.requestTimeoutMs ?? 10_000) / 1000),
      });
      this.clients.set(key, c);
    }
    return c;
  }

  private call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return providerCall(operation, fn, classifyTencentError, this.options.onCall);
  }

  private async attached(
    t: PlatformTarget,
    filter: { ccnId?: string; instanceId?: string; region?: string },
  ): Promise<CcnAttachedInstance[]> {
    const Filters = [
      ...(filter.instanceId ? [{ Name: 'instance-id', Values: [filter.instanceId] }] : []),
      ...(filter.region ? [{ Name: 'instance-region', Values: [filter.region] }] : []),
    ];
    const out: CcnAttachedInstance[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await this.call('DescribeCcnAttachedInstances', () =>
        this.client(t).DescribeCcnAttachedInstances({
          CcnId: filter.ccnId,
          Filters: Filters.length ? Filters : undefined,
          Offset: offset,
          Limit: 100,
        }),
      );
      out.push(...(page.InstanceSet ?? []));
      if (!page.InstanceSet?.length || out.length >= (page.TotalCount ?? 0)) return out;
    }
  }

  private observation(
    a: CcnAttachedInstance,
    t: PlatformTarget,
    others: CcnAttachedInstance[],
    conflicts?: string[],
  ): ConnectionObservation {
    const state = a.State ?? 'UNKNOWN';
    return {
      providerId: a.CcnId ?? '',
      phase: phases[state] ?? 'failed',
      providerStatus: state,
      providerMessage: '',
      // the customer's side is its network: the CCN's owner and the CIDRs of the VPCs it has in it (read when readable)
      requester: {
        accountId: a.CcnUin ?? '',
        vpcId: '',
        region: a.InstanceRegion ?? t.region,
        cidrs: others.flatMap((o) => o.CidrBlock ?? []),
      },
      accepter: {
        accountId: a.InstanceUin ?? '',
        vpcId: a.InstanceId ?? '',
        region: a.InstanceRegion ?? t.region,
        cidrs: a.CidrBlock ?? [],
      },
      routeConflicts: conflicts,
    };
  }

  /** The deployment VPC's attachment to the customer's CCN, with the CCN's customer VPCs and, once active, its route problems. */
  async describe(
    t: PlatformTarget,
    ids: string[],
    accepterVpcId?: string,
  ): Promise<Map<string, ConnectionObservation>> {
    if (!accepterVpcId) throw new Error('Tencent connections are named by CCN and deployment VPC');
    const out = new Map<string, ConnectionObservation>();
    const mine = await this.attached(t, { instanceId: accepterVpcId });
    for (const ccnId of ids) {
      const a = mine
        .filter((x) => x.CcnId === ccnId)
        .sort((x, y) => Number(liveStates.includes(y.State ?? '')) - Number(liveStates.includes(x.State ?? '')))[0];
      if (!a) continue;
      let others: CcnAttachedInstance[] = [];
      let conflicts: string[] | undefined;
      if (a.State === 'PENDING' || a.State === 'ATTACHING' || a.State === 'ACTIVE') {
        // Other VPCs of the customer's network; the platform's own VPCs in the same CCN are not the customer's.
        others = (await this.attached(t, { ccnId })).filter(
          (o) => o.InstanceUin !== t.accountId && o.State === 'ACTIVE',
        );
        if (a.State === 'ACTIVE') conflicts = await this.routeConflicts(t, ccnId, accepterVpcId, a.CidrBlock ?? []);
      }
      out.set(ccnId, this.observation(a, t, others, conflicts));
    }
    return out;
  }

  /** Disabled routes, and routes of other instances overlapping the deployment CIDR, named for the customer. */
  private async routeConflicts(
    t: PlatformTarget,
    ccnId: string,
    vpcId: string,
    deploymentCidrs: string[],
  ): Promise<string[]> {
    const routes: CcnRoute[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await this.call('DescribeCcnRoutes', () =>
        this.client(t).DescribeCcnRoutes({ CcnId: ccnId, Offset: offset, Limit: 100 }),
      );
      routes.push(...(page.RouteSet ?? []));
      if (!page.RouteSet?.length || routes.length >= (page.TotalCount ?? 0)) break;
    }
    const spans = deploymentCidrs.map(parseIpv4Cidr).flatMap((p) => (p.ok ? [p.span] : []));
    const clashes = (r: CcnRoute) => {
      const d = parseIpv4Cidr(r.DestinationCidrBlock ?? '');
      return d.ok && spans.some((s) => overlaps(s, d.span));
    };
    return routes
      .filter((r) => r.Enabled === false || (r.InstanceId !== vpcId && clashes(r)))
      .map(
        (r) =>
          `${r.RouteId} ${r.DestinationCidrBlock} via ${r.InstanceId}${r.Enabled === false ? ` (disabled${r.ExtraState ? `: ${r.ExtraState}` : ''})` : ' (overlaps the deployment CIDR)'}`,
      );
  }

  async *listAccepted(t: PlatformTarget): AsyncGenerator<ConnectionObservation[]> {
    for (let offset = 0; ; offset += 100) {
      const page = await this.call('DescribeCcnAttachedInstances', () =>
        this.client(t).DescribeCcnAttachedInstances({
          Filters: [{ Name: 'instance-region', Values: [t.region] }],
          Offset: offset,
          Limit: 100,
        }),
      );
      const items = page.InstanceSet ?? [];
      yield items
        .filter((a) => a.InstanceUin === t.accountId && a.InstanceType === 'VPC')
        .map((a) => this.observation(a, t, []));
      if (items.length === 0 || offset + items.length >= (page.TotalCount ?? 0)) return;
    }
  }

  async preflight(t: PlatformTarget, ref: { connectionId: string; accepterVpcId: string }): Promise<Refusal | null> {
    const other = (await this.attached(t, { instanceId: ref.accepterVpcId })).find(
      (a) => a.CcnId !== ref.connectionId && liveStates.includes(a.State ?? ''),
    );
    return other
      ? refusal('DEPLOYMENT_IN_OTHER_CCN', {
          vpcId: ref.accepterVpcId,
          otherCcnId: other.CcnId ?? '',
          state: other.State ?? '',
        })
      : null;
  }

  /** Attach (or re-apply after Tencent's own expiry); a request already pending counts as made. */
  async request(
    t: PlatformTarget,
    ref: { connectionId: string; accepterVpcId: string; requesterAccountId: string },
  ): Promise<void> {
    const Instances = [
      {
        InstanceId: ref.accepterVpcId,
        InstanceRegion: t.region,
        InstanceType: 'VPC',
        Description: 'Peerlink deployment',
      },
    ];
    const existing = (await this.attached(t, { instanceId: ref.accepterVpcId })).find(
      (a) => a.CcnId === ref.connectionId,
    );
    if (existing?.State === 'EXPIRED') {
      await this.call('ResetAttachCcnInstances', () =>
        this.client(t).ResetAttachCcnInstances({ CcnId: ref.connectionId, CcnUin: ref.requesterAccountId, Instances }),
      );
      return;
    }
    try {
      await this.call('AttachCcnInstances', () =>
        this.client(t).AttachCcnInstances({ CcnId: ref.connectionId, CcnUin: ref.requesterAccountId, Instances }),
      );
    } catch (err) {
      if (err instanceof ProviderError && err.providerCode === 'InvalidParameterValue.Duplicate') return;
      // The customer's CCN cannot be read before the request: a wrong id or UIN surfaces here, in the customer's words.
      if (err instanceof ProviderError && err.providerCode === 'ResourceNotFound')
        throw new RefusalError(
          refusal('CCN_NOT_FOUND', { providerId: ref.connectionId, accountId: ref.requesterAccountId }),
        );
      throw err;
    }
  }

  /** CCN routes are learned from the attached VPCs: the platform adds none and removes none. */
  async routes(): Promise<RouteObservation[]> {
    return [];
  }

  async createRoutes(): Promise<void> {}

  async deleteRoutes(): Promise<void> {}

  accept(): Promise<void> {
    return Promise.reject(
      new Error('on Tencent the customer approves the platform’s request; the platform accepts nothing'),
    );
  }

  /** Detach from the CCN — or withdraw a pending application; gone already counts as done. */
  async deleteConnection(t: PlatformTarget, ccnId: string, accepterVpcId?: string): Promise<void> {
    if (!accepterVpcId) throw new Error('Tencent connections are named by CCN and deployment VPC');
    try {
      await this.call('DetachCcnInstances', () =>
        this.client(t).DetachCcnInstances({
          CcnId: ccnId,
          Instances: [{ InstanceId: accepterVpcId, InstanceRegion: t.region, InstanceType: 'VPC' }],
        }),
      );
    } catch (err) {
      if (!(err instanceof ProviderError) || err.providerCode !== 'ResourceNotFound') throw err;
    }
  }
}
