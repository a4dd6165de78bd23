/**
 * The customer's commands on an existing peering — delete (or cancel), retry, resync, correct typed CIDRs — each
 * owning its rules and refusals, run in one transaction so the rules read still hold at the write.
 */
import { peeringActions } from '../core/actions.js';
import { RefusalError, notFound, refusal } from '../core/errors.js';
import { bindResourceAddress, checkCustomerCidrs, isRefusal } from '../core/rules.js';
import { deletableStatuses } from '../core/status.js';
import { ConnectionIdTaken, type Peering } from '../store/peerings.js';
import { inTransaction, type Repos } from '../store/repos.js';
import type { ServiceDeps } from './context.js';
import { peerableDeployment, refuse } from './deployments.js';
import { splitList } from './form.js';
import { checkSiblings, deadlineFor, livePeering } from './submit.js';

/** The caller's peering, or NOT_FOUND (another organization's looks the same as none). */
export async function peeringOf(repos: Repos, orgId: string, id: string): Promise<Peering> {
  const p = await repos.peerings.get(orgId, id);
  if (!p) throw new RefusalError(notFound('peering', id));
  return p;
}

const moved = (id: string) =>
  new RefusalError(refusal('CONFLICT', { detail: `peering ${id} changed meanwhile; read it again` }));

/**
 * Delete a running or failed peering, or cancel one still in flight: the platform removes its routes, then closes the
 * connection by whatever the cloud allows (delete, reject, withdraw). Refused while resources are bound.
 */
export async function deletePeering(
  deps: ServiceDeps,
  orgId: string,
  actor: string,
  id: string,
  now: Date,
): Promise<Peering> {
  return inTransaction(deps.store, async (tx) => {
    const p = await peeringOf(tx, orgId, id);
    if (p.status === 'deleting' || p.status === 'deleted') return p; // already on its way: idempotent
    const cloud = deps.clouds.descriptor(p.provider);
    if (!deletableStatuses.includes(p.status)) {
      throw new RefusalError(refusal('PEERING_NOT_DELETABLE', { peeringId: id, status: p.status }), cloud.name);
    }
    await tx.peerings.lockDeployment(p.deploymentId);
    const bound = await tx.resources.boundTo(p.id);
    if (bound.length > 0) {
      const resources = bound.map((b) => `${b.name} (${b.address})`).join(', ');
      throw new RefusalError(refusal('PEERING_HAS_RESOURCES', { peeringId: id, resources }), cloud.name);
    }
    const inFlight = p.status === 'pending' || p.status === 'awaiting-customer';
    const note = inFlight ? 'cancellation requested; the platform withdraws its side' : 'deletion requested';
    if (!(await tx.peerings.changeStatus({ peering: p, to: 'deleting', actor, note, now }))) throw moved(id);
    return { ...p, status: 'deleting', updatedAt: now.toISOString() };
  });
}

/**
 * Retry a failed peering the platform requested (a new request, a new approval window) or searched for (a new search).
 */
export async function retryPeering(
  deps: ServiceDeps,
  orgId: string,
  actor: string,
  id: string,
  now: Date,
): Promise<Peering> {
  const p = await peeringOf(deps.repos, orgId, id);
  const { deployment, cloud } = await peerableDeployment(deps, orgId, p.deploymentId);
  if (!peeringActions(p, cloud.capabilities).retry) {
    throw new RefusalError(refusal('PEERING_NOT_RETRYABLE', { peeringId: id, status: p.status }), cloud.name);
  }
  const searching = cloud.capabilities.finds === 'customer-network' && !p.providerPeeringId;
  const deadlineAt = deadlineFor(cloud.capabilities, searching, deps.rules, now);
  const note = `retry requested${deadlineAt ? `; the customer's part is due by ${deadlineAt}` : ''}`;
  try {
    return await inTransaction(deps.store, async (tx) => {
      await tx.peerings.lockDeployment(deployment.id);
      const live = await tx.peerings.liveForDeployment(deployment.id);
      const self = { cloud, deployment: { ...deployment, platformAccountId: deployment.account.accountId } };
      refuse(
        checkSiblings(
          { ...self, providerPeeringId: p.providerPeeringId, customerVpcId: p.customerVpcId, cidrs: [] },
          live,
          deps.rules,
        ),
        cloud,
      );
      const set = { deadlineAt, reason: null };
      if (!(await tx.peerings.changeStatus({ peering: p, to: 'pending', actor, note, now, set }))) throw moved(id);
      return {
        ...p,
        status: 'pending',
        reason: null,
        deadlineAt,
        attempts: 0,
        lastError: null,
        updatedAt: now.toISOString(),
      };
    });
  } catch (err) {
    if (!(err instanceof ConnectionIdTaken)) throw err;
    throw new RefusalError(
      refusal('PROVIDER_ID_TAKEN', { providerId: p.providerPeeringId, peeringId: '(another peering)' }),
      cloud.name,
    );
  }
}

