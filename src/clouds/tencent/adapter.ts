/**
 * The Tencent Cloud adapter: the platform joins the customer's CCN. It asks to attach the deployment VPC
 * (AttachCcnInstances with CcnUin = the customer's UIN, or ResetAttachCcnInstances after Tencent expired an earlier
 * application), watches its attachment's state, and detaches to delete or to withdraw a request. CCN routes are
 * learned from the attached VPCs: the platform programs none.
 *
 * The platform's own attachment is always read with the CCN's id, as Terraform reads a cross-account attachment
 * (service_tencentcloud_ccn.go: DescribeCcnAttachedInstances with CcnId). No public source says the applicant may read
 * the rest of a CCN it does not own: the customer types its CIDRs, and where the cloud does show the CCN's other VPCs
 * (their CIDRs, checked against what was typed) and its routes (disabled or conflicting ones named), Peerlink uses
 * them; where it does not, nothing depends on them.
 */
import { parseIpv4Cidr, overlaps } from '../../core/cidr.js';
import type { ConnectionObservation, ConnectionPhase } from '../../core/observation.js';
import type { Precheck } from '../../core/verify.js';
import { ClientCache, credential, providerCall } from '../kit.js';
import { ProviderError, type AdapterOptions, type ConnectionRef, type PlatformTarget } from '../provider.js';
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
/** Terraform's page size; no public source gives the maximum */
const pageSize = 20;

