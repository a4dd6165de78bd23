/**
 * Submitting a peering: every PRODUCT.md §4 rule checked before any mutating cloud call. The one cloud call here is a
 * read-only look, so a mistake (wrong id, wrong VPC, reserved or overlapping CIDR) is refused on the spot with the
 * rule's code and nothing is stored. If the cloud cannot be reached, the peering is accepted as pending and the
 * reconciler verifies it before acting. The rules that depend on the deployment's other peerings are checked again
 * at the insert, with the deployment's writers serialized, so they hold for any interleaving of submits.
 */
import type { Capabilities } from '../core/capabilities.js';
import { RefusalError, refusal, type Refusal } from '../core/errors.js';
import {
  pickLocated,
  type ConnectionObservation,
  type DeploymentView,
  type PeeringView,
  type Seen,
} from '../core/observation.js';
import {
  checkCustomerCidrs,
  checkCustomerVpcFree,
  checkOneCustomerNetwork,
  checkQuota,
  type LivePeering,
  type RulesConfig,
} from '../core/rules.js';
import { verifySubmission, type Precheck } from '../core/verify.js';
import {
  publicMessage,
  ProviderError,
  type AnyCloud,
  type CloudAdapter,
  type ConnectionRef,
  type PlatformTarget,
} from '../clouds/provider.js';
import { ConnectionIdTaken, type Peering } from '../store/peerings.js';
import { inTransaction, type Repos } from '../store/repos.js';
import type { ServiceDeps } from './context.js';
import { peerableDeployment, refuse, targetOf, viewOf } from './deployments.js';
import { readForm } from './form.js';

export interface SubmitInput {
  deploymentId: string;
  /** what the customer's cloud gave back: the cloud's form fields */
  values: Record<string, unknown>;
}

/**
 * By when the customer's part is due: the approval window where the platform asks, the search window where it looks.
 */
export function deadlineFor(
  capabilities: Capabilities,
  searching: boolean,
  rules: RulesConfig,
  now: Date,
): string | null {
  if (capabilities.opens === 'platform' && capabilities.approvalWindow) {
    return new Date(now.getTime() + rules.approvalWindowMs).toISOString();
  }
  if (searching) return new Date(now.getTime() + rules.searchWindowMs).toISOString();
  return null;
}

/** A live peering as the CIDR rules see it, named the way the customer knows it (never by Peerlink's own id). */
export function livePeering(
  p: Pick<Peering, 'id' | 'customerCidrs' | 'providerPeeringId' | 'customerVpcId'>,
): LivePeering {
  return {
    id: p.id,
    cidrs: p.customerCidrs,
    providerId: p.providerPeeringId,
    name: p.providerPeeringId || p.customerVpcId,
  };
}

/** The rules that depend on the deployment's other live peerings (checked before the cloud call, and at the insert). */
export function checkSiblings(
  o: {
    cloud: AnyCloud;
    deployment: DeploymentView;
    providerPeeringId: string;
    customerVpcId: string;
    customerAccountId?: string;
    cidrs: string[];
  },
  live: readonly Peering[],
  rules: RulesConfig,
): Refusal | null {
  return (
    checkQuota(o.deployment.id, live.length, rules) ??
    checkCustomerVpcFree(o.customerVpcId, live, o.customerAccountId) ??
    (o.cloud.capabilities.oneCustomerNetwork
      ? checkOneCustomerNetwork(o.deployment.vpcId, o.providerPeeringId, live)
      : null) ??
    (o.cidrs.length
      ? checkCustomerCidrs(o.cidrs, {
          deploymentCidr: o.deployment.vpcCidr,
          reservedRanges: rules.reservedRanges,
          policy: rules.cidrPolicy,
          siblings: live.map(livePeering),
        })
      : null)
  );
}

/** The one read-only look at the cloud; undefined when the cloud cannot be reached right now. */
async function look(
  adapter: CloudAdapter,
  target: PlatformTarget,
  ref: ConnectionRef,
): Promise<{ connection: ConnectionObservation | null; precheck?: Precheck } | undefined> {
  try {
    if (adapter.requester) {
      const precheck = await adapter.requester.precheck(target, ref);
      return { connection: await adapter.connections.observe(target, ref), precheck };
    }
    if (!ref.connectionId && adapter.locator) {
      const between = { customerVpcId: ref.customerVpcId, deploymentVpcId: ref.deploymentVpcId };
      return { connection: pickLocated(await adapter.locator.locate(target, between)) };
    }
    return { connection: await adapter.connections.observe(target, ref) };
  } catch (err) {
    if (!(err instanceof ProviderError) || err.kind === 'permanent') throw err;
    return undefined; // unreachable for now: the reconciler verifies before it acts
  }
}

/**
 * Verifies and stores a customer's submit. Returns the stored peering, and the connection as the verification saw it
 * (`seen`, when the cloud answered): the first reconcile step need not describe it again.
 */
