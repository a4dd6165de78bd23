/**
 * Peerings and their event history: rows, reads, and guarded writes. Every status change and its event are written in
 * one transaction, guarded by the status the writer saw, so concurrent writers cannot skip a step. The rules that
 * decide which writes are allowed live in the service (customer commands) and the core (the reconciler's decisions).
 *
 * A little over 300 lines: the peering row's mapping and its guarded writes belong together (the lease queue and the
 * history live in their own modules).
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Refusal } from '../core/errors.js';
import { activeStatuses, liveStatuses, type PeeringStatus } from '../core/status.js';
import type { ProviderName } from '../clouds/registry.js';
import { atomically, isUniqueViolation, type Engine } from './db.js';
import { newId } from './ids.js';
import { eventsOf, insertEvent, lastEventAt, type PeeringEvent } from './peering-events.js';
import { recordPeeringChange } from './outbox.js';
import { afterKey, pageOf, paginate, type Page } from './pagination.js';
import { Prepared } from './prepared.js';
import type { Database, PeeringTable } from './schema.js';

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
  /** by when the customer's part must be done (connection found, request approved); null: none */
  deadlineAt: string | null;
  /** when the platform accepted the connection; null: not (yet) */
  acceptedAt: string | null;
  createdAt: string;
  updatedAt: string;
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
  deadlineAt: string | null;
  /** shown as the reason while pending (what to check while Peerlink looks) */
  hint: Refusal | null;
}

/** A write lost the race on "a connection id is held once per deployment among live peerings". */
export class ConnectionIdTaken extends Error {
  constructor(readonly providerPeeringId: string) {
    super(`connection ${providerPeeringId} is already held by another live peering`);
    this.name = 'ConnectionIdTaken';
  }
}

/** A peering as the sweep sees it. */
export interface ActiveSummary {
  id: string;
  deploymentId: string;
  status: PeeringStatus;
  providerPeeringId: string;
  nextAttemptAt: string | null;
  leaseUntil: string | null;
}

