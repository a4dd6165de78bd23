/**
 * Submitting a peering: every PRODUCT.md §4 rule checked before any mutating cloud call. The one cloud call here
 * is a read-only describe, so a mistake (wrong id, wrong VPC, reserved or overlapping CIDR) is refused on the spot
 * with the rule's code, and nothing is stored. If the cloud cannot be reached, the peering is accepted as pending
 * and the reconciler verifies it before accepting.
 */
import {
  bindResourceAddress,
  checkCustomerCidrs,
  checkCustomerVpcFree,
  checkIdShape,
  checkPlan,
  checkProviderIdFree,
  checkQuota,
  isRefusal,
  type RulesConfig,
} from '../core/rules.js';
import { decide, pickLocated, type ConnectionObservation } from '../core/lifecycle.js';
import { RefusalError, refusal, type Refusal } from '../core/errors.js';
import { ProviderError, type CloudModule, type ProviderName } from '../clouds/provider.js';
import type { PeeringRepo, Peering } from '../store/peerings.js';
import type { DeploymentWithAccount, PlatformRepo } from '../store/platform.js';

/** What the customer's cloud gave back; which fields a cloud needs is its `form` (the others must be absent). */
export interface SubmitInput {
  deploymentId: string;
  providerPeeringId?: string;
  customerAccountId?: string;
  customerVpcId?: string;
  customerCidrs?: string[];
}

export interface SubmitDeps {
  peerings: PeeringRepo;
  platform: PlatformRepo;
  clouds: Partial<Record<ProviderName, CloudModule>>;
  rules: RulesConfig;
}

function refuse(r: Refusal | null): void {
  if (r) throw new RefusalError(r);
}

/** The deployment's own gate: it exists for this org, its plan may peer, its cloud is supported. */
export async function peerableDeployment(
  deps: SubmitDeps,
  orgId: string,
  deploymentId: string,
): Promise<{ deployment: DeploymentWithAccount; cloud: CloudModule }> {
  const deployment = await deps.platform.getDeployment(orgId, deploymentId);
  if (!deployment) throw new RefusalError(refusal('NOT_FOUND', { kind: 'deployment', id: deploymentId }));
  refuse(checkPlan(deployment.plan, deps.rules));
  const cloud = deps.clouds[deployment.provider];
  if (!cloud) throw new RefusalError(refusal('PROVIDER_NOT_SUPPORTED', { provider: deployment.provider }));
  return { deployment, cloud };
}

const idFields = ['providerPeeringId', 'customerAccountId', 'customerVpcId'] as const;

/** By when the customer's part is due: the approval window where the platform asks, the search window where it looks. */
function deadlineFor(cloud: CloudModule, searching: boolean, rules: RulesConfig, now: Date): string | null {
  if (cloud.initiator === 'platform') return new Date(now.getTime() + rules.approvalWindowMs).toISOString();
  if (searching) return new Date(now.getTime() + rules.searchWindowMs).toISOString();
  return null;
}

/** Where the platform joins the customer's network (Tencent CCN), a deployment VPC joins one network at a time. */
function oneNetworkPerDeployment(vpcId: string, networkId: string, live: Peering[]): Refusal | null {
  const other = live.find((s) => s.providerPeeringId !== networkId);
  if (other)
    return refusal('DEPLOYMENT_IN_OTHER_CCN', {
      vpcId,
      otherCcnId: other.providerPeeringId,
      state: `peering ${other.id}, ${other.status}`,
    });
  return null;
}

/** The cloud's form: its fields present and well formed, fields it does not use absent (typed CIDRs are always welcome). */
function checkForm(cloud: CloudModule, input: SubmitInput): void {
  const keys = new Set(cloud.form.map((f) => f.key));
  for (const key of idFields) {
    if (!keys.has(key) && input[key] !== undefined)
      throw new RefusalError(refusal('FIELD_NOT_APPLICABLE', { field: key, provider: cloud.name }));
  }
  for (const field of cloud.form) {
    const value = input[field.key];
    if (value === undefined || (Array.isArray(value) && value.length === 0))
      throw new RefusalError(refusal('FIELD_REQUIRED', { field: field.key, provider: cloud.name }));
    if (field.key !== 'customerCidrs')
      refuse(
        checkIdShape({ key: field.key, en: field.label.en, zh: field.label['zh-CN'] }, value as string, field.shape),
      );
  }
}

