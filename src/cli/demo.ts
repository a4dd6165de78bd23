/**
 * `peerlink demo`: a fresh embedded database, the cloud simulator, and demo data — an organization with an API key
 * (printed once), each registered cloud's platform account, deployments and a customer account with a network — then
 * serve. Writes data/demo.env so the README's commands can be pasted as they are.
 */
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '../clouds/sim/index.js';
import { loadConfig } from '../config.js';
import { startDemoNotifications } from '../demo/notifications.js';
import { newOperatorToken, seedDemoWorld } from '../demo/seed.js';
import { reposOf } from '../store/repos.js';
import { consoleDir, createPeerlink } from '../runtime.js';

export async function runDemo(o: { port: number; simPort: number; dataDir: string }): Promise<void> {
  mkdirSync(o.dataDir, { recursive: true });
  const database = join(o.dataDir, 'demo.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(database + suffix, { force: true });

  const sim = await startSimulator({ port: o.simPort });
  const world = seedDemoWorld(sim);
  const operatorToken = process.env.PEERLINK_OPERATOR_TOKEN ?? newOperatorToken();
  // the demo's webhook receiver listens on loopback: the operator's switch allows it
  const config = loadConfig(process.env, {
    database,
    port: o.port,
    operatorToken,
    sweepIntervalMs: 10_000,
    webhookAllowPrivateTargets: true,
  });
  const notifications = await startDemoNotifications((line) => console.log(`[notify] ${line}`));
  // demo mode: the console's customer-cloud panel plays the customer's side in this simulator
  const peerlink = await createPeerlink(config, { demo: world.panel, mailer: notifications.mailer });
  const catalog = await world.register(peerlink.store);
  // the organization's webhook (the receiver above) and two contacts, one per language
  const repos = reposOf(peerlink.store);
  const now = new Date();
  const hook = await repos.webhooks.create(
    { orgId: catalog.org.id, url: notifications.hookUrl, description: 'demo receiver', eventTypes: [] },
    now,
  );
  notifications.setSecret(hook.secret);
  await repos.webhooks.addContact({ orgId: catalog.org.id, email: 'ops@example.com', locale: 'en' }, now);
  await repos.webhooks.addContact({ orgId: catalog.org.id, email: 'yunwei@example.cn', locale: 'zh-CN' }, now);
  const url = await peerlink.listen();

  const env = {
    PEERLINK_URL: url,
    PEERLINK_API_KEY: catalog.key,
    PEERLINK_OPERATOR_TOKEN: operatorToken,
    ...catalog.env,
  };
  const envFile = join(o.dataDir, 'demo.env');
  const lines = Object.entries(env).map(([k, v]) => `export ${k}=${v}`);
  writeFileSync(envFile, lines.join('\n') + '\n', { mode: 0o600 });
  chmodSync(envFile, 0o600); // an existing file keeps its mode through writeFileSync

  const deployments = catalog.deployments.map(
    (d) => `${d.id.padEnd(16)} ${d.plan.padEnd(24)} ${d.provider} ${d.region}  VPC ${d.vpcId}  CIDR ${d.vpcCidr}`,
  );
  const endpoints = Object.entries(sim.endpoints).map(([cloud, endpoint]) => `${cloud} ${endpoint}`);
  const built = existsSync(join(consoleDir, 'index.html'));
  const notBuilt = 'The console is not built: run `npm run build` (npm run demo does it for you).\n';
  console.log(`
Peerlink demo is running.

  Console       ${url}/console/   (sign in with the API key below; the "customer cloud" panel plays your side)
  API key       ${catalog.key}

  API           ${url}            (interactive docs: ${url}/docs, OpenAPI: ${url}/openapi.json)
  Simulator     ${sim.url}        (${endpoints.join('; ')})
  Database      ${database}
  Notifications ${notifications.url}   (the demo's webhook receiver and mailbox: every event signed and verified,
                action-required and deadline mails to ops@example.com (en) and yunwei@example.cn (zh-CN))

  Organization  ${catalog.org.name} (${catalog.org.id}); the API key above is shown once (only its hash is stored)
                and written to ${envFile} for the README walk-through
  Operator      ${operatorToken}

  Deployments   ${deployments.join('\n                ')}

  Clouds        ${world.summary.join('\n                ')}

${built ? '' : notBuilt}In another terminal:  source ${envFile}   then follow the README.
Press Ctrl+C to stop.
`);
  const stop = async () => {
    await peerlink.close();
    await notifications.close();
    await sim.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
