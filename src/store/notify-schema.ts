/** The notification tables (issue 16, migration 0008) as Kysely sees them; `Database` in schema.ts lists them. */
import type { Json } from './schema.js';

/** The outbox (issue 16): one row per customer- or operator-facing event, written with the change that causes it. */
export interface EventTable {
  id: string;
  /** null: an operator-only event not about one organization */
  org_id: string | null;
  audience: 'org' | 'operator';
  type: string;
  deployment_id: string | null;
  peering_id: string | null;
  at: string;
  data: Json<Record<string, unknown>>;
}

/** A deadline's warning, due before the deadline; fired only if the peering still waits on it. */
export interface EventScheduleTable {
  id: string;
  org_id: string;
  peering_id: string;
  type: string;
  due_at: string;
  deadline_at: string;
  lease_owner: string | null;
  lease_until: string | null;
}

export interface WebhookTable {
  id: string;
  org_id: string;
  url: string;
  description: string;
  /** the event types it receives; empty: all */
  event_types: Json<string[]>;
  /** the signing secret, encrypted (a SecretBox envelope as JSON text) */
  secret: string;
  enabled: number;
  disabled_reason: string | null;
  /** since when every delivery has failed; null while the endpoint answers */
  failing_since: string | null;
  created_at: string;
  updated_at: string;
}

export interface NotificationContactTable {
  id: string;
  org_id: string;
  email: string;
  locale: string;
  created_at: string;
}

/** One event to one destination (a webhook, a contact): claimed with a lease, retried, in order per peering. */
export interface DeliveryTable {
  id: string;
  event_id: string;
  org_id: string | null;
  channel: 'webhook' | 'email';
  target_id: string;
  /** deliveries with the same target and key go out in event order (the peering; else the event itself) */
  order_key: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface DeliveryAttemptTable {
  id: string;
  delivery_id: string;
  target_id: string;
  at: string;
  status_code: number | null;
  latency_ms: number;
  response_excerpt: string;
  error: string | null;
}