export async function submitPeering(
  deps: SubmitDeps,
  orgId: string,
  actor: string,
  input: SubmitInput,
  now: Date,
): Promise<Peering> {
  const { deployment, cloud } = await peerableDeployment(deps, orgId, input.deploymentId);
  checkForm(cloud, input);
  const locating = !input.providerPeeringId;
  if (locating && !cloud.adapter.locate)
    throw new RefusalError(refusal('FIELD_REQUIRED', { field: 'providerPeeringId', provider: cloud.name }));
  let providerPeeringId = input.providerPeeringId ?? '';
  let customerAccountId = input.customerAccountId ?? '';
  const customerVpcId = input.customerVpcId ?? '';
  const idFree = async (id: string) =>
    refuse(
      checkProviderIdFree(id, await deps.peerings.providerIdHolder(deployment.provider, id, orgId, deployment.id)),
    );
  if (providerPeeringId) await idFree(providerPeeringId);
  const live = await deps.peerings.liveForDeployment(deployment.id);
  refuse(checkQuota(deployment.id, live.length, deps.rules));
  refuse(checkCustomerVpcFree(customerVpcId, live));
  if (cloud.initiator === 'platform') refuse(oneNetworkPerDeployment(deployment.vpcId, providerPeeringId, live));
  const siblings = live.map((s) => ({ id: s.id, cidrs: s.customerCidrs }));
  const ctx = { deploymentCidr: deployment.vpcCidr, reservedRanges: deps.rules.reservedRanges, siblings };
  if (input.customerCidrs?.length) refuse(checkCustomerCidrs(input.customerCidrs, ctx));

  // One read-only look at the cloud: the named connection, or the one between the customer's VPC and the deployment's.
  let observed: ConnectionObservation | null | undefined;
  try {
    if (locating) {
      observed = pickLocated(
        await cloud.adapter.locate!(deployment.target, {
          requesterVpcId: customerVpcId,
          accepterVpcId: deployment.vpcId,
        }),
      );
      if (observed) {
        providerPeeringId = observed.providerId;
        customerAccountId = observed.requester.accountId;
        await idFree(providerPeeringId);
      }
    } else {
      const ref = {
        connectionId: providerPeeringId,
        accepterVpcId: deployment.vpcId,
        requesterAccountId: customerAccountId,
      };
      if (cloud.adapter.preflight) refuse(await cloud.adapter.preflight(deployment.target, ref));
      observed =
        (await cloud.adapter.describe(deployment.target, [providerPeeringId], deployment.vpcId)).get(
          providerPeeringId,
        ) ?? null;
    }
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    if (err.kind === 'permanent')
      throw new RefusalError(
        refusal('PROVIDER_ERROR', {
          operation: err.operation,
          providerCode: err.providerCode,
          providerMessage: err.message,
        }),
      );
    observed = undefined; // unreachable for now: the reconciler verifies before it accepts
  }
  const deadlineAt = deadlineFor(cloud, !providerPeeringId, deps.rules, now);
  const view = {
    id: '(new)',
    status: 'pending' as const,
    providerId: providerPeeringId,
    customerAccountId,
    customerVpcId,
    customerCidrs: input.customerCidrs ?? [],
    deadlineAt,
  };
  let hint: Refusal | null = null;
  if (observed !== undefined) {
    const d = decide(
      view,
      {
        id: deployment.id,
        region: deployment.region,
        vpcId: deployment.vpcId,
        vpcCidr: deployment.vpcCidr,
        platformAccountId: deployment.account.accountId,
        routeTableIds: deployment.routeTableIds,
      },
      { connection: observed, routes: [] },
      { now: now.toISOString(), initiator: cloud.initiator, reservedRanges: deps.rules.reservedRanges, siblings },
    );
    if (d.kind === 'transition' && d.to === 'failed' && d.reason) throw new RefusalError(d.reason);
    if (d.kind === 'wait' && d.hint) hint = d.hint;
  }
  const cidrs = observed?.requester.cidrs.length ? observed.requester.cidrs : (input.customerCidrs ?? []);
  return deps.peerings.create(
    {
      orgId,
      deploymentId: deployment.id,
      provider: deployment.provider,
      providerPeeringId,
      customerAccountId,
      customerVpcId,
      customerCidrs: cidrs,
      region: deployment.region,
      deadlineAt,
      hint,
    },
    actor,
    now,
  );
}