/** The state as Terraform's attachment reads it: upper-cased. */
const stateOf = (a: CcnAttachedInstance | undefined) => (a?.State ?? '').toUpperCase();

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
  const call = <T>(t: PlatformTarget, operation: string, fn: () => Promise<T>) =>
    providerCall(t, operation, fn, classifyTencentError, options);

  async function attached(t: PlatformTarget, filter: { ccnId?: string; instanceId?: string }) {
    const Filters = [
      { Name: 'instance-type', Values: ['VPC'] },
      { Name: 'instance-region', Values: [t.region] },
      ...(filter.instanceId ? [{ Name: 'instance-id', Values: [filter.instanceId] }] : []),
    ];
    const out: CcnAttachedInstance[] = [];
    for (let offset = 0; ; offset += pageSize) {
      const request = { CcnId: filter.ccnId, Filters, Offset: offset, Limit: pageSize };
      const page = await call(t, 'DescribeCcnAttachedInstances', () =>
        clients.get(t).DescribeCcnAttachedInstances(request),
      );
      out.push(...(page.InstanceSet ?? []));
      if (!page.InstanceSet?.length || out.length >= (page.TotalCount ?? 0)) return out;
    }
  }

  /** The deployment VPC's attachment to this CCN (a live one before an ended one). */
  async function own(t: PlatformTarget, ccnId: string, vpcId: string): Promise<CcnAttachedInstance | undefined> {
    const rows = (await attached(t, { ccnId, instanceId: vpcId })).filter(
      (x) => x.CcnId === ccnId && x.InstanceId === vpcId,
    );
    const live = (x: CcnAttachedInstance) => Number(liveStates.includes(stateOf(x)));
    return rows.sort((x, y) => live(y) - live(x))[0];
  }

  /** The customer's side: the CCN's owner, and the CIDRs of its other VPCs where the platform may read them. */
  function observation(a: CcnAttachedInstance, t: PlatformTarget, others: CcnAttachedInstance[], conflicts?: string[]) {
    const state = stateOf(a) || 'UNKNOWN';
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

  /**
   * Disabled routes, and routes of other instances overlapping the deployment CIDR, named for the customer — or
   * undefined where the cloud does not let the platform read the customer's CCN routes.
   */
  async function routeConflicts(t: PlatformTarget, ccnId: string, vpcId: string, deploymentCidrs: string[]) {
    const routes: CcnRoute[] = [];
    try {
      for (let offset = 0; ; offset += pageSize) {
        const request = { CcnId: ccnId, Offset: offset, Limit: pageSize };
        const page = await call(t, 'DescribeCcnRoutes', () => clients.get(t).DescribeCcnRoutes(request));
        routes.push(...(page.RouteSet ?? []));
        if (!page.RouteSet?.length || routes.length >= (page.TotalCount ?? 0)) break;
      }
    } catch (err) {
      if (err instanceof ProviderError && err.kind === 'permanent') return undefined;
      throw err;
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

  /** Whether the deployment VPC exists for the platform account (to tell whose ResourceNotFound an attach met). */
  async function vpcExists(t: PlatformTarget, vpcId: string): Promise<boolean> {
    const out = await call(t, 'DescribeVpcs', () => clients.get(t).DescribeVpcs({ VpcIds: [vpcId] })).catch(
      (err: unknown) => {
        if (err instanceof ProviderError && err.providerCode.startsWith(codes.notFound)) return { VpcSet: [] };
        throw err;
      },
    );
    return (out.VpcSet ?? []).some((v) => v.VpcId === vpcId);
  }

  const instance = (t: PlatformTarget, vpcId: string) => ({
    InstanceId: vpcId,
    InstanceRegion: t.region,
    InstanceType: 'VPC',
  });

  return {
    connections: {
      /**
       * The deployment VPC's attachment to the customer's CCN, with what the platform may see of the CCN's other VPCs
       * and, once active, of its routes.
       */
      async observe(t: PlatformTarget, ref: ConnectionRef): Promise<ConnectionObservation | null> {
        const a = await own(t, ref.connectionId, ref.deploymentVpcId);
        if (!a) return null;
        let others: CcnAttachedInstance[] = [];
        let conflicts: string[] | undefined;
        const state = stateOf(a);
        if (state === 'PENDING' || state === 'ATTACHING' || state === 'ACTIVE') {
          // Other VPCs of the customer's network, where readable; the platform's own VPCs are not the customer's.
          const all = await attached(t, { ccnId: ref.connectionId });
          others = all.filter((o) => o.InstanceUin !== t.accountId && stateOf(o) === 'ACTIVE');
          if (state === 'ACTIVE')
            conflicts = await routeConflicts(t, ref.connectionId, ref.deploymentVpcId, a.CidrBlock ?? []);
        }
        return observation(a, t, others, conflicts);
      },

      /**
       * The account's attachments in its region, without CcnId. Whether this lists its applications to other
       * accounts' CCNs is not documented: a peering the list does not show is stepped on its own by the sweep.
       */
      async *list(t: PlatformTarget): AsyncGenerator<ConnectionObservation[]> {
        const rows = await attached(t, {});
        yield rows.filter((a) => a.InstanceUin === t.accountId).map((a) => observation(a, t, []));
      },

      /**
       * Detach from the CCN — or withdraw a pending application. Gone already (ResourceNotFound, CcnNotAttached)
       * counts as done; a task still running on it (MutexOperationTaskRunning) is a conflict, tried again. Withdrawing
       * by detaching is not documented: where the cloud refuses it, the refusal is shown — the application joins
       * nothing unless the customer approves it, and Tencent expires it.
       */
      async close(t: PlatformTarget, ref: ConnectionRef): Promise<void> {
        const request = { CcnId: ref.connectionId, Instances: [instance(t, ref.deploymentVpcId)] };
        try {
          await call(t, 'DetachCcnInstances', () => clients.get(t).DetachCcnInstances(request));
        } catch (err) {
          if (!(err instanceof ProviderError)) throw err;
          if (err.providerCode === codes.notFound) return;
          if (err.providerCode !== codes.notAttached) throw err;
          const now = stateOf(await own(t, ref.connectionId, ref.deploymentVpcId));
          if (now !== 'PENDING') return;
          const message =
            `the pending application of ${ref.deploymentVpcId} to ${ref.connectionId} could not be withdrawn ` +
            `(${err.message}); it joins nothing unless approved, and Tencent expires it`;
          throw new ProviderError('permanent', 'DetachCcnInstances', err.providerCode, message, { cause: err });
        }
      },
    },

    requester: {
      /**
       * A VPC joins one CCN: the deployment VPC's live attachment to another CCN refuses the submit — where the cloud
       * lists it (a CcnId-less query); otherwise the attach says so (CcnAttached).
       */
      async precheck(t: PlatformTarget, ref: ConnectionRef): Promise<Precheck> {
        const other = (await attached(t, { instanceId: ref.deploymentVpcId })).find(
          (a) => a.CcnId !== ref.connectionId && liveStates.includes(stateOf(a)),
        );
        return { deploymentJoined: other ? { connectionId: other.CcnId ?? '', status: stateOf(other) } : null };
      },

      /**
       * Attach (or re-apply after Tencent's own expiry); a request already made counts as made, whichever of the two
       * documented answers (Duplicate, CcnAttached) the cloud gives a second one.
       */
      async request(t: PlatformTarget, ref: ConnectionRef): Promise<void> {
        const vpcId = ref.deploymentVpcId;
        const Instances = [{ ...instance(t, vpcId), Description: 'Peerlink deployment' }];
        const body = { CcnId: ref.connectionId, CcnUin: ref.customerAccountId, Instances };
        const existing = stateOf(await own(t, ref.connectionId, vpcId));
        if (existing === 'EXPIRED') {
          await call(t, 'ResetAttachCcnInstances', () => clients.get(t).ResetAttachCcnInstances(body));
          return;
        }
        if (liveStates.includes(existing)) return;
        try {
          await call(t, 'AttachCcnInstances', () => clients.get(t).AttachCcnInstances(body));
        } catch (err) {
          if (!(err instanceof ProviderError)) throw err;
          if (err.providerCode === codes.duplicate) return;
          if (err.providerCode === codes.attached) {
            if (liveStates.includes(stateOf(await own(t, ref.connectionId, vpcId)))) return;
            const message = `the deployment VPC ${vpcId} is already attached to another CCN (a VPC joins one CCN)`;
            throw new ProviderError('permanent', 'AttachCcnInstances', err.providerCode, `${message}: ${err.message}`, {
              cause: err,
            });
          }
          if (err.providerCode === codes.invalidState && existing === 'REJECTED') {
            const message =
              `CCN ${ref.connectionId} rejected the earlier application of ${vpcId}, and Tencent does not take a ` +
              `new one while it is on record (whether it does is not documented): ${err.message}`;
            throw new ProviderError('permanent', 'AttachCcnInstances', err.providerCode, message, { cause: err });
          }
          if (err.providerCode === codes.notFound && !(await vpcExists(t, vpcId))) {
            const message = `the deployment VPC ${vpcId} does not exist in ${t.region} for account ${t.accountId}`;
            throw new ProviderError('permanent', 'AttachCcnInstances', codes.deploymentVpcMissing, message, {
              cause: err,
            });
          }
          throw err;
        }
      },
    },
  };
}