/**
 * Look at the cloud now instead of at the next scheduled check. Coalesced: within the cooldown after a resync, another
 * is the same request (no new history entry, no new look); a peering no longer driven is left as it is.
 */
export async function resyncPeering(
  deps: ServiceDeps,
  orgId: string,
  actor: string,
  id: string,
  now: Date,
): Promise<Peering> {
  const p = await peeringOf(deps.repos, orgId, id);
  if (!peeringActions(p, deps.clouds.descriptor(p.provider).capabilities).resync) return p;
  const last = await deps.repos.peerings.lastResyncAt(p.id);
  if (last && Date.parse(last) + deps.resyncCooldownMs > now.getTime()) return p;
  await deps.repos.peerings.scheduleNow({ peering: p, actor, note: 'check requested', now });
  return { ...p, nextAttemptAt: now.toISOString(), attempts: 0, updatedAt: now.toISOString() };
}

/**
 * Corrects the CIDRs a customer typed (clouds that do not report them): the same rules as a submit, against the other
 * live peerings; no bound resource may fall outside; the routes then follow.
 */
export async function correctCidrs(
  deps: ServiceDeps,
  orgId: string,
  actor: string,
  id: string,
  typed: string[],
  now: Date,
): Promise<Peering> {
  const p = await peeringOf(deps.repos, orgId, id);
  const { deployment, cloud } = await peerableDeployment(deps, orgId, p.deploymentId);
  if (cloud.capabilities.customerCidrs !== 'typed') {
    throw new RefusalError(
      refusal('FIELD_NOT_APPLICABLE', { field: 'customerCidrs', provider: cloud.label.en }),
      cloud.name,
    );
  }
  if (!peeringActions(p, cloud.capabilities).correctCidrs) {
    throw new RefusalError(refusal('PEERING_NOT_EDITABLE', { peeringId: id, status: p.status }), cloud.name);
  }
  const cidrs = typed.flatMap(splitList);
  return inTransaction(deps.store, async (tx) => {
    await tx.peerings.lockDeployment(deployment.id);
    const siblings = (await tx.peerings.liveForDeployment(deployment.id)).filter((s) => s.id !== p.id).map(livePeering);
    const ctx = {
      deploymentCidr: deployment.vpcCidr,
      reservedRanges: deps.rules.reservedRanges,
      policy: deps.rules.cidrPolicy,
      siblings,
    };
    refuse(checkCustomerCidrs(cidrs, ctx), cloud);
    for (const r of await tx.resources.boundTo(p.id)) {
      if (isRefusal(bindResourceAddress(deployment.id, r.address, [{ id: p.id, cidrs }]))) {
        const params = { resource: r.name, address: r.address, peeringId: p.id };
        throw new RefusalError(refusal('PEERING_CIDR_IN_USE', params), cloud.name);
      }
    }
    if (!(await tx.peerings.changeCidrs({ peering: p, cidrs, actor, now }))) throw moved(id);
    return { ...p, customerCidrs: cidrs, updatedAt: now.toISOString() };
  });
}