export interface CidrUpdateDeps extends SubmitDeps {
  resources: {
    list(
      orgId: string,
      opts: { peeringId: string; limit: number },
    ): Promise<{ items: Array<{ id: string; name: string; address: string }> }>;
  };
}

/**
 * Corrects the CIDRs a customer typed (clouds that do not report them, e.g. Huawei): the same rules as a submit,
 * against the other live peerings; no bound resource may fall outside; the routes then follow.
 */
export async function updateCustomerCidrs(
  deps: CidrUpdateDeps,
  orgId: string,
  actor: string,
  id: string,
  cidrs: string[],
  now: Date,
): Promise<Peering> {
  const p = await deps.peerings.get(orgId, id);
  if (!p) throw new RefusalError(refusal('NOT_FOUND', { kind: 'peering', id }));
  const { deployment, cloud } = await peerableDeployment(deps, orgId, p.deploymentId);
  if (!cloud.form.some((f) => f.key === 'customerCidrs'))
    throw new RefusalError(refusal('FIELD_NOT_APPLICABLE', { field: 'customerCidrs', provider: cloud.name }));
  if (!['pending', 'awaiting-customer', 'running'].includes(p.status))
    throw new RefusalError(refusal('PEERING_NOT_EDITABLE', { peeringId: id, status: p.status }));
  const siblings = (await deps.peerings.liveForDeployment(deployment.id))
    .filter((s) => s.id !== p.id)
    .map((s) => ({ id: s.id, cidrs: s.customerCidrs }));
  refuse(
    checkCustomerCidrs(cidrs, {
      deploymentCidr: deployment.vpcCidr,
      reservedRanges: deps.rules.reservedRanges,
      siblings,
    }),
  );
  const normalized = cidrs.map((c) => c.trim());
  for (const r of (await deps.resources.list(orgId, { peeringId: p.id, limit: 200 })).items) {
    const bound = bindResourceAddress(deployment.id, r.address, [{ id: p.id, cidrs: normalized }]);
    if (isRefusal(bound))
      throw new RefusalError(
        refusal('PEERING_CIDR_IN_USE', { resource: `${r.name} (${r.id})`, address: r.address, peeringId: p.id }),
      );
  }
  return deps.peerings.updateCidrs(p, normalized, actor, now);
}

/** Retry a failed peering: Tencent sends a new attach request, Alibaba searches again; each with a new deadline. */
export async function retryPeering(
  deps: SubmitDeps,
  orgId: string,
  actor: string,
  id: string,
  now: Date,
): Promise<Peering> {
  const p = await deps.peerings.get(orgId, id);
  if (!p) throw new RefusalError(refusal('NOT_FOUND', { kind: 'peering', id }));
  const { deployment, cloud } = await peerableDeployment(deps, orgId, p.deploymentId);
  const searching = !p.providerPeeringId && !!cloud.adapter.locate;
  if (p.status !== 'failed' || !(cloud.initiator === 'platform' || searching))
    throw new RefusalError(refusal('PEERING_NOT_RETRYABLE', { peeringId: id, status: p.status }));
  const live = await deps.peerings.liveForDeployment(deployment.id);
  refuse(checkQuota(deployment.id, live.length, deps.rules));
  refuse(checkCustomerVpcFree(p.customerVpcId, live));
  if (cloud.initiator === 'platform') refuse(oneNetworkPerDeployment(deployment.vpcId, p.providerPeeringId, live));
  return deps.peerings.retry(orgId, id, actor, deadlineFor(cloud, searching, deps.rules, now), now);
}
