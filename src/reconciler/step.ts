/**
 * One reconcile step for one peering (ARCHITECTURE.md §2): claim its lease, observe the cloud, let the core decide,
 * record the intent, act through the adapter, record the outcome, and release the lease with when to look again.
 * Level-triggered: after a crash it re-observes rather than trusting what it was doing. Never throws.
 */
import { decide, needsRoutes, type Action, type Decision } from '../core/decide.js';
import {
  pickLocated,
  type ConnectionObservation,
  type Observation,
  type PeeringView,
  type Seen,
} from '../core/observation.js';
import type { AnyCloud, CloudAdapter, ConnectionRef, PlatformTarget } from '../clouds/provider.js';
import type { Peering } from '../store/peerings.js';
import type { DeploymentWithAccount } from '../store/platform.js';
import { targetOf, viewOf } from '../service/deployments.js';
import { livePeering } from '../service/submit.js';
import type { StepDeps, StepResult } from './context.js';
import { failStep } from './failure.js';

export function peeringView(p: Peering): PeeringView {
  return {
    id: p.id,
    status: p.status,
    providerId: p.providerPeeringId,
    customerAccountId: p.customerAccountId,
    customerVpcId: p.customerVpcId,
    customerCidrs: p.customerCidrs,
    deadlineAt: p.deadlineAt,
    acceptedAt: p.acceptedAt,
  };
}

export function refOf(p: Peering, d: { vpcId: string }): ConnectionRef {
  return {
    connectionId: p.providerPeeringId,
    deploymentVpcId: d.vpcId,
    customerAccountId: p.customerAccountId,
    customerVpcId: p.customerVpcId,
    customerCidrs: p.customerCidrs,
  };
}

function describeAction(a: Action): string {
  switch (a.kind) {
    case 'ensure-routes':
      return `create-routes ${a.missing.map((r) => `${r.tableId}:${r.cidr}`).join(',')}`;
    case 'remove-routes':
      return `delete-routes ${a.routes.map((r) => `${r.tableId}:${r.cidr}`).join(',')}`;
    default:
      return a.kind;
  }
}

/** The part of the adapter an action needs; a cloud whose declarations call for it but lacks it is a bug. */
function part<T>(value: T | undefined, cloud: AnyCloud, what: string): T {
  if (!value) throw new Error(`cloud ${cloud.name} declares capabilities that need ${what}, but its adapter has none`);
  return value;
}

interface Scope {
  deps: StepDeps;
  cloud: AnyCloud;
  adapter: CloudAdapter;
  target: PlatformTarget;
  deployment: DeploymentWithAccount;
}

/** What the cloud shows of the peering; one still looking for its connection is bound to it once it appears. */
async function observe(
  s: Scope,
  p: Peering,
  known?: ConnectionObservation | null,
): Promise<{ obs: Observation; p: Peering }> {
  const { deps, cloud, adapter, target, deployment } = s;
  let connection: ConnectionObservation | null = null;
  const searching = !p.providerPeeringId && (p.status === 'pending' || p.status === 'awaiting-customer');
  if (searching && cloud.capabilities.finds === 'customer-network') {
    const between = { customerVpcId: p.customerVpcId, deploymentVpcId: deployment.vpcId };
    connection = pickLocated(await part(adapter.locator, cloud, 'a locator').locate(target, between));
    if (connection) {
      const bound = await deps.leases.bindConnection({
        peering: p,
        owner: deps.owner,
        providerId: connection.providerId,
        customerAccountId: connection.customer.accountId,
        now: deps.clock.now(),
      });
      if (!bound) throw new Error(`peering ${p.id} changed while binding ${connection.providerId}`);
      p = bound;
    }
  } else if (p.providerPeeringId) {
    connection = known !== undefined ? known : await adapter.connections.observe(target, refOf(p, deployment));
  }
  // Routes to a connection the cloud no longer shows still count (a blackhole route): only an unbound peering has none.
  const routes =
    p.providerPeeringId && needsRoutes(cloud.capabilities, p.status, connection)
      ? await part(adapter.routes, cloud, 'platform routes').observe(
          target,
          p.providerPeeringId,
          deployment.routeTableIds,
        )
      : undefined;
  return { obs: { connection, routes }, p };
}

async function act(s: Scope, p: Peering, action: Action, current: ConnectionObservation | null): Promise<void> {
  const { cloud, adapter, target, deployment } = s;
  const ref = refOf(p, deployment);
  switch (action.kind) {
    case 'accept':
      return part(adapter.acceptor, cloud, 'an acceptor').accept(target, ref);
    case 'request':
      return part(adapter.requester, cloud, 'a requester').request(target, ref);
    case 'ensure-routes':
      return part(adapter.routes, cloud, 'platform routes').create(target, p.providerPeeringId, action.missing);
    case 'remove-routes':
      return part(adapter.routes, cloud, 'platform routes').remove(target, p.providerPeeringId, action.routes);
    case 'close':
      if (current) await adapter.connections.close(target, ref, current);
      return;
  }
}

