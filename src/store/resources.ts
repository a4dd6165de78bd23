/** Data-integration resources and the running peering each is bound to (the binding rule is the service's). */
import type { Kysely, Selectable } from 'kysely';
import { atomically } from './db.js';
import { newId } from './ids.js';
import { insertOutboxEvent } from './outbox.js';
import { paginate, type Page } from './pagination.js';
import type { Database, ResourceTable } from './schema.js';

export interface Resource {
  id: string;
  orgId: string;
  deploymentId: string;
  peeringId: string;
  name: string;
  address: string;
  createdAt: string;
}

function resource(r: Selectable<ResourceTable>): Resource {
  return {
    id: r.id,
    orgId: r.org_id,
    deploymentId: r.deployment_id,
    peeringId: r.peering_id,
    name: r.name,
    address: r.address,
    createdAt: r.created_at,
  };
}

/** A resource's events belong to its peering (delivered in order with the peering's). */
function scopeOf(r: { org_id: string; deployment_id: string; peering_id: string }) {
  return { orgId: r.org_id, deploymentId: r.deployment_id, peeringId: r.peering_id };
}

export class ResourceRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(
    input: { orgId: string; deploymentId: string; peeringId: string; name: string; address: string },
    now: Date,
  ): Promise<Resource> {
    const row = {
      id: newId('res', now.getTime()),
      org_id: input.orgId,
      deployment_id: input.deploymentId,
      peering_id: input.peeringId,
      name: input.name,
      address: input.address,
      created_at: now.toISOString(),
    };
    await atomically(this.db, async (trx) => {
      await trx.insertInto('resources').values(row).execute();
      await insertOutboxEvent(trx, scopeOf(row), { type: 'resource.bound', data: { resource: resource(row) } }, now);
    });
    return resource(row);
  }

  async get(orgId: string, id: string): Promise<Resource | undefined> {
    const r = await this.db
      .selectFrom('resources')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return r && resource(r);
  }

  async list(
    orgId: string,
    opts: { deploymentId?: string; peeringId?: string; limit: number; cursor?: [string, string] | null },
  ): Promise<Page<Resource>> {
    let q = this.db.selectFrom('resources').selectAll().where('org_id', '=', orgId);
    if (opts.deploymentId) q = q.where('deployment_id', '=', opts.deploymentId);
    if (opts.peeringId) q = q.where('peering_id', '=', opts.peeringId);
    return paginate(q, opts, resource);
  }

  /** Every resource bound to a peering (a delete or a CIDR change must account for each). */
  async boundTo(peeringId: string): Promise<Resource[]> {
    const rows = await this.db.selectFrom('resources').selectAll().where('peering_id', '=', peeringId).execute();
    return rows.map(resource);
  }

  async delete(orgId: string, id: string, now: Date): Promise<boolean> {
    return atomically(this.db, async (trx) => {
      const r = await trx
        .deleteFrom('resources')
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!r) return false;
      await insertOutboxEvent(trx, scopeOf(r), { type: 'resource.unbound', data: { resource: resource(r) } }, now);
      return true;
    });
  }
}
