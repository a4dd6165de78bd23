/**
 * Schema migrations, one file each, written with Kysely's schema builder so they run on SQLite and PostgreSQL alike.
 * A migration is never edited once released; a change is a new file listed here.
 */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from '../schema.js';
import { migration as initial } from './0001_initial.js';
import { migration as locateAndDeadline } from './0002_locate_and_deadline.js';
import { migration as providerIdPerDeployment } from './0003_provider_id_per_deployment.js';
import { migration as platformCredentials } from './0004_platform_credentials.js';
import { migration as trust } from './0005_trust.js';
import { migration as versionsAndSweep } from './0006_performance.js';
import { migration as acceptedAt } from './0007_accepted_at.js';
import { migration as notifications } from './0008_notifications.js';
import { migration as privateEndpoint } from './0009_private_endpoint.js';
import { migration as connectionLookup } from './0010_connection_lookup.js';

const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_locate_and_deadline': locateAndDeadline,
  '0003_provider_id_per_deployment': providerIdPerDeployment,
  '0004_platform_credentials': platformCredentials,
  '0005_trust': trust,
  '0006_performance': versionsAndSweep,
  '0007_accepted_at': acceptedAt,
  '0008_notifications': notifications,
  '0009_private_endpoint': privateEndpoint,
  '0010_connection_lookup': connectionLookup,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const all = await new Migrator({ db, provider }).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}

export async function migrate(db: Kysely<Database>): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
