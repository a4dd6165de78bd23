/** What the operator registers: platform cloud accounts per provider and region, and the deployments. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, DeploymentTable, PlatformAccountTable } from './schema.js';
import type { PlatformTarget, ProviderName } from '../clouds/provider.js';
import { newId } from './ids.js';

export interface PlatformAccount {
  id: string;
  provider: ProviderName;
  region: string;
  accountId: string;
  endpoint: string | null;
  accessKeyId: string;
  createdAt: string;
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
  account: PlatformAccount;
  target: PlatformTarget;
}

function account(r: Selectable<PlatformAccountTable>): PlatformAccount {
  return {
    id: r.id,
    provider: r.provider as ProviderName,
    region: r.region,
    accountId: r.account_id,
    endpoint: r.endpoint,
    accessKeyId: r.access_key_id,
    createdAt: r.created_at,
  };
}

export function targetOf(r: Selectable<PlatformAccountTable>): PlatformTarget {
  return {
    provider: r.provider as ProviderName,
    region: r.region,
    accountId: r.account_id,
    endpoint: r.endpoint ?? undefined,
    credentials: { accessKeyId: r.access_key_id, secretAccessKey: r.secret_access_key },
  };
}

function deployment(r: Selectable<DeploymentTable>): Deployment {
  return {
    id: r.id,
    orgId: r.org_id,
    name: r.name,
    plan: r.plan,
    provider: r.provider as ProviderName,
    region: r.region,
    vpcId: r.vpc_id,
    vpcCidr: r.vpc_cidr,
    platformAccountId: r.platform_account_id,
    routeTableIds: JSON.parse(r.route_table_ids) as string[],
    createdAt: r.created_at,
  };
}

export class PlatformRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async addAccount(
    input: {
      provider: ProviderName;
      region: string;
      accountId: string;
      endpoint?: string | null;
      accessKeyId: string;
      secretAccessKey: string;
    },
    now: Date,
  ): Promise<PlatformAccount> {
    const row = {
      id: newId('pa', now.getTime()),
      provider: input.provider,
      region: input.region,
      account_id: input.accountId,
      endpoint: input.endpoint ?? null,
      access_key_id: input.accessKeyId,
      secret_access_key: input.secretAccessKey,
      created_at: now.toISOString(),
    };
    await this.db.insertInto('platform_accounts').values(row).execute();
    return account(row);
  }

  async listAccounts(): Promise<PlatformAccount[]> {
    return (await this.db.selectFrom('platform_accounts').selectAll().orderBy('created_at').execute()).map(account);
  }

  async getAccount(id: string): Promise<PlatformAccount | undefined> {
    const r = await this.db.selectFrom('platform_accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return r && account(r);
  }

  async getTarget(id: string): Promise<PlatformTarget | undefined> {
    const r = await this.db.selectFrom('platform_accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return r && targetOf(r);
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
    return deployment(row);
  }

  async listDeployments(orgId?: string): Promise<Deployment[]> {
    let q = this.db.selectFrom('deployments').selectAll();
    if (orgId) q = q.where('org_id', '=', orgId);
    return (await q.orderBy('created_at').orderBy('id').execute()).map(deployment);
  }

  /** A deployment as its org sees it (undefined for another org's). `orgId` null: operator view. */
  async getDeployment(orgId: string | null, id: string): Promise<DeploymentWithAccount | undefined> {
    let q = this.db
      .selectFrom('deployments')
      .innerJoin('platform_accounts as pa', 'pa.id', 'deployments.platform_account_id')
      .selectAll('deployments')
      .select([
        'pa.id as pa_id',
        'pa.provider as pa_provider',
        'pa.region as pa_region',
        'pa.account_id as pa_account_id',
        'pa.endpoint as pa_endpoint',
        'pa.access_key_id as pa_access_key_id',
        'pa.secret_access_key as pa_secret_access_key',
        'pa.created_at as pa_created_at',
      ])
      .where('deployments.id', '=', id);
    if (orgId !== null) q = q.where('deployments.org_id', '=', orgId);
    const r = await q.executeTakeFirst();
    if (!r) return undefined;
    const pa = {
      id: r.pa_id,
      provider: r.pa_provider,
      region: r.pa_region,
      account_id: r.pa_account_id,
      endpoint: r.pa_endpoint,
      access_key_id: r.pa_access_key_id,
      secret_access_key: r.pa_secret_access_key,
      created_at: r.pa_created_at,
    };
    return { ...deployment(r), account: account(pa), target: targetOf(pa) };
  }
}
