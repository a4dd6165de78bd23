/**
 * The statements every reconcile step runs to take and hand back a peering's lease, compiled by Kysely once
 * (prepared.ts), and the release itself: the work queue's hottest writes (peering-leases.ts uses them).
 */
import type { Kysely } from 'kysely';
import type { Refusal } from '../core/errors.js';
import { activeStatuses, type PeeringStatus } from '../core/status.js';
import { reasonColumns } from './peerings.js';
import { Prepared } from './prepared.js';
import type { Database } from './schema.js';

/** Claimable: still driven, or failed with a clean-up scheduled (a platform request to withdraw). */
export const claimable: PeeringStatus[] = [...activeStatuses, 'failed'];

export interface Release {
  nextAttemptAt: string | null;
  attempts: number;
  lastError: string | null;
  providerStatus?: string | null;
  /** a reason shown while the status stays (what the customer should know); null clears it */
  hint?: Refusal | null;
}

// every step starts here: compiled once (prepared.ts)
export const leaseOf = new Prepared((db, v: { id: string }) =>
  db.selectFrom('peerings').select(['lease_owner', 'lease_until']).where('id', '=', v.id),
);
export const claimOne = new Prepared((db, v: { id: string; owner: string; until: string; at: string }) =>
  db
    .updateTable('peerings')
    .set({ lease_owner: v.owner, lease_until: v.until })
    .where('id', '=', v.id)
    .where('status', 'in', claimable)
    .where((eb) =>
      eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', v.at), eb('lease_owner', '=', v.owner)]),
    )
    .returningAll(),
);

// every step ends here (compiled once, per shape: with or without a provider status and a hint)
const releaseOne = new Prepared(
  (
    db,
    v: {
      id: string;
      owner: string;
      seenStatus: PeeringStatus;
      nextAttemptAt: string | null;
      attempts: number;
      lastError: string | null;
      updatedAt: string;
      providerStatus?: string | null;
      reason_code?: Refusal['code'] | null;
      reason_params?: string | null;
    },
  ) =>
    db
      .updateTable('peerings')
      .set({
        lease_owner: null,
        lease_until: null,
        next_attempt_at: v.nextAttemptAt,
        attempts: v.attempts,
        last_error: v.lastError,
        updated_at: v.updatedAt,
        ...(v.providerStatus !== undefined ? { provider_status: v.providerStatus } : {}),
        ...(v.reason_code !== undefined ? { reason_code: v.reason_code, reason_params: v.reason_params } : {}),
      })
      .where('id', '=', v.id)
      .where('lease_owner', '=', v.owner)
      .where('status', '=', v.seenStatus)
      .returning('id'),
);

export interface ReleaseOf {
  id: string;
  owner: string;
  seenStatus: PeeringStatus;
  now: Date;
  next: Release;
}

/**
 * Hands the peering back with its next attempt. `seenStatus`: the status the step worked from — when a customer
 * changed it meanwhile (a delete while a step was in flight), only the lease is released, so the schedule the
 * customer's action set is not overwritten.
 */
export async function releaseIn(db: Kysely<Database>, o: ReleaseOf): Promise<void> {
  const n = o.next;
  const released = await releaseOne.run(db, {
    id: o.id,
    owner: o.owner,
    seenStatus: o.seenStatus,
    nextAttemptAt: n.nextAttemptAt,
    attempts: n.attempts,
    lastError: n.lastError,
    updatedAt: o.now.toISOString(),
    providerStatus: n.providerStatus,
    ...(n.hint !== undefined ? reasonColumns(n.hint) : {}),
  });
  if (released.length === 0) {
    await db
      .updateTable('peerings')
      .set({ lease_owner: null, lease_until: null })
      .where('id', '=', o.id)
      .where('lease_owner', '=', o.owner)
      .execute();
  }
}
