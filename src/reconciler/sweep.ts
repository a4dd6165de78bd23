/**
 * The safety net: observe every live peering in batches — a few paged list calls per platform account and region,
 * not one call per peering — and step only the ones whose cloud state asks for it (drift, a missed kick).
 */
import { sweepWants } from '../core/decide.js';
import type { ConnectionObservation } from '../core/observation.js';
import { targetOf } from '../service/deployments.js';
import type { StepDeps } from './context.js';

export interface SweepStats {
  accounts: number;
  peerings: number;
  attention: number;
  durationMs: number;
}

export interface SweepWork {
  id: string;
  /** the connection as the list showed it, for running peerings (their step needs no describe) */
  known: ConnectionObservation | null | undefined;
}

/** The peerings of each platform account the sweep must step, from one listing of the account's connections. */
export async function* sweepWork(deps: StepDeps): AsyncGenerator<SweepWork[]> {
  const active = await deps.peerings.listActive();
  const byAccount = new Map<string, typeof active>();
  for (const p of active) {
    const group = byAccount.get(p.platformAccountId);
    if (group) group.push(p);
    else byAccount.set(p.platformAccountId, [p]);
  }
  const deployments = new Map((await deps.platform.listDeployments()).map((d) => [d.id, d]));
  for (const [accountId, group] of byAccount) {
    const account = await deps.platform.getAccount(accountId);
    if (!account) continue;
    // keyed by connection and deployment network: on some clouds one customer network holds several deployments
    const seen = new Map<string, ConnectionObservation>();
    try {
      const adapter = await deps.clouds.adapter(account.provider);
      for await (const page of adapter.connections.list(targetOf(account))) {
        for (const c of page) seen.set(`${c.providerId} ${c.platform.vpcId}`, c);
      }
    } catch (err) {
      deps.log.warn({ err, accountId }, 'sweep could not list connections; next sweep retries');
      continue;
    }
    const now = deps.clock.now().toISOString();
    const work: SweepWork[] = [];
    for (const p of group) {
      const d = deployments.get(p.deploymentId);
      if (!d || (p.nextAttemptAt && p.nextAttemptAt > now) || (p.leaseUntil && p.leaseUntil > now)) continue;
      const connection = seen.get(`${p.providerPeeringId} ${d.vpcId}`) ?? null;
      if (!sweepWants(p.status, connection)) continue;
      work.push({ id: p.id, known: p.status === 'running' ? connection : undefined });
    }
    yield work;
  }
}
