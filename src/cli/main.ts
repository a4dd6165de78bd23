/** The `peerlink` command: serve, demo, sim, migrate, and client commands for peerings and resources. */
import { Command } from 'commander';
import { loadConfig, ConfigError, secretsOf } from '../config.js';
import { createPeerlink } from '../runtime.js';
import { openStore } from '../store/db.js';
import { reposOf } from '../store/repos.js';

// Whatever this process writes (the embedded database, its WAL, key files, demo.env) is its owner's only.
process.umask(0o077);
import { runDemo } from './demo.js';
import { simCommand } from './sim.js';
import { clientCommands } from './client.js';

const program = new Command('peerlink').description('VPC-peering control plane').showHelpAfterError();

program
  .command('serve')
  .description('run the API and the reconciler (configuration from PEERLINK_* environment variables)')
  .action(async () => {
    const config = loadConfig();
    if (!config.operatorToken)
      console.log('No PEERLINK_OPERATOR_TOKEN set: the operator routes (/v1/admin/…) refuse every request.');
    const peerlink = await createPeerlink(config);
    const url = await peerlink.listen();
    console.log(`Peerlink listening on ${url} (API docs: ${url}/docs, database: ${config.database})`);
    const stop = async () => {
      await peerlink.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });

program
  .command('migrate')
  .description('apply database migrations and exit')
  .action(async () => {
    const config = loadConfig();
    const store = await openStore(config.database);
    await store.close();
    console.log(`database ${config.database} is at the latest schema`);
  });

program
  .command('secrets')
  .description('platform secrets at rest')
  .command('rotate')
  .description(
    're-wrap every stored secret with the first key of PEERLINK_SECRET_KEYS (and encrypt any stored plain); ' +
      'afterwards the older keys can be removed',
  )
  .action(async () => {
    const config = loadConfig();
    const store = await openStore(config.database, { secrets: secretsOf(config) });
    const done = await reposOf(store).platform.sealAll();
    await store.close();
    console.log(`${done.rewrapped} re-wrapped, ${done.encrypted} encrypted; all under key ${store.secrets?.activeKid}`);
  });

program
  .command('demo')
  .description('fresh embedded database + cloud simulator + demo data, then serve')
  .option('--port <port>', 'API port', '8080')
  .option('--sim-port <port>', 'simulator port', '4566')
  .option('--data <dir>', 'where the demo database and demo.env go', 'data')
  .action(async (o: { port: string; simPort: string; data: string }) =>
    runDemo({ port: Number(o.port), simPort: Number(o.simPort), dataDir: o.data }),
  );

// The simulator's commands load every cloud's simulation (and SDK): only when asked for.
if (process.argv[2] === 'sim') program.addCommand(await simCommand());
else
  program.command('sim').description('the cloud simulator, and customer-side helpers against it (peerlink sim --help)');
for (const c of clientCommands()) program.addCommand(c);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