export function peeringOf(r: Omit<Selectable<PeeringTable>, 'version'>): Peering {
  return {
    id: r.id,
    orgId: r.org_id,
    deploymentId: r.deployment_id,
    provider: r.provider,
    providerPeeringId: r.provider_peering_id,
    customerAccountId: r.customer_account_id,
    customerVpcId: r.customer_vpc_id,
    customerCidrs: r.customer_cidrs,
    region: r.region,
    status: r.status,
    reason: r.reason_code ? { code: r.reason_code, params: r.reason_params ?? {} } : null,
    providerStatus: r.provider_status,
    intent: r.intent,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until,
    lastError: r.last_error,
    deadlineAt: r.deadline_at,
    acceptedAt: r.accepted_at ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The reason columns for a refusal (or none). */
export function reasonColumns(reason: Refusal | null): {
  reason_code: Refusal['code'] | null;
  reason_params: string | null;
} {
  return { reason_code: reason?.code ?? null, reason_params: reason ? JSON.stringify(reason.params) : null };
}

/** Turns the unique index's refusal into ConnectionIdTaken; anything else passes through. */
export function rethrowTaken(err: unknown, providerPeeringId: string): never {
  if (isUniqueViolation(err)) throw new ConnectionIdTaken(providerPeeringId);
  throw err;
}

// The hot reads, compiled once (src/store/prepared.ts): a peering by id, its version alone, a page of versions.
const byId = new Prepared((db, v: { orgId: string; id: string }) =>
  db.selectFrom('peerings').selectAll().where('org_id', '=', v.orgId).where('id', '=', v.id),
);
const versionById = new Prepared((db, v: { orgId: string; id: string }) =>
  db.selectFrom('peerings').select('version').where('org_id', '=', v.orgId).where('id', '=', v.id),
);
const versionsPage = new Prepared(
  (
    db,
    v: { orgId: string; deploymentId?: string; status?: PeeringStatus; at?: string; after?: string; take: number },
  ) => {
    let q = db.selectFrom('peerings').select(['id', 'created_at', 'version']).where('org_id', '=', v.orgId);
    if (v.deploymentId !== undefined) q = q.where('deployment_id', '=', v.deploymentId);
    if (v.status !== undefined) q = q.where('status', '=', v.status);
    if (v.at !== undefined && v.after !== undefined) q = q.where(afterKey(v.at, v.after));
    return q
      .orderBy(sql`created_at`)
      .orderBy(sql`id`)
      .limit(v.take);
  },
);

const siblingsOf = new Prepared((db, v: { deploymentId: string }) =>
  db
    .selectFrom('peerings')
    .select(['id', 'customer_cidrs', 'provider_peering_id', 'customer_vpc_id'])
    .where('deployment_id', '=', v.deploymentId)
    .where('status', 'in', [...liveStatuses]),
);

export class PeeringRepo {
  /** `db` may be a transaction; `engine` decides only how rows are locked (PostgreSQL locks, SQLite serializes). */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine = 'sqlite',
  ) {}

  async create(input: NewPeering, actor: string, now: Date): Promise<Peering> {
    const at = now.toISOString();
    const row = {
      id: newId('pr', now.getTime()),
      org_id: input.orgId,
      deployment_id: input.deploymentId,
      provider: input.provider,
      provider_peering_id: input.providerPeeringId,
      customer_account_id: input.customerAccountId,
      customer_vpc_id: input.customerVpcId,
      customer_cidrs: JSON.stringify(input.customerCidrs),
      region: input.region,
      status: 'pending' as const,
      ...reasonColumns(input.hint),
      provider_status: null,
      intent: null,
      attempts: 0,
      next_attempt_at: at,
      lease_owner: null,
      lease_until: null,
      last_error: null,
      deadline_at: input.deadlineAt,
      accepted_at: null,
      created_at: at,
      updated_at: at,
    };
    // only what the customer gave: an empty part (a cloud that reports the VPC only later) reads as a bug
    const gave = [
      input.customerAccountId && `account ${input.customerAccountId}`,
      input.customerVpcId && `VPC ${input.customerVpcId}`,
    ].filter(Boolean);
    const note = input.providerPeeringId
      ? `submitted ${input.providerPeeringId}${gave.length ? ` (${gave.join(', ')})` : ''}`
      : `submitted VPC ${input.customerVpcId}; looking for its connection` +
        (input.deadlineAt ? ` until ${input.deadlineAt}` : '');
    const created = peeringOf({
      ...row,
      customer_cidrs: input.customerCidrs,
      reason_params: input.hint?.params ?? null,
    });
    await atomically(this.db, async (trx) => {
      try {
        await trx.insertInto('peerings').values(row).execute();
      } catch (err) {
        rethrowTaken(err, input.providerPeeringId);
      }
      await insertEvent(trx, { id: row.id, orgId: row.org_id }, { actor, kind: 'submitted', to: 'pending', note }, now);
      await recordPeeringChange(trx, created, { from: null, to: 'pending', actor, note }, now);
    });
    return created;
  }

  async get(orgId: string, id: string): Promise<Peering | undefined> {
    return (await this.getVersioned(orgId, id))?.peering;
  }

  /** The peering with its version (counted up by every write of the row). */
  async getVersioned(orgId: string, id: string): Promise<{ peering: Peering; version: number } | undefined> {
    const r = await byId.first(this.db, { orgId, id });
    return r && { peering: peeringOf(r), version: r.version };
  }

  /** Only the version of the organization's peering (the narrow read behind a remembered presentation). */
  async versionOf(orgId: string, id: string): Promise<number | undefined> {
    return (await versionById.first(this.db, { orgId, id }))?.version;
  }

  /** The peering's history, oldest first, a page at a time. */
  events(orgId: string, id: string, opts: { limit: number; after?: string | null }): Promise<Page<PeeringEvent>> {
    return eventsOf(this.db, orgId, id, opts);
  }

  /** When the customer last asked for a look at the cloud (resyncs are coalesced). */
  lastResyncAt(id: string): Promise<string | null> {
    return lastEventAt(this.db, id, 'resync');
  }

  /** Unscoped: for the reconciler only. */
  async getById(id: string): Promise<Peering | undefined> {
    const r = await this.db.selectFrom('peerings').selectAll().where('id', '=', id).executeTakeFirst();
    return r && peeringOf(r);
  }

  async list(
    orgId: string,
    opts: { deploymentId?: string; status?: PeeringStatus; limit: number; cursor?: [string, string] | null },
  ): Promise<Page<Peering>> {
    let q = this.db.selectFrom('peerings').selectAll().where('org_id', '=', orgId);
    if (opts.deploymentId) q = q.where('deployment_id', '=', opts.deploymentId);
    if (opts.status) q = q.where('status', '=', opts.status);
    return paginate(q, opts, peeringOf);
  }

  /**
   * A page of an organization's peerings as ids and versions only (the narrow read behind a cached list), with the
   * same order and cursor as `list`.
   */
  async listVersions(
    orgId: string,
    opts: { deploymentId?: string; status?: PeeringStatus; limit: number; cursor?: [string, string] | null },
  ): Promise<Page<{ id: string; createdAt: string; version: number }>> {
    const rows = await versionsPage.run(this.db, {
      orgId,
      deploymentId: opts.deploymentId || undefined,
      status: opts.status || undefined,
      at: opts.cursor?.[0],
      after: opts.cursor?.[1],
      take: opts.limit + 1,
    });
    return pageOf(rows, opts.limit, (r) => ({ id: r.id, createdAt: r.created_at, version: r.version }));
  }

  /** These peerings of the organization, with their versions (absent ids are skipped). */
  async getMany(orgId: string, ids: string[]): Promise<Array<{ peering: Peering; version: number }>> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('peerings')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', 'in', ids)
      .execute();
    return rows.map((r) => ({ peering: peeringOf(r), version: r.version }));
  }

  /** The live peering of a deployment holding a connection id, if any (with its organization). */
  async providerIdHolder(
    provider: ProviderName,
    providerPeeringId: string,
    deploymentId: string,
  ): Promise<{ id: string; orgId: string } | undefined> {
    const r = await this.db
      .selectFrom('peerings')
      .select(['id', 'org_id'])
      .where('provider', '=', provider)
      .where('provider_peering_id', '=', providerPeeringId)
      .where('deployment_id', '=', deploymentId)
      .where('status', 'not in', ['failed', 'deleted'])
      .executeTakeFirst();
    return r && { id: r.id, orgId: r.org_id };
  }

  /**
   * Whether another organization's live peering holds this connection (on some clouds one customer network can be
   * joined by several deployments: a network one tenant peers must not be joinable by another).
   */
  async heldByAnotherOrg(provider: ProviderName, providerPeeringId: string, orgId: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('peerings')
      .select('id')
      .where('provider', '=', provider)
      .where('provider_peering_id', '=', providerPeeringId)
      .where('org_id', '<>', orgId)
      .where('status', 'in', [...liveStatuses])
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  /**
   * The live peerings of a deployment, only what the CIDR rules look at (the reconciler's every step asks): its id,
   * CIDRs and the names the customer knows it by.
   */
  async liveSiblings(
    deploymentId: string,
  ): Promise<Array<Pick<Peering, 'id' | 'customerCidrs' | 'providerPeeringId' | 'customerVpcId'>>> {
    const rows = await siblingsOf.run(this.db, { deploymentId });
    return rows.map((r) => ({
      id: r.id,
      customerCidrs: r.customer_cidrs,
      providerPeeringId: r.provider_peering_id,
      customerVpcId: r.customer_vpc_id,
    }));
  }

  /** The live peerings of a deployment (quota and CIDR overlap). */
  async liveForDeployment(deploymentId: string): Promise<Peering[]> {
    const rows = await this.db
      .selectFrom('peerings')
      .selectAll()
      .where('deployment_id', '=', deploymentId)
      .where('status', 'in', [...liveStatuses])
      .execute();
    return rows.map(peeringOf);
  }

  /**
   * Serializes writers of one deployment's peerings until the transaction ends, so the rules read before an insert
   * still hold at the insert (quota, overlap, one customer network). PostgreSQL locks the deployment row; SQLite
   * already runs one write transaction at a time.
   */
  async lockDeployment(deploymentId: string): Promise<void> {
    if (this.engine !== 'postgres') return;
    await sql`select id from deployments where id = ${deploymentId} for update`.execute(this.db);
  }

  /**
   * What the sweep needs of the peerings the reconciler still drives in these deployments — a few columns, not the
   * rows (the sweep goes through an account's deployments a page at a time).
   */
  async activeIn(deploymentIds: string[]): Promise<ActiveSummary[]> {
    if (deploymentIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('peerings')
      .select(['id', 'deployment_id', 'status', 'provider_peering_id', 'next_attempt_at', 'lease_until'])
      .where('deployment_id', 'in', deploymentIds)
      .where('status', 'in', [...activeStatuses])
      .execute();
    return rows.map((r) => ({
      id: r.id,
      deploymentId: r.deployment_id,
      status: r.status,
      providerPeeringId: r.provider_peering_id,
      nextAttemptAt: r.next_attempt_at,
      leaseUntil: r.lease_until,
    }));
  }

  /**
   * A customer's status change (delete, cancel, retry), guarded by the status it saw; false when the peering moved
   * meanwhile. `set` carries the columns the command changes along with the status.
   */
  async changeStatus(o: {
    peering: Peering;
    to: PeeringStatus;
    actor: string;
    note: string;
    now: Date;
    set?: { deadlineAt?: string | null; reason?: Refusal | null };
  }): Promise<boolean> {
    const at = o.now.toISOString();
    return atomically(this.db, async (trx) => {
      try {
        const r = await trx
          .updateTable('peerings')
          .set({
            status: o.to,
            attempts: 0,
            last_error: null,
            next_attempt_at: at,
            updated_at: at,
            ...(o.set?.deadlineAt !== undefined ? { deadline_at: o.set.deadlineAt } : {}),
            ...(o.set?.reason !== undefined ? reasonColumns(o.set.reason) : {}),
          })
          .where('id', '=', o.peering.id)
          .where('status', '=', o.peering.status)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return false;
      } catch (err) {
        rethrowTaken(err, o.peering.providerPeeringId);
      }
      const event = { actor: o.actor, kind: 'transition', from: o.peering.status, to: o.to, note: o.note };
      await insertEvent(trx, o.peering, event, o.now);
      const after = {
        ...o.peering,
        status: o.to,
        ...(o.set?.deadlineAt !== undefined ? { deadlineAt: o.set.deadlineAt } : {}),
        ...(o.set?.reason !== undefined ? { reason: o.set.reason } : {}),
      };
      await recordPeeringChange(trx, after, event, o.now);
      return true;
    });
  }

  /** New customer CIDRs (typed ones corrected), guarded by the status seen; the reconciler makes the routes follow. */
  async changeCidrs(o: { peering: Peering; cidrs: string[]; actor: string; now: Date }): Promise<boolean> {
    const at = o.now.toISOString();
    return atomically(this.db, async (trx) => {
      const r = await trx
        .updateTable('peerings')
        .set({ customer_cidrs: JSON.stringify(o.cidrs), next_attempt_at: at, attempts: 0, updated_at: at })
        .where('id', '=', o.peering.id)
        .where('status', '=', o.peering.status)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      const note = `customer CIDRs ${o.peering.customerCidrs.join(', ') || '(none)'} -> ${o.cidrs.join(', ')}`;
      await insertEvent(trx, o.peering, { actor: o.actor, kind: 'cidrs-changed', note }, o.now);
      return true;
    });
  }

  /** The next attempt becomes due now (backoff reset); the history records who asked. */
  async scheduleNow(o: { peering: Peering; actor: string; note: string; now: Date }): Promise<void> {
    const at = o.now.toISOString();
    await atomically(this.db, async (trx) => {
      await trx
        .updateTable('peerings')
        .set({ next_attempt_at: at, attempts: 0, updated_at: at })
        .where('id', '=', o.peering.id)
        .execute();
      await insertEvent(trx, o.peering, { actor: o.actor, kind: 'resync', note: o.note }, o.now);
    });
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
