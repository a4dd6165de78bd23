/**
 * The database as Kysely sees it, with the column types the code means: status and provider unions, JSON columns as
 * the values they hold (stored as text, parsed by `jsonColumns` below). Times are ISO-8601 UTC strings: sortable, and
 * identical in SQLite and PostgreSQL.
 */
import {
  AliasNode,
  ColumnNode,
  ColumnUpdateNode,
  sql,
  TableNode,
  UpdateQueryNode,
  type ColumnType,
  type Generated,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { ErrorCode, RefusalParams } from '../core/errors.js';
import type { PeeringStatus } from '../core/status.js';
import type { ProviderName } from '../clouds/registry.js';
import type { Envelope } from './secrets.js';
import type {
  DeliveryAttemptTable,
  DeliveryTable,
  EventScheduleTable,
  EventTable,
  NotificationContactTable,
  WebhookTable,
} from './notify-schema.js';

/** Read as T; written as JSON text. */
export type Json<T> = ColumnType<T, string, string>;

export type Role = 'admin' | 'viewer';

export interface OrgTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ApiKeyTable {
  id: string;
  org_id: string;
  name: string;
  role: Role;
  secret_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  expires_at: string | null;
}

export interface AuditTable {
  id: string;
  at: string;
  org_id: string | null;
  /** `key:<id>`, `operator`, or `anonymous` */
  actor: string;
  role: string | null;
  /** the method and the route's pattern, e.g. `DELETE /v1/peerings/:id` */
  action: string;
  /** the object acted on (the route's id, or the deployment a create names) */
  target: string | null;
  /** the HTTP status answered */
  outcome: number;
  /** the refusal's code, when refused */
  code: string | null;
  ip: string;
  request_id: string;
}

export interface RateLimitTable {
  key: string;
  /** the window's start, ms since the epoch */
  window_start: ColumnType<number, number, number>;
  hits: number;
}

export interface PlatformAccountTable {
  id: string;
  provider: ProviderName;
  region: string;
  account_id: string;
  endpoint: string | null;
  /** the cloud's own credential fields (its descriptor's schema), encrypted (src/store/secrets.ts) */
  credentials: Json<Envelope | Record<string, string>>;
  created_at: string;
}

export interface DeploymentTable {
  id: string;
  org_id: string;
  name: string;
  plan: string;
  provider: ProviderName;
  region: string;
  vpc_id: string;
  vpc_cidr: string;
  platform_account_id: string;
  route_table_ids: Json<string[]>;
  /** where the customer's clients connect over a running peering (host:port); null: not registered */
  private_endpoint: string | null;
  created_at: string;
}

export interface PeeringTable {
  id: string;
  org_id: string;
  deployment_id: string;
  provider: ProviderName;
  provider_peering_id: string;
  customer_account_id: string;
  customer_vpc_id: string;
  customer_cidrs: Json<string[]>;
  region: string;
  status: PeeringStatus;
  reason_code: ErrorCode | null;
  reason_params: Json<RefusalParams> | null;
  provider_status: string | null;
  /** the side effect about to be attempted; set before the call, cleared after (crash recovery re-observes) */
  intent: string | null;
  attempts: number;
  next_attempt_at: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  /** by when the customer's part must be done (connection found, request approved); null: none */
  deadline_at: string | null;
  /** when the platform accepted the connection (an accept some clouds apply asynchronously is not repeated) */
  accepted_at: string | null;
  created_at: string;
  updated_at: string;
  /** counted up by every UPDATE of the row (`peeringVersions`), never set by hand */
  version: Generated<number>;
}

export interface PeeringEventTable {
  id: string;
  peering_id: string;
  org_id: string;
  at: string;
  actor: string;
  kind: string;
  from_status: PeeringStatus | null;
  to_status: PeeringStatus | null;
  code: ErrorCode | null;
  params: Json<RefusalParams> | null;
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
  audit_log: AuditTable;
  rate_limits: RateLimitTable;
  events: EventTable;
  event_schedule: EventScheduleTable;
  webhooks: WebhookTable;
  notification_contacts: NotificationContactTable;
  deliveries: DeliveryTable;
  delivery_attempts: DeliveryAttemptTable;
}

/** The columns that hold JSON text; their names are unique across the schema, so results are parsed by name. */
const jsonColumnNames: ReadonlySet<string> = new Set([
  'credentials',
  'route_table_ids',
  'customer_cidrs',
  'reason_params',
  'params',
  'data',
  'event_types',
]);

/** Parses the JSON columns of every result row, so the store reads them as the values the schema declares. */
export const jsonColumns: KyselyPlugin = {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  },
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    for (const row of args.result.rows) {
      for (const name of jsonColumnNames) {
        const value = row[name];
        if (typeof value === 'string') row[name] = JSON.parse(value);
      }
    }
    return Promise.resolve(args.result);
  },
};

function names(table: OperationNode | undefined, name: string): boolean {
  if (!table) return false;
  if (AliasNode.is(table)) return names(table.node, name);
  return TableNode.is(table) && table.table.identifier.name === name;
}

/**
 * Every UPDATE of `peerings`, whichever repository issues it, also sets `version = version + 1`: whoever remembers a
 * peering's presentation (the API's list) knows it is current when its version is the stored one. Done here rather
 * than at each call site so that no update — today's or a later one — can forget it.
 */
export const peeringVersions: KyselyPlugin = {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node;
    if (!UpdateQueryNode.is(node) || !names(node.table, 'peerings')) return node;
    const bump = ColumnUpdateNode.create(ColumnNode.create('version'), sql`version + 1`.toOperationNode());
    return UpdateQueryNode.cloneWithUpdates(node, [bump]);
  },
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  },
};
