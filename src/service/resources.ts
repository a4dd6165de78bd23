/**
 * Data-integration resources: created only inside a running peering's customer CIDR (the most specific one binds it),
 * with the deployment's writers serialized so a peering cannot start deleting between the check and the insert.
 */
import { RefusalError, notFound } from '../core/errors.js';
import { bindResourceAddress, isRefusal } from '../core/rules.js';
import type { Resource } from '../store/resources.js';
import { inTransaction } from '../store/repos.js';
import type { ServiceDeps } from './context.js';
import { deploymentOf } from './deployments.js';

export async function createResource(
  deps: ServiceDeps,
  orgId: string,
  input: { deploymentId: string; name: string; address: string },
  now: Date,
): Promise<Resource> {
  const d = await deploymentOf(deps, orgId, input.deploymentId);
  return inTransaction(deps.store, async (tx) => {
    await tx.peerings.lockDeployment(d.id);
    const running = (await tx.peerings.liveForDeployment(d.id)).filter((p) => p.status === 'running');
    const bound = bindResourceAddress(
      d.id,
      input.address,
      running.map((p) => ({ id: p.id, cidrs: p.customerCidrs })),
    );
    if (isRefusal(bound)) throw new RefusalError(bound);
    return tx.resources.insert(
      { orgId, deploymentId: d.id, peeringId: bound.peeringId, name: input.name, address: bound.address },
      now,
    );
  });
}

export async function deleteResource(deps: ServiceDeps, orgId: string, id: string, now: Date): Promise<void> {
  if (!(await deps.repos.resources.delete(orgId, id, now))) throw new RefusalError(notFound('resource', id));
}
