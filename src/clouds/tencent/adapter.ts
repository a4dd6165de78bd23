/**
 * The Tencent Cloud adapter: the platform joins the customer's CCN. It asks to attach the deployment VPC
 * (AttachCcnInstances with CcnUin = the customer's UIN, or ResetAttachCcnInstances after Tencent expired an earlier
 * application), watches its attachment's state, reads the CCN's other VPCs (their CIDRs are what Peerlink checks) and
 * its routes (disabled or conflicting ones are named), and detaches to delete or to withdraw a request. CCN routes are
 * learned from the attached VPCs: the platform programs none.
 */
import { parseIpv4Cidr, overlaps } from '../../core/cidr.js';
import type { ConnectionObservation, ConnectionPhase } from '../../core/observation.js';
import type { Precheck } from '../../core/verify.js';
import { ClientCache, credential, ignoring, providerCall } from '../kit.js';
import type { AdapterOptions, ConnectionRef, PlatformTarget } from '../provider.js';
import { classifyTencentError, codes } from './errors.js';
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

export function tencentAdapter(options: AdapterOptions = {}) {
  const clients = new ClientCache<TcVpcClient>((t) =>
    tencentClient({
      secretId: credential(t, 'accessKeyId'),
      secretKey: credential(t, 'secretAccessKey'),
      region: t.region,
      endpoint: t.endpoint,
      timeoutSeconds: Math.ceil((options.requestTimeoutMs ?? 10_000) / 1000),
    }),
  );
  const call = <T>(operation: string, fn: () => Promise<T>) =>
    providerCall(operation, fn, classifyTencentError, options.onCall);

  async function attached(t: PlatformTarget, filter: { ccnId?: string; instanceId?: string; region?: string }) {
    const Filters = [
      ...(filter.instanceId ? [{ Name: 'instance-id', Values: [filter.instanceId] }] : []),
      ...(filter.region ? [{ Name: 'instance-region', Values: [filter.region] }] : []),
    ];
    const out: CcnAttachedInstance[] = [];
    for (let offset = 0; ; offset += 100) {
      const request = {
        CcnId: filter.ccnId,
        Filters: Filters.length ? Filters : undefined,
        Offset: offset,
        Limit: 100,
      };
      const page = await call('DescribeCcnAttachedInstances', () =>
        clients.get(t).DescribeCcnAttachedInstances(request),
      );
      out.push(...(page.InstanceSet ?? []));
      if (!page.InstanceSet?.length || out.length >= (page.TotalCount ?? 0)) return out;
    }
  }

  /**
   * The customer's side is its network: the CCN's owner and the CIDRs of the VPCs it has in it (read when readable).
   */
  function observation(a: CcnAttachedInstance, t: PlatformTarget, others: CcnAttachedInstance[], conflicts?: string[]) {
    const state = a.State ?? 'UNKNOWN';
    const region = a.InstanceRegion ?? t.region;
    const o: ConnectionObservation = {
      providerId: a.CcnId ?? '',
      phase: phases[state] ?? 'failed',
      providerStatus: state,
      providerMessage: '',
      customer: { accountId: a.CcnUin ?? '', vpcId: '', region, cidrs: others.flatMap((x) => x.CidrBlock ?? []) },
      platform: { accountId: a.InstanceUin ?? '', vpcId: a.InstanceId ?? '', region, cidrs: a.CidrBlock ?? [] },
      ...(conflicts ? { routeConflicts: conflicts } : {}),
    };
    return o;
  }

  /** Disabled routes, and routes of other instances overlapping the deployment CIDR, named for the customer. */
  async function routeConflicts(t: PlatformTarget, ccnId: string, vpcId: string, deploymentCidrs: string[]) {
    const routes: CcnRoute[] = [];
    for (let offset = 0; ; offset += 100) {
      const request = { CcnId: ccnId, Offset: offset, Limit: 100 };
      const page = await call('DescribeCcnRoutes', () => clients.get(t).DescribeCcnRoutes(request));
      routes.push(...(page.RouteSet ?? []));
      if (!page.RouteSet?.length || routes.length >= (page.TotalCount ?? 0)) break;
    }
    const spans = deploymentCidrs.map(parseIpv4Cidr).flatMap((p) => (p.ok ? [p.span] : []));
    const clashes = (r: CcnRoute) => {
      const d = parseIpv4Cidr(r.DestinationCidrBlock ?? '');
      return d.ok && spans.some((s) => overlaps(s, d.span));
    };
    const why = (r: CcnRoute) =>
      r.Enabled === false ? ` (disabled${r.ExtraState ? `: ${r.ExtraState}` : ''})` : ' (overlaps the deployment CIDR)';
    return routes
      .filter((r) => r.Enabled === false || (r.InstanceId !== vpcId && clashes(r)))
      .map((r) => `${r.RouteId} ${r.DestinationCidrBlock} via ${r.InstanceId}${why(r)}`);
  }

  const instance = (t: PlatformTarget, vpcId: string) => ({
    InstanceId: vpcId,
    InstanceRegion: t.region,
    InstanceType: 'VPC',
  });

  return {
    connections: {
      /**
       * The deployment VPC's attachment to the customer's CCN, with the CCN's customer VPCs and, once active, its route
       * problems.
       */
      async observe(t: PlatformTarget, ref: ConnectionRef): Promise<ConnectionObservation | null> {
        const mine = (await attached(t, { instanceId: ref.deploymentVpcId })).filter(
          (x) => x.CcnId === ref.connectionId,
        );
        const live = (x: CcnAttachedInstance) => Number(liveStates.includes(x.State ?? ''));
        const a = mine.sort((x, y) => live(y) - live(x))[0];
        if (!a) return null;
        let others: CcnAttachedInstance[] = [];
        let conflicts: string[] | undefined;
        if (a.State === 'PENDING' || a.State === 'ATTACHING' || a.State === 'ACTIVE') {
          // Other VPCs of the customer's network; the platform's own VPCs in the same CCN are not the customer's.
          const all = await attached(t, { ccnId: ref.connectionId });
          others = all.filter((o) => o.InstanceUin !== t.accountId && o.State === 'ACTIVE');
          if (a.State === 'ACTIVE')
            conflicts = await routeConflicts(t, ref.connectionId, ref.deploymentVpcId, a.CidrBlock ?? []);
        }
        return observation(a, t, others, conflicts);
      },

      async *list(t: PlatformTarget): AsyncGenerator<ConnectionObservation[]> {
        for (let offset = 0; ; offset += 100) {
          const request = { Filters: [{ Name: 'instance-region', Values: [t.region] }], Offset: offset, Limit: 100 };
          const page = await call('DescribeCcnAttachedInstances', () =>
            clients.get(t).DescribeCcnAttachedInstances(request),
          );
          const items = page.InstanceSet ?? [];
          yield items
            .filter((a) => a.InstanceUin === t.accountId && a.InstanceType === 'VPC')
            .map((a) => observation(a, t, []));
          if (items.length === 0 || offset + items.length >= (page.TotalCount ?? 0)) return;
        }
      },

      /** Detach from the CCN — or withdraw a pending application; gone already counts as done. */
      async close(t: PlatformTarget, ref: ConnectionRef): Promise<void> {
        const request = { CcnId: ref.connectionId, Instances: [instance(t, ref.deploymentVpcId)] };
        await ignoring([codes.notFound], () =>
          call('DetachCcnInstances', () => clients.get(t).DetachCcnInstances(request)),
        );
      },
    },

    requester: {
      /** A VPC joins one CCN: the deployment VPC's live attachment to another CCN refuses the submit. */
      async precheck(t: PlatformTarget, ref: ConnectionRef): Promise<Precheck> {
        const other = (await attached(t, { instanceId: ref.deploymentVpcId })).find(
          (a) => a.CcnId !== ref.connectionId && liveStates.includes(a.State ?? ''),
        );
        return { deploymentJoined: other ? { connectionId: other.CcnId ?? '', status: other.State ?? '' } : null };
      },

      /** Attach (or re-apply after Tencent's own expiry); a request already pending counts as made. */
      async request(t: PlatformTarget, ref: ConnectionRef): Promise<void> {
        const Instances = [{ ...instance(t, ref.deploymentVpcId), Description: 'Peerlink deployment' }];
        const body = { CcnId: ref.connectionId, CcnUin: ref.customerAccountId, Instances };
        const existing = (await attached(t, { instanceId: ref.deploymentVpcId })).find(
          (a) => a.CcnId === ref.connectionId,
        );
        if (existing?.State === 'EXPIRED') {
          await call('ResetAttachCcnInstances', () => clients.get(t).ResetAttachCcnInstances(body));
          return;
        }
        await ignoring([codes.duplicate], () =>
          call('AttachCcnInstances', () => clients.get(t).AttachCcnInstances(body)),
        );
      },
    },
  };
}
