/**
 * Submitting a peering: every PRODUCT.md §4 rule checked before any mutating cloud call. The one cloud call here
 * is a read-only describe, so a mistake (wrong id, wrong VPC, reserved or overlapping CIDR) is refused on the spot
 * with the rule's code, and nothing is stored. If the cloud cannot be reached, the peering is accepted as pending
 * and the reconciler verifies it before accepting.
 */
import { checkCustomerCidrs, checkIdShape, checkPlan, checkProviderIdFree, checkQuota, type RulesConfig } from '../core/rules.js';
import { decide, type ConnectionObservation } from '../core/lifecycle.js';
import { RefusalError, refusal, type Refusal } from '../core/errors.js';
import { ProviderError, type CloudModule, type ProviderName } from '../clouds/provider.js';
import type { PeeringRepo, Peering } from '../store/peerings.js';
import type { DeploymentWithAccount, PlatformRepo } from '../store/platform.js';

export interface SubmitInput {
  deploymentId: string;
  providerPeeringId: string;
  customerAccountId: string;
  customerVpcId: string;
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
export async function peerableDeployment(deps: SubmitDeps, orgId: string, deploymentId: string): Promise<{ deployment: DeploymentWithAccount; cloud: CloudModule }> {
  const deployment = await deps.platform.getDeployment(orgId, deploymentId);
  if (!deployment) throw new RefusalError(refusal('NOT_FOUND', { kind: 'deployment', id: deploymentId }));
  refuse(checkPlan(deployment.plan, deps.rules));
  const cloud = deps.clouds[deployment.provider];
  if (!cloud) throw new RefusalError(refusal('PROVIDER_NOT_SUPPORTED', { provider: deployment.provider }));
  return { deployment, cloud };
}

export async function submitPeering(deps: SubmitDeps, orgId: string, actor: string, input: SubmitInput, now: Date): Promise<Peering> {
  const { deployment, cloud } = await peerableDeployment(deps, orgId, input.deploymentId);
  for (const field of cloud.form) {
    if (field.key === 'customerCidrs') continue;
    refuse(checkIdShape(field.label.en, input[field.key], field.shape));
  }
  refuse(checkProviderIdFree(input.providerPeeringId, await deps.peerings.providerIdHolder(deployment.provider, input.providerPeeringId, orgId)));
  const live = await deps.peerings.liveForDeployment(deployment.id);
  refuse(checkQuota(deployment.id, live.length, deps.rules));
  const siblings = live.map((s) => ({ id: s.id, cidrs: s.customerCidrs }));
  const ctx = { deploymentCidr: deployment.vpcCidr, reservedRanges: deps.rules.reservedRanges, siblings };
  if (input.customerCidrs?.length) refuse(checkCustomerCidrs(input.customerCidrs, ctx));

  let observed: ConnectionObservation | null | undefined;
  try {
    observed = (await cloud.adapter.describe(deployment.target, [input.providerPeeringId])).get(input.providerPeeringId) ?? null;
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    if (err.kind === 'permanent') throw new RefusalError(refusal('PROVIDER_ERROR', { operation: err.operation, providerCode: err.providerCode, providerMessage: err.message }));
    observed = undefined; // unreachable for now: the reconciler verifies before it accepts
  }
  const view = { id: '(new)', status: 'pending' as const, providerId: input.providerPeeringId, customerAccountId: input.customerAccountId, customerVpcId: input.customerVpcId, customerCidrs: input.customerCidrs ?? [] };
  if (observed !== undefined) {
    const d = decide(view, { id: deployment.id, region: deployment.region, vpcId: deployment.vpcId, vpcCidr: deployment.vpcCidr, platformAccountId: deployment.account.accountId, routeTableIds: deployment.routeTableIds }, { connection: observed, routes: [] }, { reservedRanges: deps.rules.reservedRanges, siblings });
    if (d.kind === 'transition' && d.to === 'failed' && d.reason) throw new RefusalError(d.reason);
  }
  const cidrs = observed?.requester.cidrs.length ? observed.requester.cidrs : (input.customerCidrs ?? []);
  return deps.peerings.create(
    { orgId, deploymentId: deployment.id, provider: deployment.provider, providerPeeringId: input.providerPeeringId, customerAccountId: input.customerAccountId, customerVpcId: input.customerVpcId, customerCidrs: cidrs, region: deployment.region },
    actor,
    now,
  );
}
