/** What the operator registers: platform cloud accounts per provider and region, and the deployments. */
import type { Kysely, Selectable } from 'kysely';
import type { ProviderName } from '../clouds/registry.js';
import { newId } from './ids.js';
import { Prepared } from './prepared.js';
import { isEnvelope, SecretKeyError, type Envelope, type SecretBox } from './secrets.js';
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
  /** where the customer's clients connect over a running peering (`host:port`), when the platform registered it */
  privateEndpoint: string | null;
  createdAt: string;
}

/** A deployment with the platform account it runs under. */
export interface DeploymentWithAccount extends Deployment {
  account: PlatformAccountWithCredentials;
}

/** A stored credentials value: encrypted (an envelope) or, from before encryption, plain. */
function isCredentials(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'string');
}

/** `open` runs on first use of `credentials` only: reads (a peering's page) never decrypt. */
function account(
  r: Omit<Selectable<PlatformAccountTable>, 'credentials'>,
  open: () => Record<string, string>,
): PlatformAccountWithCredentials {
  let credentials: Record<string, string> | undefined;
  return {
    id: r.id,
    provider: r.provider,
    region: r.region,
    accountId: r.account_id,
    endpoint: r.endpoint,
    get credentials() {
      return (credentials ??= open());
    },
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
    privateEndpoint: r.private_endpoint,
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

/**
 * A deployment and its platform account in one statement (the foreign key keeps the account), as its org sees it
 * (`orgId` absent: the operator's and reconciler's view). Every step reads it: compiled once (prepared.ts).
 */
const deploymentWithAccount = new Prepared((db, v: { id: string; orgId?: string }) => {
  const q = db
    .selectFrom('deployments as d')
    .innerJoin('platform_accounts as a', 'a.id', 'd.platform_account_id')
    .selectAll('d')
    .select([
      'a.provider as a_provider',
      'a.region as a_region',
      'a.account_id as a_account_id',
      'a.endpoint as a_endpoint',
      'a.credentials', // by its own name: the JSON columns are parsed by name
      'a.created_at as a_created_at',
    ])
    .where('d.id', '=', v.id);
  return v.orgId === undefined ? q : q.where('d.org_id', '=', v.orgId);
});

export class PlatformRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: SecretBox | null = null,
  ) {}

  /** The credentials as stored: encrypted with the process's keys. */
  private seal(credentials: Record<string, string>): string {
    if (!this.secrets)
      throw new SecretKeyError(
        'no secret key is configured (PEERLINK_SECRET_KEYS): platform credentials cannot be stored',
      );
    return JSON.stringify(this.secrets.encrypt(credentials));
  }

  private open(stored: Envelope | Record<string, string>): Record<string, string> {
    if (!isEnvelope(stored)) return stored;
    if (!this.secrets) throw new SecretKeyError('no secret key is configured (PEERLINK_SECRET_KEYS)');
    const value = this.secrets.decrypt(stored);
    if (!isCredentials(value)) throw new SecretKeyError('stored credentials did not decrypt to credentials');
    return value;
  }

  /**
   * Encrypts what is still stored plain (from before encryption) and re-wraps what an older key wraps, so the old key
   * can be retired; how many rows changed.
   */
  async sealAll(): Promise<{ encrypted: number; rewrapped: number }> {
    const secrets = this.secrets;
    if (!secrets) return { encrypted: 0, rewrapped: 0 };
    const rows = await this.db.selectFrom('platform_accounts').select(['id', 'credentials']).execute();
    let encrypted = 0;
    let rewrapped = 0;
    for (const r of rows) {
      let next: string | null = null;
      if (!isEnvelope(r.credentials)) {
        next = JSON.stringify(secrets.encrypt(r.credentials));
        encrypted++;
      } else if (r.credentials.kid !== secrets.activeKid) {
        next = JSON.stringify(secrets.rewrap(r.credentials));
        rewrapped++;
      }
      if (next)
        await this.db.updateTable('platform_accounts').set({ credentials: next }).where('id', '=', r.id).execute();
    }
    return { encrypted, rewrapped };
  }

  async addAccount(input: NewPlatformAccount, now: Date): Promise<PlatformAccount> {
    const row = {
      id: newId('pa', now.getTime()),
      provider: input.provider,
      region: input.region,
      account_id: input.accountId,
      endpoint: input.endpoint ?? null,
      credentials: this.seal(input.credentials),
      created_at: now.toISOString(),
    };
    await this.db.insertInto('platform_accounts').values(row).execute();
    return publicAccount(account(row, () => input.credentials));
  }

  async listAccounts(): Promise<PlatformAccount[]> {
    const rows = await this.db.selectFrom('platform_accounts').selectAll().orderBy('created_at').execute();
    return rows.map((r) => publicAccount(account(r, () => ({}))));
  }

  async getAccount(id: string): Promise<PlatformAccountWithCredentials | undefined> {
    const r = await this.db.selectFrom('platform_accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return r && account(r, () => this.open(r.credentials));
  }

  /** A page of one platform account's deployments (id and network), in id order after `after`. */
  async deploymentsOfAccount(
    accountId: string,
    after: string | null,
    limit: number,
  ): Promise<Array<{ id: string; vpcId: string }>> {
    let q = this.db
      .selectFrom('deployments')
      .select(['id', 'vpc_id'])
      .where('platform_account_id', '=', accountId)
      .orderBy('id')
      .limit(limit);
    if (after !== null) q = q.where('id', '>', after);
    return (await q.execute()).map((r) => ({ id: r.id, vpcId: r.vpc_id }));
  }

  async addDeployment(
    input: Omit<Deployment, 'id' | 'createdAt' | 'privateEndpoint'> & { id?: string; privateEndpoint?: string | null },
    now: Date,
  ): Promise<Deployment> {
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
      private_endpoint: input.privateEndpoint ?? null,
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
    const r = await deploymentWithAccount.first(this.db, { id, orgId: orgId ?? undefined });
    if (!r) return undefined;
    const a = {
      id: r.platform_account_id,
      provider: r.a_provider,
      region: r.a_region,
      account_id: r.a_account_id,
      endpoint: r.a_endpoint,
      created_at: r.a_created_at,
    };
    return { ...deployment(r), account: account(a, () => this.open(r.credentials)) };
  }
}
