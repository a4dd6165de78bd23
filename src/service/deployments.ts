/**
 * A deployment as each part of Peerlink needs it, built in one place: the core's view, the console's facts, and the
 * platform account as an adapter's target.
 */
import { RefusalError, notFound, type refusal } from '../core/errors.js';
import type { DeploymentView } from '../core/observation.js';
import { checkPlan } from '../core/rules.js';
import type { AnyCloud, DeploymentFacts, PlatformTarget } from '../clouds/provider.js';
import type { DeploymentWithAccount, PlatformAccountWithCredentials } from '../store/platform.js';
import type { ServiceDeps } from './context.js';

export function viewOf(d: DeploymentWithAccount): DeploymentView {
  return {
    id: d.id,
    region: d.region,
    vpcId: d.vpcId,
    vpcCidr: d.vpcCidr,
    platformAccountId: d.account.accountId,
    routeTableIds: d.routeTableIds,
  };
}

export function factsOf(d: DeploymentWithAccount, cloud?: AnyCloud): DeploymentFacts {
  const shown = cloud?.account.publicCredentials ?? [];
  const account = Object.fromEntries(
    shown.filter((k) => d.account.credentials[k] !== undefined).map((k) => [k, d.account.credentials[k]]),
  );
  return {
    id: d.id,
    name: d.name,
    region: d.region,
    vpcId: d.vpcId,
    vpcCidr: d.vpcCidr,
    platformAccountId: d.account.accountId,
    ...(shown.length ? { account } : {}),
  };
}

export function targetOf(a: PlatformAccountWithCredentials): PlatformTarget {
  return {
    provider: a.provider,
    region: a.region,
    accountId: a.accountId,
    ...(a.endpoint ? { endpoint: a.endpoint } : {}),
    credentials: a.credentials,
  };
}

/** The caller's deployment, or NOT_FOUND (another organization's looks the same as none). */
export async function deploymentOf(deps: ServiceDeps, orgId: string, id: string): Promise<DeploymentWithAccount> {
  const d = await deps.repos.platform.getDeployment(orgId, id);
  if (!d) throw new RefusalError(notFound('deployment', id));
  return d;
}

/** The deployment's own gate: it exists for this org, and its plan may peer. */
export async function peerableDeployment(
  deps: ServiceDeps,
  orgId: string,
  id: string,
): Promise<{ deployment: DeploymentWithAccount; cloud: AnyCloud }> {
  const deployment = await deploymentOf(deps, orgId, id);
  const gate = checkPlan(deployment.plan, deps.rules);
  if (gate) throw new RefusalError(gate);
  return { deployment, cloud: deps.clouds.descriptor(deployment.provider) };
}

/** Refuses with `r` when it is a refusal, in the terms of `cloud`. */
export function refuse(r: ReturnType<typeof refusal> | null, cloud?: AnyCloud): void {
  if (r) throw new RefusalError(r, cloud?.name);
}
