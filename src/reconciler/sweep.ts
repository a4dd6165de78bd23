/**
 * The safety net: observe every live peering in batches — a few paged list calls per platform account and region,
 * not one call per peering — and step only the ones whose cloud state asks for it (drift, a missed kick). Memory
 * stays flat in a large estate: one account at a time, its connections as the cloud lists them, and its peerings
 * read a page of deployments at a time (a few columns each), never all rows at once.
 */
import { sweepWants } from '../core/decide.js';
import type { ConnectionObservation, Seen } from '../core/observation.js';
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
  known: Seen | undefined;
}

/** One page of an account's peerings: how many the sweep looked at, and those it must step. */
export interface SweepBatch {
  accountId: string;
  peerings: number;
  work: SweepWork[];
}

/** Deployments read per page (each brings its live peerings, at most the quota). */
const deploymentPage = 100;

/**
 * The account's connections as the cloud lists them, keyed by connection and deployment network, with the time the
 * list was asked for; null: failed.
 */
async function listed(
  deps: StepDeps,
  accountId: string,
): Promise<{ at: Date; connections: Map<string, ConnectionObservation> } | null> {
  const account = await deps.platform.getAccount(accountId);
  if (!account) return null;
  // keyed by connection and deployment network: on some clouds one customer network holds several deployments
  const connections = new Map<string, ConnectionObservation>();
  const at = deps.clock.now();
  try {
    const adapter = await deps.clouds.adapter(account.provider);
    for await (const page of adapter.connections.list(targetOf(account))) {
      for (const c of page) connections.set(`${c.providerId} ${c.platform.vpcId}`, c);
    }
    return { at, connections };
  } catch (err) {
    deps.log.warn({ err, accountId }, 'sweep could not list connections; next sweep retries');
    return null;
  }
}

/** The peerings of each platform account the sweep must step, a page at a time. */
export async function* sweepWork(deps: StepDeps): AsyncGenerator<SweepBatch> {
  for (const { id: accountId } of await deps.platform.listAccounts()) {
    // listed once the account is known to have a live peering (an idle account costs the cloud nothing)
    let seen: Awaited<ReturnType<typeof listed>> | undefined;
    let after: string | null = null;
    for (;;) {
      const deployments = await deps.platform.deploymentsOfAccount(accountId, after, deploymentPage);
      const last = deployments.at(-1);
      if (!last) break;
      after = last.id;
      const active = await deps.peerings.activeIn(deployments.map((d) => d.id));
      if (active.length === 0) continue;
      seen ??= await listed(deps, accountId);
      if (!seen) break;
      const vpcOf = new Map(deployments.map((d) => [d.id, d.vpcId]));
      const now = deps.clock.now().toISOString();
      const work: SweepWork[] = [];
      for (const p of active) {
        if ((p.nextAttemptAt && p.nextAttemptAt > now) || (p.leaseUntil && p.leaseUntil > now)) continue;
        const key = `${p.providerPeeringId} ${vpcOf.get(p.deploymentId) ?? ''}`;
        const connection = seen.connections.get(key) ?? null;
        if (!sweepWants(p.status, connection)) continue;
        // the list may be older than the peering's state (it went on meanwhile): the step judges that (step.ts)
        work.push({ id: p.id, known: p.status === 'running' ? { connection, at: seen.at } : undefined });
      }
      yield { accountId, peerings: active.length, work };
    }
  }
}
