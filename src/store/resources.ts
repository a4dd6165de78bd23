/** Data-integration resources bound to the running peering whose customer CIDR contains their address. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, ResourceTable } from './schema.js';
import { RefusalError } from '../core/errors.js';
import { bindResourceAddress, isRefusal } from '../core/rules.js';
import { newId } from './ids.js';
import { paginate, type Page } from './pagination.js';

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

export class ResourceRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Binds and inserts in one transaction, so a peering cannot start deleting between the check and the insert. */
  async create(orgId: string, deploymentId: string, name: string, address: string, now: Date): Promise<Resource> {
    return this.db.transaction().execute(async (trx) => {
      const running = await trx
        .selectFrom('peerings')
        .select(['id', 'customer_cidrs'])
        .where('org_id', '=', orgId)
        .where('deployment_id', '=', deploymentId)
        .where('status', '=', 'running')
        .execute();
      const bound = bindResourceAddress(
        deploymentId,
        address,
        running.map((p) => ({ id: p.id, cidrs: JSON.parse(p.customer_cidrs) as string[] })),
      );
      if (isRefusal(bound)) throw new RefusalError(bound);
      const row = {
        id: newId('res', now.getTime()),
        org_id: orgId,
        deployment_id: deploymentId,
        peering_id: bound.peeringId,
        name,
        address: bound.address,
        created_at: now.toISOString(),
      };
      await trx.insertInto('resources').values(row).execute();
      return resource(row);
    });
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

  async delete(orgId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('resources').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
