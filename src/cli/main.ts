/**
 * The `peerlink` command: serve, demo, sim, migrate, secrets, and client commands for peerings and resources. Each
 * command loads what it needs when it runs — `peerlink --help` and the client commands load no server, database driver
 * or cloud SDK.
 */
import { Command } from 'commander';
import { clientCommands } from './client.js';

// Whatever this process writes (the embedded database, its WAL, key files, demo.env) is its owner's only.
process.umask(0o077);

const program = new Command('peerlink').description('VPC-peering control plane').showHelpAfterError();

program
  .command('serve')
  .description('run the API and the reconciler (configuration from PEERLINK_* environment variables)')
  .action(async () => {
    const { loadConfig } = await import('../config.js');
    const { createPeerlink } = await import('../runtime.js');
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
    const { loadConfig, secretsOf } = await import('../config.js');
    const { openStore } = await import('../store/db.js');
    const config = loadConfig();
    const store = await openStore(config.database, { secrets: secretsOf(config) });
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
    const { loadConfig, secretsOf } = await import('../config.js');
    const { openStore } = await import('../store/db.js');
    const { reposOf } = await import('../store/repos.js');
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
  .action(async (o: { port: string; simPort: string; data: string }) => {
    const { runDemo } = await import('./demo.js');
    await runDemo({ port: Number(o.port), simPort: Number(o.simPort), dataDir: o.data });
  });

// The simulator's commands load every cloud's simulation (and SDK): only when asked for.
if (process.argv[2] === 'sim') program.addCommand(await (await import('./sim.js')).simCommand());
else
  program.command('sim').description('the cloud simulator, and customer-side helpers against it (peerlink sim --help)');
for (const c of clientCommands()) program.addCommand(c);

program.parseAsync(process.argv).catch((err: unknown) => {
  // a configuration error is its own message; anything else, its message alone (no stack for a user's mistake)
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
