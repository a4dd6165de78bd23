/**
 * Peerings and their event history. Every status change and its event are written in one transaction, guarded by
 * the expected current status (and, for the reconciler, its lease), so concurrent writers cannot skip a step.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, PeeringTable } from './schema.js';
import { activeStatuses, canTransition, liveStatuses, type PeeringStatus } from '../core/lifecycle.js';
import { RefusalError, refusal, type Refusal } from '../core/errors.js';
import type { ProviderName } from '../clouds/provider.js';
import { newId } from './ids.js';
import { isUniqueViolation, type Engine } from './db.js';
import { paginate, type Page } from './pagination.js';

export interface Peering {
  id: string;
  orgId: string;
  deploymentId: string;
  provider: ProviderName;
  providerPeeringId: string;
  customerAccountId: string;
  customerVpcId: string;
  customerCidrs: string[];
  region: string;
  status: PeeringStatus;
  reason: Refusal | null;
  providerStatus: string | null;
  intent: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  leaseOwner: string | null;
  leaseUntil: string | null;
  lastError: string | null;
  /** by when the customer's part must be done (connection found, attach approved); null: the cloud's own expiry */
  deadlineAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PeeringEvent {
  id: string;
  peeringId: string;
  at: string;
  actor: string;
  kind: string;
  fromStatus: string | null;
  toStatus: string | null;
  code: string | null;
  params: Record<string, unknown> | null;
  note: string;
}

export interface NewPeering {
  orgId: string;
  deploymentId: string;
  provider: ProviderName;
  providerPeeringId: string;
  customerAccountId: string;
  customerVpcId: string;
  customerCidrs: string[];
  region: string;
  deadlineAt?: string | null;
  /** shown as the reason while pending (e.g. what to check while Peerlink looks) */ hint?: Refusal | null;
}