/** Records what the core decided, acts where it said so, and releases the lease with the next attempt. */
async function record(s: Scope, p: Peering, decision: Decision, obs: Observation): Promise<StepResult> {
  const { deps } = s;
  const now = deps.clock.now();
  const later = (ms: number) => new Date(now.getTime() + ms).toISOString();
  const providerStatus = obs.connection?.providerStatus ?? null;
  const release = (next: Parameters<StepDeps['leases']['release']>[0]['next'], seenStatus = p.status) =>
    deps.leases.release({ id: p.id, owner: deps.owner, seenStatus, now, next });
  switch (decision.kind) {
    case 'steady':
      await release({ nextAttemptAt: null, attempts: 0, lastError: null, providerStatus });
      return { outcome: 'steady', again: false };
    case 'wait': {
      const hint = decision.hint ? { hint: decision.hint } : {};
      await release({ nextAttemptAt: later(decision.afterMs), attempts: 0, lastError: null, providerStatus, ...hint });
      return { outcome: 'waiting', again: false };
    }
    case 'transition': {
      const { to, reason, note, cidrs } = decision;
      const next = {
        nextAttemptAt: decision.next === 'idle' ? null : later(decision.next.afterMs),
        attempts: 0,
        lastError: null,
      };
      // the change and the lease handed back with the next attempt, in one transaction
      const change = { peering: p, owner: deps.owner, to, reason, note, now, cidrs, providerStatus, release: next };
      // the status moved meanwhile (a customer's delete): only the lease is handed back
      if (!(await deps.leases.transition(change))) await release(next, to);
      deps.metrics?.transitions.inc({ cloud: p.provider, to, reason: reason?.code ?? '' });
      deps.log.info({ peeringId: p.id, from: p.status, to, reason: reason?.code }, 'peering transitioned');
      return { outcome: 'transitioned', again: false };
    }
    case 'act': {
      const what = describeAction(decision.action);
      const intent = { peering: p, owner: deps.owner, intent: what, note: decision.note, now, ttlMs: deps.leaseMs };
      if (!(await deps.leases.recordIntent(intent))) {
        deps.log.warn({ peeringId: p.id, action: what }, 'lease lost before acting; another instance has the peering');
        return { outcome: 'busy', again: false };
      }
      await act(s, p, decision.action, obs.connection);
      const done = deps.clock.now();
      // what came of it and the lease handed back, in one transaction
      await deps.leases.recordOutcome({
        peering: p,
        owner: deps.owner,
        kind: 'action',
        note: `${what}: done`,
        now: done,
        accepted: decision.action.kind === 'accept',
        release: { nextAttemptAt: done.toISOString(), attempts: 0, lastError: null, providerStatus },
      });
      return { outcome: 'acted', again: true };
    }
  }
}

/**
 * How much older than the sweep's list a peering's last change must be for the list to speak for it: the list and
 * the change may be timed by different instances' clocks.
 */
const clockSkewMs = 30_000;

/**
 * The connection as Peerlink already saw it, if that is news about the peering as it is now; undefined (observe
 * again) when the peering moved since. Against a version (a submit's look): nothing but this step's own claim has
 * changed the peering since. Otherwise (a sweep's list) its last change is older than the list, with room for
 * instances' clocks: a list taken while a peering was being accepted shows it awaiting acceptance, and read as the
 * state of a peering that has since run it would look like the customer's side gone — a running peering failed for
 * nothing.
 */
export function stillNews(
  p: Peering & { version: number },
  known: Seen | undefined,
): ConnectionObservation | null | undefined {
  if (!known) return undefined;
  if (known.version !== undefined) return p.version === known.version + 1 ? known.connection : undefined;
  return Date.parse(p.updatedAt) < known.at.getTime() - clockSkewMs ? known.connection : undefined;
}

/** One step for one peering. `known`: the connection as a sweep already saw it (saves the describe). */
export async function reconcileStep(deps: StepDeps, id: string, known?: Seen): Promise<StepResult> {
  const claimed = await deps.leases.claim({ id, owner: deps.owner, now: deps.clock.now(), ttlMs: deps.leaseMs });
  if (!claimed) return { outcome: 'busy', again: false };
  if (claimed.takeover) {
    deps.metrics?.leaseTakeovers.inc();
    deps.log.warn({ peeringId: id }, 'took over an expired lease from another instance');
  }
  return stepClaimed(deps, claimed, stillNews(claimed, known));
}

async function stepClaimed(
  deps: StepDeps,
  claimed: Peering,
  known: ConnectionObservation | null | undefined,
): Promise<StepResult> {
  let p: Peering = claimed;
  const cloud = deps.clouds.descriptor(p.provider);
  try {
    const deployment = await deps.platform.getDeployment(null, p.deploymentId);
    if (!deployment) throw new Error(`deployment ${p.deploymentId} of peering ${p.id} is gone`);
    const scope: Scope = {
      deps,
      cloud,
      adapter: await deps.clouds.adapter(p.provider),
      // its cloud calls wait their turn among its organization's (pacer.ts: fair between tenants)
      target: { ...targetOf(deployment.account), caller: { org: p.orgId } },
      deployment,
    };
    const observed = await observe(scope, p, known);
    p = observed.p;
    if (p.intent) {
      const note =
        `interrupted during "${p.intent}"; re-observed the cloud (status ` +
        `${observed.obs.connection?.providerStatus ?? 'not found'}) and continued`;
      await deps.leases.recordOutcome({
        peering: p,
        owner: deps.owner,
        kind: 'recovered',
        note,
        now: deps.clock.now(),
      });
    }
    const siblings = (await deps.peerings.liveSiblings(deployment.id)).filter((s) => s.id !== p.id).map(livePeering);
    const decision = decide(peeringView(p), viewOf(deployment), observed.obs, {
      now: deps.clock.now().toISOString(),
      capabilities: cloud.capabilities,
      reservedRanges: deps.rules.reservedRanges,
      cidrPolicy: deps.rules.cidrPolicy,
      siblings,
    });
    return { ...(await record(scope, p, decision, observed.obs)), cloud: p.provider };
  } catch (err) {
    return { ...(await failStep(deps, p, cloud, err)), cloud: p.provider };
  }
}
