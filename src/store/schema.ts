/** The database as Kysely sees it. Times are ISO-8601 UTC strings (sortable, identical in SQLite and PostgreSQL). */
export interface OrgTable {
  id: string;
  name: string;
  created_at: string;
}
export interface ApiKeyTable {
  id: string;
  org_id: string;
  name: string;
  role: string;
  secret_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
export interface PlatformAccountTable {
  id: string;
  provider: string;
  region: string;
  account_id: string;
  endpoint: string | null;
  access_key_id: string;
  secret_access_key: string;
  created_at: string;
}
export interface DeploymentTable {
  id: string;
  org_id: string;
  name: string;
  plan: string;
  provider: string;
  region: string;
  vpc_id: string;
  vpc_cidr: string;
  platform_account_id: string;
  route_table_ids: string;
  created_at: string;
}
export interface PeeringTable {
  id: string;
  org_id: string;
  deployment_id: string;
  provider: string;
  provider_peering_id: string;
  customer_account_id: string;
  customer_vpc_id: string;
  customer_cidrs: string;
  region: string;
  status: string;
  reason_code: string | null;
  reason_params: string | null;
  provider_status: string | null;
  /** the side effect about to be attempted; set before the call, cleared after (crash recovery re-observes) */
  intent: string | null;
  attempts: number;
  next_attempt_at: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  /** see Peering.deadlineAt */
  deadline_at: string | null;
  created_at: string;
  updated_at: string;
}
export interface PeeringEventTable {
  id: string;
  peering_id: string;
  org_id: string;
  at: string;
  actor: string;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  code: string | null;
  params: string | null;
  note: string;
}
export interface ResourceTable {
  id: string;
  org_id: string;
  deployment_id: string;
  peering_id: string;
  name: string;
  address: string;
  created_at: string;
}
export interface IdempotencyTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response: string | null;
  created_at: string;
}

export interface Database {
  orgs: OrgTable;
  api_keys: ApiKeyTable;
  platform_accounts: PlatformAccountTable;
  deployments: DeploymentTable;
  peerings: PeeringTable;
  peering_events: PeeringEventTable;
  resources: ResourceTable;
  idempotency_keys: IdempotencyTable;
}