function peering(r: Selectable<PeeringTable>): Peering {
  return {
    id: r.id,
    orgId: r.org_id,
    deploymentId: r.deployment_id,
    provider: r.provider as ProviderName,
    providerPeeringId: r.provider_peering_id,
    customerAccountId: r.customer_account_id,
    customerVpcId: r.customer_vpc_id,
    customerCidrs: JSON.parse(r.customer_cidrs) as string[],
    region: r.region,
    status: r.status as PeeringStatus,
    reason: r.reason_code
      ? { code: r.reason_code as Refusal['code'], params: JSON.parse(r.reason_params ?? '{}') as Refusal['params'] }
      : null,
    providerStatus: r.provider_status,
    intent: r.intent,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until,
    lastError: r.last_error,
    deadlineAt: r.deadline_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface EventInput {
  actor: string;
  kind: string;
  from?: PeeringStatus | null;
  to?: PeeringStatus | null;
  reason?: Refusal | null;
  note: string;
}

export class PeeringRepo {
  /** `engine` decides only how due work is claimed: PostgreSQL skips rows other instances have locked. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine = 'sqlite',
  ) {}

  private async insertEvent(
    trx: Kysely<Database> | Transaction<Database>,
    p: { id: string; orgId: string },
    e: EventInput,
    now: Date,
  ): Promise<void> {
    await trx
      .insertInto('peering_events')
      .values({
        id: newId('evt', now.getTime()),
        peering_id: p.id,
        org_id: p.orgId,
        at: now.toISOString(),
        actor: e.actor,
        kind: e.kind,
        from_status: e.from ?? null,
        to_status: e.to ?? null,
        code: e.reason?.code ?? null,
        params: e.reason ? JSON.stringify(e.reason.params) : null,
        note: e.note,
      })
      .execute();
  }

  async create(input: NewPeering, actor: string, now: Date): Promise<Peering> {
    const at = now.toISOString();
    const row: PeeringTable = {
      id: newId('pr', now.getTime()),
      org_id: input.orgId,
      deployment_id: input.deploymentId,
      provider: input.provider,
      provider_peering_id: input.providerPeeringId,
      customer_account_id: input.customerAccountId,
      customer_vpc_id: input.customerVpcId,
      customer_cidrs: JSON.stringify(input.customerCidrs),
      region: input.region,
      status: 'pending',
      reason_code: input.hint?.code ?? null,
      reason_params: input.hint ? JSON.stringify(input.hint.params) : null,
      provider_status: null,
      intent: null,
      attempts: 0,
      next_attempt_at: at,
      lease_owner: null,
      lease_until: null,
      last_error: null,
      deadline_at: input.deadlineAt ?? null,
      created_at: at,
      updated_at: at,
    };
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto('peerings').values(row).execute();
        await this.insertEvent(
          trx,
          { id: row.id, orgId: row.org_id },
          {
            actor,
            kind: 'submitted',
            to: 'pending',
            note: input.providerPeeringId
              ? `submitted ${input.providerPeeringId} (account ${input.customerAccountId}, VPC ${input.customerVpcId})`
              : `submitted VPC ${input.customerVpcId}; looking for its connection until ${input.deadlineAt ?? '(no deadline)'}`,
          },
          now,
        );
      });
    } catch (err) {
      // lost a race with another submit of the same id
      return this.rethrowTaken(err, input.provider, input.providerPeeringId, input.orgId, input.deploymentId);
    }
    return peering(row);
  }

  async get(orgId: string, id: string): Promise<Peering | undefined> {
    const r = await this.db
      .selectFrom('peerings')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return r && peering(r);
  }

  /** Unscoped: for the reconciler only. */
  async getById(id: string): Promise<Peering | undefined> {
    const r = await this.db.selectFrom('peerings').selectAll().where('id', '=', id).executeTakeFirst();
    return r && peering(r);
  }

  async list(
    orgId: string,
    opts: { deploymentId?: string; status?: string; limit: number; cursor?: [string, string] | null },
  ): Promise<Page<Peering>> {
    let q = this.db.selectFrom('peerings').selectAll().where('org_id', '=', orgId);
    if (opts.deploymentId) q = q.where('deployment_id', '=', opts.deploymentId);
    if (opts.status) q = q.where('status', '=', opts.status);
    return paginate(q, opts, peering);
  }

  async events(orgId: string, id: string): Promise<PeeringEvent[]> {
    const rows = await this.db
      .selectFrom('peering_events')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('peering_id', '=', id)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      peeringId: r.peering_id,
      at: r.at,
      actor: r.actor,
      kind: r.kind,
      fromStatus: r.from_status,
      toStatus: r.to_status,
      code: r.code,
      params: r.params ? (JSON.parse(r.params) as Record<string, unknown>) : null,
      note: r.note,
    }));
  }

  /** A write that lost the race on the "connection id once per deployment" index fails as a submit would have. */
  private async rethrowTaken(
    err: unknown,
    provider: string,
    providerId: string,
    orgId: string,
    deploymentId: string,
  ): Promise<never> {
    if (!isUniqueViolation(err)) throw err;
    const holder = await this.providerIdHolder(provider, providerId, orgId, deploymentId);
    throw new RefusalError(refusal('PROVIDER_ID_TAKEN', { providerId, peeringId: holder?.id ?? '(unknown)' }));
  }

  /**
   * The live peering of a deployment holding a provider id, as the asking org may see it: its own peering's id, or only that
   * another organization holds it.
   */
  async providerIdHolder(
    provider: string,
    providerPeeringId: string,
    orgId: string,
    deploymentId: string,
  ): Promise<{ id: string } | undefined> {
    const r = await this.db
      .selectFrom('peerings')
      .select(['id', 'org_id'])
      .where('provider', '=', provider)
      .where('provider_peering_id', '=', providerPeeringId)
      .where('deployment_id', '=', deploymentId)
      .where('status', 'not in', ['failed', 'deleted'])
      .executeTakeFirst();
    return r && { id: r.org_id === orgId ? r.id : '(another organization)' };
  }

  /** The live peerings of a deployment (quota and CIDR overlap). */
  async liveForDeployment(deploymentId: string): Promise<Peering[]> {
    const rows = await this.db
      .selectFrom('peerings')
      .selectAll()
      .where('deployment_id', '=', deploymentId)
      .where('status', 'in', [...liveStatuses])
      .execute();
    return rows.map(peering);
  }

  /** Every peering the reconciler still drives, with its deployment's platform account (for the batched sweep). */
  async listActive(): Promise<Array<Peering & { platformAccountId: string }>> {
    const rows = await this.db
      .selectFrom('peerings')
      .innerJoin('deployments as d', 'd.id', 'peerings.deployment_id')
      .selectAll('peerings')
      .select('d.platform_account_id')
      .where('peerings.status', 'in', [...activeStatuses])
      .execute();
    return rows.map((r) => ({ ...peering(r), platformAccountId: r.platform_account_id }));
  }

  /** Customer-requested delete: running or failed -> deleting, refused while resources are bound. */
  async requestDelete(orgId: string, id: string, actor: string, now: Date): Promise<Peering> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .selectFrom('peerings')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!r) throw new RefusalError(refusal('NOT_FOUND', { kind: 'peering', id }));
      const p = peering(r);
      if (p.status === 'deleting' || p.status === 'deleted') return p; // already on its way: idempotent
      if (!canTransition(p.status, 'deleting'))
        throw new RefusalError(refusal('PEERING_NOT_DELETABLE', { peeringId: id, status: p.status }));
      const bound = await trx
        .selectFrom('resources')
        .select(['id', 'name', 'address'])
        .where('peering_id', '=', id)
        .execute();
      if (bound.length > 0) {
        throw new RefusalError(
          refusal('PEERING_HAS_RESOURCES', {
            peeringId: id,
            resources: bound.map((b) => `${b.name} (${b.id}, ${b.address})`).join(', '),
          }),
        );
      }
      const at = now.toISOString();
      await trx
        .updateTable('peerings')
        .set({ status: 'deleting', attempts: 0, next_attempt_at: at, updated_at: at })
        .where('id', '=', id)
        .where('status', '=', p.status)
        .execute();
      await this.insertEvent(
        trx,
        p,
        { actor, kind: 'transition', from: p.status, to: 'deleting', note: 'deletion requested' },
        now,
      );
      return { ...p, status: 'deleting' as const, updatedAt: at };
    });
  }

  /** The customer corrects the CIDRs it typed; the reconciler makes the routes follow (guarded by the status it saw). */
  async updateCidrs(p: Peering, cidrs: string[], actor: string, now: Date): Promise<Peering> {
    const at = now.toISOString();
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('peerings')
        .set({ customer_cidrs: JSON.stringify(cidrs), next_attempt_at: at, attempts: 0, updated_at: at })
        .where('id', '=', p.id)
        .where('status', '=', p.status)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0)
        throw new RefusalError(refusal('CONFLICT', { detail: `peering ${p.id} changed meanwhile; read it again` }));
      await this.insertEvent(
        trx,
        p,
        {
          actor,
          kind: 'cidrs-changed',
          note: `customer CIDRs ${p.customerCidrs.join(', ') || '(none)'} -> ${cidrs.join(', ')}`,
        },
        now,
      );
      return { ...p, customerCidrs: cidrs, updatedAt: at };
    });
  }

  // ---- reconciler side: leases, intents, transitions ----

  /**
   * Takes the lease on one peering if free (or expired, or already ours). `takeover` says it was another
   * instance's expired lease (that instance died or stalled mid-step).
   */
  async claim(
    id: string,
    owner: string,
    now: Date,
    ttlMs: number,
  ): Promise<(Peering & { takeover: boolean }) | undefined> {
    const at = now.toISOString();
    const before = await this.db
      .selectFrom('peerings')
      .select(['lease_owner', 'lease_until'])
      .where('id', '=', id)
      .executeTakeFirst();
    const r = await this.db
      .updateTable('peerings')
      .set({ lease_owner: owner, lease_until: new Date(now.getTime() + ttlMs).toISOString() })
      .where('id', '=', id)
      // a failed peering may still have a clean-up to make (a platform request to withdraw)
      .where('status', 'in', [...activeStatuses, 'failed'])
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at), eb('lease_owner', '=', owner)]))
      .returningAll()
      .executeTakeFirst();
    if (!r) return undefined;
    return {
      ...peering(r),
      takeover: !!before?.lease_owner && before.lease_owner !== owner && (before.lease_until ?? '') < at,
    };
  }

  /** Claims up to `limit` peerings whose next attempt is due, skipping rows another instance is claiming. */
  async claimDue(owner: string, now: Date, ttlMs: number, limit: number): Promise<string[]> {
    const at = now.toISOString();
    let due = this.db
      .selectFrom('peerings')
      .select('id')
      .where('next_attempt_at', '<=', at)
      // a failed peering is stepped only when a clean-up was scheduled (a platform request to withdraw)
      .where('status', 'in', [...activeStatuses, 'failed'])
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
      .orderBy('next_attempt_at')
      .limit(limit);
    if (this.engine === 'postgres') due = due.forUpdate().skipLocked();
    const rows = await this.db
      .updateTable('peerings')
      .set({ lease_owner: owner, lease_until: new Date(now.getTime() + ttlMs).toISOString() })
      .where('id', 'in', due)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** On a clean shutdown: hand back every lease this instance holds, so others need not wait for expiry. */
  async releaseAll(owner: string): Promise<number> {
    const r = await this.db
      .updateTable('peerings')
      .set({ lease_owner: null, lease_until: null })
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /**
   * Hands the peering back with its next attempt. `seenStatus`: the status this step worked from — when a customer
   * changed it meanwhile (a delete while a step was in flight), only the lease is released, so the schedule the
   * customer's action set is not overwritten. `hint`: a reason shown while the status stays; null clears it.
   */
  async release(
    id: string,
    owner: string,
    next: {
      nextAttemptAt: string | null;
      attempts: number;
      lastError: string | null;
      providerStatus?: string | null;
      hint?: Refusal | null;
    },
    now: Date,
    seenStatus: PeeringStatus,
  ): Promise<void> {
    const r = await this.db
      .updateTable('peerings')
      .set({
        lease_owner: null,
        lease_until: null,
        next_attempt_at: next.nextAttemptAt,
        attempts: next.attempts,
        last_error: next.lastError,
        updated_at: now.toISOString(),
        ...(next.providerStatus !== undefined ? { provider_status: next.providerStatus } : {}),
        ...(next.hint !== undefined
          ? { reason_code: next.hint?.code ?? null, reason_params: next.hint ? JSON.stringify(next.hint.params) : null }
          : {}),
      })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('status', '=', seenStatus)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      await this.db
        .updateTable('peerings')
        .set({ lease_owner: null, lease_until: null })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .execute();
    }
  }

  /**
   * Records the side effect about to be made, before making it — and fences it: only while this instance still
   * holds the lease, which it renews for `ttlMs`. False: the lease was lost (another instance owns the peering now),
   * so the caller must not act.
   */
  async recordIntent(
    p: Peering,
    owner: string,
    intent: string,
    note: string,
    now: Date,
    ttlMs: number,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('peerings')
        .set({ intent, updated_at: now.toISOString(), lease_until: new Date(now.getTime() + ttlMs).toISOString() })
        .where('id', '=', p.id)
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await this.insertEvent(trx, p, { actor: 'reconciler', kind: 'intent', note: `${intent}: ${note}` }, now);
      return true;
    });
  }

  async recordOutcome(
    p: Peering,
    owner: string,
    kind: string,
    note: string,
    reason: Refusal | null,
    now: Date,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('peerings')
        .set({ intent: null, updated_at: now.toISOString() })
        .where('id', '=', p.id)
        .where('lease_owner', '=', owner)
        .execute();
      await this.insertEvent(trx, p, { actor: 'reconciler', kind, reason, note }, now);
    });
  }

  async transition(
    p: Peering,
    owner: string,
    to: PeeringStatus,
    reason: Refusal | null,
    note: string,
    now: Date,
    extra: { cidrs?: string[]; providerStatus?: string | null } = {},
  ): Promise<boolean> {
    if (!canTransition(p.status, to)) throw new Error(`illegal transition ${p.status} -> ${to} for ${p.id}`);
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('peerings')
        .set({
          status: to,
          reason_code: reason?.code ?? null,
          reason_params: reason ? JSON.stringify(reason.params) : null,
          intent: null,
          updated_at: now.toISOString(),
          ...(extra.cidrs ? { customer_cidrs: JSON.stringify(extra.cidrs) } : {}),
          ...(extra.providerStatus !== undefined ? { provider_status: extra.providerStatus } : {}),
        })
        .where('id', '=', p.id)
        .where('status', '=', p.status)
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await this.insertEvent(
        trx,
        p,
        { actor: 'reconciler', kind: 'transition', from: p.status, to, reason, note },
        now,
      );
      return true;
    });
  }

  /** The customer asks Peerlink to look now: the next attempt becomes due (backoff reset); history records who asked. */
  async resync(orgId: string, id: string, actor: string, now: Date): Promise<Peering> {
    const at = now.toISOString();
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .selectFrom('peerings')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!r) throw new RefusalError(refusal('NOT_FOUND', { kind: 'peering', id }));
      const p = peering(r);
      if (!activeStatuses.includes(p.status)) return p;
      await trx
        .updateTable('peerings')
        .set({ next_attempt_at: at, attempts: 0, updated_at: at })
        .where('id', '=', id)
        .execute();
      await this.insertEvent(trx, p, { actor, kind: 'resync', note: 'check requested' }, now);
      return { ...p, nextAttemptAt: at, attempts: 0, updatedAt: at };
    });
  }

  /** Retry a failed peering: back to pending with a new deadline (a new attach request, a new search). */
  async retry(orgId: string, id: string, actor: string, deadlineAt: string | null, now: Date): Promise<Peering> {
    const at = now.toISOString();
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .selectFrom('peerings')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!r) throw new RefusalError(refusal('NOT_FOUND', { kind: 'peering', id }));
      const p = peering(r);
      if (p.status !== 'failed')
        throw new RefusalError(refusal('PEERING_NOT_RETRYABLE', { peeringId: id, status: p.status }));
      try {
        await trx
          .updateTable('peerings')
          .set({
            status: 'pending',
            reason_code: null,
            reason_params: null,
            deadline_at: deadlineAt,
            attempts: 0,
            last_error: null,
            next_attempt_at: at,
            updated_at: at,
          })
          .where('id', '=', id)
          .where('status', '=', 'failed')
          .execute();
      } catch (err) {
        return this.rethrowTaken(err, p.provider, p.providerPeeringId, orgId, p.deploymentId);
      }
      await this.insertEvent(
        trx,
        p,
        {
          actor,
          kind: 'transition',
          from: 'failed',
          to: 'pending',
          note: `retry requested${deadlineAt ? `; the customer's part is due by ${deadlineAt}` : ''}`,
        },
        now,
      );
      return {
        ...p,
        status: 'pending' as const,
        reason: null,
        deadlineAt,
        attempts: 0,
        lastError: null,
        nextAttemptAt: at,
        updatedAt: at,
      };
    });
  }

  /**
   * The connection a located peering turned out to be (Alibaba: found from the customer's VPC). Fenced by the lease;
   * a connection another live peering already holds is refused by the unique index.
   */
  async bindConnection(
    p: Peering,
    owner: string,
    providerId: string,
    customerAccountId: string,
    now: Date,
  ): Promise<Peering | null> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('peerings')
          .set({
            provider_peering_id: providerId,
            customer_account_id: customerAccountId,
            reason_code: null,
            reason_params: null,
            updated_at: now.toISOString(),
          })
          .where('id', '=', p.id)
          .where('provider_peering_id', '=', '')
          .where('lease_owner', '=', owner)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return null;
        await this.insertEvent(
          trx,
          p,
          {
            actor: 'reconciler',
            kind: 'located',
            note: `found ${providerId} from VPC ${p.customerVpcId} (initiator account ${customerAccountId})`,
          },
          now,
        );
        return { ...p, providerPeeringId: providerId, customerAccountId, reason: null };
      });
    } catch (err) {
      return this.rethrowTaken(err, p.provider, providerId, p.orgId, p.deploymentId);
    }
  }

  async countByProviderAndStatus(): Promise<Array<{ provider: string; status: string; n: number }>> {
    const rows = await this.db
      .selectFrom('peerings')
      .select(['provider', 'status', sql<number>`count(*)`.as('n')])
      .groupBy(['provider', 'status'])
      .execute();
    return rows.map((r) => ({ provider: r.provider, status: r.status, n: Number(r.n) }));
  }
}
