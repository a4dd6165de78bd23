/**
 * Where the customer's clients connect over a peering once it runs (issue 15): the deployment's private endpoint, as
 * the provisioning system registers it (an address inside the deployment's CIDR, or a private DNS name, with a port).
 * And what the notification purge (issue 16) looks up: deliveries by event, events and attempts by age.
 */
import type { Kysely, Migration } from 'kysely';

export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('deployments').addColumn('private_endpoint', 'text').execute();
    await db.schema.createIndex('deliveries_event').on('deliveries').columns(['event_id']).execute();
    await db.schema.createIndex('events_at').on('events').columns(['at']).execute();
    await db.schema.createIndex('delivery_attempts_at').on('delivery_attempts').columns(['at']).execute();
  },
};
