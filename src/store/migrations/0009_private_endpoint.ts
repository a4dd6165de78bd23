/**
 * Where the customer's clients connect over a peering once it runs (issue 15): the deployment's private endpoint, as
 * the provisioning system registers it (an address inside the deployment's CIDR, or a private DNS name, with a port).
 */
import type { Kysely, Migration } from 'kysely';

export const migration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('deployments').addColumn('private_endpoint', 'text').execute();
  },
};
