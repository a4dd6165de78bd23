/**
 * `peerlink demo`: a fresh embedded database, the cloud simulator, and demo data — an organization with an API
 * key (printed once), a dedicated-professional and a trial AWS deployment, an Alibaba, a Huawei and a Tencent deployment, the
 * platform accounts, and a customer account with a VPC on each cloud — then serve. Writes data/demo.env so the README's commands can be pasted as they are.
 */
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '../clouds/sim/index.js';
import { loadConfig } from '../config.js';
import { createPeerlink } from '../runtime.js';
import { createDemoKit } from '../demo/kit.js';
import { existsSync } from 'node:fs';
import { consoleDir } from '../runtime.js';
import { demoEnv, newOperatorToken, seedCatalog, seedClouds } from '../demo/seed.js';

export async function runDemo(o: { port: number; simPort: number; dataDir: string }): Promise<void> {
  mkdirSync(o.dataDir, { recursive: true });
  const database = join(o.dataDir, 'demo.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(database + suffix, { force: true });

  const sim = await startSimulator({
    port: o.simPort,
    aws: { provisioningMs: 1_000 },
    alibaba: { creatingMs: 1_000, updatingMs: 2_000, routePendingMs: 1_000 },
  });
  const world = seedClouds(sim);
  const {
    region,
    platform,
    platformVpc,
    customer,
    customerVpc,
    aliRegion,
    aliPlatform,
    aliPlatformVpc,
    aliCustomer,
    aliCustomerVpc,
    hwRegion,
    hwPlatform,
    hwPlatformVpc,
    hwCustomer,
    hwCustomerVpc,
    tcRegion,
    tcPlatform,
    tcPlatformVpc,
    tcCustomer,
    tcCustomerVpc,
  } = world;

  const operatorToken = process.env.PEERLINK_OPERATOR_TOKEN ?? newOperatorToken();
  const config = loadConfig(process.env, { database, port: o.port, operatorToken, sweepIntervalMs: 10_000 });
  // demo mode: the console's customer-cloud panel plays the customer's side in this simulator
  const peerlink = await createPeerlink(config, { demo: createDemoKit(sim, world.customers) });
  const cat = await seedCatalog(peerlink.store, sim, world);
  const { org, key, pro, trial, ali, hw, tc } = cat;
  const url = await peerlink.listen();

  const env = demoEnv(sim, world, cat, url, operatorToken);
  const envFile = join(o.dataDir, 'demo.env');
  writeFileSync(
    envFile,
    Object.entries(env)
      .map(([k, v]) => `export ${k}=${v}`)
      .join('\n') + '\n',
    { mode: 0o600 },
  );

  console.log(`
Peerlink demo is running.

  Console       ${url}/console/   (sign in with the API key below; the "customer cloud" panel plays your side)
  API key       ${key}

  API           ${url}            (interactive docs: ${url}/docs, OpenAPI: ${url}/openapi.json)
  Simulator     ${sim.url}        (AWS EC2: ${sim.endpoints.aws}; Alibaba Cloud: ${sim.endpoints.alibaba}; Huawei Cloud: ${sim.endpoints.huawei}; Tencent Cloud: ${sim.endpoints.tencent})
  Database      ${database}

  Organization  ${org.name} (${org.id}); the API key above is shown once (only its hash is stored) and
                written to ${envFile} for the README walk-through
  Operator      ${operatorToken}

  Deployments   ${pro.id}  dedicated-professional  AWS ${region}  VPC ${platformVpc.id}  CIDR ${platformVpc.cidrs[0]}
                ${trial.id}  trial (peering not allowed)
                ${ali.id}    dedicated-professional  Alibaba ${aliRegion}  VPC ${aliPlatformVpc.id}  CIDR ${aliPlatformVpc.cidrs[0]}
                ${hw.id}     dedicated-professional  Huawei ${hwRegion}  VPC ${hwPlatformVpc.id}  CIDR ${hwPlatformVpc.cidr}
                ${tc.id}     dedicated-professional  Tencent ${tcRegion}  VPC ${tcPlatformVpc.id}  CIDR ${tcPlatformVpc.cidr}
  Platform accounts      AWS ${platform.id}; Alibaba UID ${aliPlatform.uid}; Huawei project ${hwPlatform.projectId}; Tencent UIN ${tcPlatform.uin}
  Customer accounts      AWS ${customer.id}, VPC ${customerVpc.id} (172.31.0.0/16)
                         Alibaba UID ${aliCustomer.uid}, VPC ${aliCustomerVpc.id} (172.30.0.0/16)
                         Huawei project ${hwCustomer.projectId}, VPC ${hwCustomerVpc.id} (192.168.0.0/16)
                         Tencent UIN ${tcCustomer.uin}, VPC ${tcCustomerVpc.id} (172.29.0.0/16)

${existsSync(join(consoleDir, 'index.html')) ? '' : 'The console is not built: run `npm run build` (npm run demo does it for you).\n'}In another terminal:  source ${envFile}   then follow the README.
Press Ctrl+C to stop.
`);
  const stop = async () => {
    await peerlink.close();
    await sim.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