export async function submitPeering(
  deps: ServiceDeps,
  orgId: string,
  actor: string,
  input: SubmitInput,
  now: Date,
): Promise<{ peering: Peering; seen?: Seen }> {
  const { deployment, cloud } = await peerableDeployment(deps, orgId, input.deploymentId);
  const identity = readForm(cloud, input.values);
  const view = viewOf(deployment);
  const caps = cloud.capabilities;
  const holderOf = async (providerPeeringId: string): Promise<never> => {
    const holder = await deps.repos.peerings.providerIdHolder(deployment.provider, providerPeeringId, deployment.id);
    const peeringId = holder ? (holder.orgId === orgId ? holder.id : '(another organization)') : '(unknown)';
    throw new RefusalError(refusal('PROVIDER_ID_TAKEN', { providerId: providerPeeringId, peeringId }), cloud.name);
  };
  const anotherOrgHolds = async (tx: Repos, connectionId: string) => {
    if (!connectionId || !(await tx.peerings.heldByAnotherOrg(deployment.provider, connectionId, orgId))) return;
    const params = { providerId: connectionId, peeringId: '(another organization)' };
    throw new RefusalError(refusal('PROVIDER_ID_TAKEN', params), cloud.name);
  };
  await anotherOrgHolds(deps.repos, identity.providerPeeringId);
  if (identity.providerPeeringId) {
    const held = await deps.repos.peerings.providerIdHolder(
      deployment.provider,
      identity.providerPeeringId,
      deployment.id,
    );
    if (held) await holderOf(identity.providerPeeringId);
  }
  const sibling = {
    cloud,
    deployment: view,
    customerVpcId: identity.customerVpcId,
    customerAccountId: identity.customerAccountId,
  };
  const live = await deps.repos.peerings.liveForDeployment(deployment.id);
  refuse(
    checkSiblings(
      { ...sibling, providerPeeringId: identity.providerPeeringId, cidrs: identity.customerCidrs },
      live,
      deps.rules,
    ),
    cloud,
  );

  // the look waits its turn under the cloud's limits, before background steps (someone is waiting on it)
  const target = { ...targetOf(deployment.account), caller: { org: orgId, interactive: true } };
  const ref: ConnectionRef = {
    ...identity,
    connectionId: identity.providerPeeringId,
    deploymentVpcId: deployment.vpcId,
  };
  // the same refused submit again, moments later, is answered from memory rather than with another cloud call
  const memoKey = JSON.stringify([orgId, deployment.id, identity]);
  const remembered = deps.refusals?.recall(memoKey, now);
  if (remembered) throw new RefusalError(remembered, cloud.name);
  const refusedByCloud = (r: Refusal): never => {
    deps.refusals?.remember(memoKey, r, now);
    throw new RefusalError(r, cloud.name);
  };
  const adapter = await deps.clouds.adapter(deployment.provider);
  const seen = await look(adapter, target, ref).catch((err: unknown) => {
    if (!(err instanceof ProviderError)) throw err;
    const params = {
      operation: err.operation,
      providerCode: err.providerCode,
      providerMessage: publicMessage(err.message),
    };
    return refusedByCloud(refusal('PROVIDER_ERROR', params));
  });
  let { providerPeeringId, customerAccountId } = identity;
  if (seen?.connection && !providerPeeringId) {
    // found from the customer's network: that connection is the peering's
    providerPeeringId = seen.connection.providerId;
    customerAccountId = seen.connection.customer.accountId;
  }
  const deadlineAt = deadlineFor(caps, !providerPeeringId, deps.rules, now);
  const peering: PeeringView = {
    id: '(new)',
    status: 'pending',
    providerId: providerPeeringId,
    customerAccountId,
    customerVpcId: identity.customerVpcId,
    customerCidrs: identity.customerCidrs,
    deadlineAt,
  };
  let hint: Refusal | null = null;
  let cidrs = identity.customerCidrs;
  if (seen) {
    const siblings = live.map(livePeering);
    const verdict = verifySubmission(peering, view, seen, {
      capabilities: caps,
      reservedRanges: deps.rules.reservedRanges,
      cidrPolicy: deps.rules.cidrPolicy,
      siblings,
    });
    if (!verdict.ok) return refusedByCloud(verdict.refusal);
    hint = verdict.hint;
    cidrs = verdict.cidrs;
  }
  try {
    return await inTransaction(deps.store, async (tx) => {
      await tx.peerings.lockDeployment(deployment.id);
      await anotherOrgHolds(tx, providerPeeringId);
      const liveNow = await tx.peerings.liveForDeployment(deployment.id);
      refuse(checkSiblings({ ...sibling, providerPeeringId, cidrs }, liveNow, deps.rules), cloud);
      const row = {
        orgId,
        deploymentId: deployment.id,
        provider: deployment.provider,
        providerPeeringId,
        customerAccountId,
        customerVpcId: identity.customerVpcId,
        customerCidrs: cidrs,
        region: deployment.region,
        deadlineAt,
        hint,
      };
      const peering = await tx.peerings.create(row, actor, now);
      // a new row's version is 0; the look was taken just before, at `now`
      return { peering, ...(seen && { seen: { connection: seen.connection, at: now, version: 0 } }) };
    });
  } catch (err) {
    if (err instanceof ConnectionIdTaken) return holderOf(err.providerPeeringId);
    throw err;
  }
}
