/** What the operator registers: platform cloud accounts per provider and region, and the deployments. */
import type { Kysely, Selectable } from 'kysely';
import type { ProviderName } from '../clouds/registry.js';
import { newId } from './ids.js';
import type { Database, DeploymentTable, PlatformAccountTable } from './schema.js';

export interface PlatformAccount {
  id: string;
  provider: ProviderName;
  region: string;
  accountId: string;
  endpoint: string | null;
  createdAt: string;
}

/** An account with its credentials: for the adapters only, never for a response. */
export interface PlatformAccountWithCredentials extends PlatformAccount {
  credentials: Record<string, string>;
}

export interface Deployment {
  id: string;
  orgId: string;
  name: string;
  plan: string;
  provider: ProviderName;
  region: string;
  vpcId: string;
  vpcCidr: string;
  platformAccountId: string;
  routeTableIds: string[];
  createdAt: string;
}

/** A deployment with the platform account it runs under. */
export interface DeploymentWithAccount extends Deployment {
  account: PlatformAccountWithCredentials;
}

function account(r: Selectable<PlatformAccountTable>): PlatformAccountWithCredentials {
  return {
    id: r.id,
    provider: r.provider,
    region: r.region,
    accountId: r.account_id,
    endpoint: r.endpoint,
    credentials: r.credentials,
    createdAt: r.created_at,
  };
}

/** The account as a response may show it (without credentials). */
export function publicAccount(a: PlatformAccountWithCredentials): PlatformAccount {
  return {
    id: a.id,
    provider: a.provider,
    region: a.region,
    accountId: a.accountId,
    endpoint: a.endpoint,
    createdAt: a.createdAt,
  };
}

function deployment(r: Selectable<DeploymentTable>): Deployment {
  return {
    id: r.id,
    orgId: r.org_id,
    name: r.name,
    plan: r.plan,
    provider: r.provider,
    region: r.region,
    vpcId: r.vpc_id,
    vpcCidr: r.vpc_cidr,
    platformAccountId: r.platform_account_id,
    routeTableIds: r.route_table_ids,
    createdAt: r.created_at,
  };
}

export interface NewPlatformAccount {
  provider: ProviderName;
  region: string;
  accountId: string;
  endpoint?: string | null;
  credentials: Record<string, string>;
}

export class PlatformRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async addAccount(input: NewPlatformAccount, now: Date): Promise<PlatformAccount> {
    const row = {
      id: newId('pa', now.getTime()),
      provider: input.provider,
      region: input.region,
      account_id: input.accountId,
      endpoint: input.endpoint ?? null,
      credentials: JSON.stringify(input.credentials),
      created_at: now.toISOString(),
    };
    await this.db.insertInto('platform_accounts').values(row).execute();
    return publicAccount(account({ ...row, credentials: input.credentials }));
  }

  async listAccounts(): Promise<PlatformAccount[]> {
    const rows = await this.db.selectFrom('platform_accounts').selectAll().orderBy('created_at').execute();
    return rows.map((r) => publicAccount(account(r)));
  }

  async getAccount(id: string): Promise<PlatformAccountWithCredentials | undefined> {
    const r = await this.db.selectFrom('platform_accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return r && account(r);
  }

  /** Which clouds have a platform account (the runtime loads only their SDKs). */
  async providersInUse(): Promise<ProviderName[]> {
    const rows = await this.db.selectFrom('platform_accounts').select('provider').distinct().execute();
    return rows.map((r) => r.provider);
  }

  async addDeployment(input: Omit<Deployment, 'id' | 'createdAt'> & { id?: string }, now: Date): Promise<Deployment> {
    const row = {
      id: input.id ?? newId('dep', now.getTime()),
      org_id: input.orgId,
      name: input.name,
      plan: input.plan,
      provider: input.provider,
      region: input.region,
      vpc_id: input.vpcId,
      vpc_cidr: input.vpcCidr,
      platform_account_id: input.platformAccountId,
      route_table_ids: JSON.stringify(input.routeTableIds),
      created_at: now.toISOString(),
    };
    await this.db.insertInto('deployments').values(row).execute();
    return deployment({ ...row, route_table_ids: input.routeTableIds });
  }

  async listDeployments(orgId?: string): Promise<Deployment[]> {
    let q = this.db.selectFrom('deployments').selectAll();
    if (orgId) q = q.where('org_id', '=', orgId);
    return (await q.orderBy('created_at').orderBy('id').execute()).map(deployment);
  }

  /**
   * A deployment as its org sees it (undefined for another org's). `orgId` null: the operator's and reconciler's view.
   */
  async getDeployment(orgId: string | null, id: string): Promise<DeploymentWithAccount | undefined> {
    let q = this.db.selectFrom('deployments').selectAll().where('id', '=', id);
    if (orgId !== null) q = q.where('org_id', '=', orgId);
    const d = await q.executeTakeFirst();
    if (!d) return undefined;
    const a = await this.getAccount(d.platform_account_id);
    if (!a) throw new Error(`deployment ${d.id} names platform account ${d.platform_account_id}, which is gone`);
    return { ...deployment(d), account: a };
  }
}
