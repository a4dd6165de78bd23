/** The `peerlink` command: serve, demo, sim, migrate, and client commands for peerings and resources. */
import { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { loadConfig, ConfigError } from '../config.js';
import { createPeerlink } from '../runtime.js';
import { openStore } from '../store/db.js';
import { runDemo } from './demo.js';
import { simCommand } from './sim.js';
import { clientCommands } from './client.js';

const program = new Command('peerlink').description('VPC-peering control plane').showHelpAfterError();

program
  .command('serve')
  .description('run the API and the reconciler (configuration from PEERLINK_* environment variables)')
  .action(async () => {
    const config = loadConfig();
    if (!config.operatorToken) {
      config.operatorToken = randomBytes(24).toString('base64url');
      console.log(`No PEERLINK_OPERATOR_TOKEN set; generated one for this run: ${config.operatorToken}`);
    }
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
