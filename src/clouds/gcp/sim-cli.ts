/**
 * `peerlink sim gcp …`: act as the customer on the simulated Google Cloud through the official client — the console
 * steps of EMQX Platform's GCP flow (create the matching peering toward the deployment network, check it is ACTIVE) as
 * commands shaped like `gcloud compute networks peerings …`.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { GcpCustomer } from './customer.js';
import type { ServiceAccountKey } from './sdk.js';

/** The customer's service-account key: $PEERLINK_SIM_GCP_KEY (the JSON itself) or $GOOGLE_APPLICATION_CREDENTIALS. */
function customer(o: { endpoint?: string }): GcpCustomer {
  const file = process.env.GOOGLE_APPLICATION_CREDENTIALS;
  const json = process.env.PEERLINK_SIM_GCP_KEY ?? (file ? readFileSync(file, 'utf8') : undefined);
  if (!json)
    throw new Error(
      'set PEERLINK_SIM_GCP_KEY (the key JSON; the demo writes it to data/demo.env) or GOOGLE_APPLICATION_CREDENTIALS',
    );
  const key = JSON.parse(json) as ServiceAccountKey & { project_id: string };
  return new GcpCustomer({
    endpoint: o.endpoint ?? process.env.PEERLINK_SIM_GCP_ENDPOINT ?? 'http://127.0.0.1:4566',
    key,
  });
}

export function gcpSimCommand(): Command {
  const gcp = new Command('gcp').description(
    'act on the simulated Google Cloud with the official client (key from PEERLINK_SIM_GCP_KEY)',
  );
  const common = (c: Command) => c.option('--endpoint <url>', 'simulator URL (default $PEERLINK_SIM_GCP_ENDPOINT)');
  common(
    gcp
      .command('peer')
      .description('add the matching half on your network toward the deployment network (in another project)')
      .requiredOption('--network <name>', 'your VPC network')
      .requiredOption('--name <name>', 'the name of your half')
      .requiredOption('--peer-project <id>', 'the platform project ID')
      .requiredOption('--peer-network <name>', 'the deployment network'),
  ).action(
    async (o: { network: string; name: string; peerProject: string; peerNetwork: string; endpoint?: string }) => {
      await customer(o).addPeering(o.network, o.name, { project: o.peerProject, network: o.peerNetwork });
      console.log(`added ${o.name} on ${o.network} toward projects/${o.peerProject}/global/networks/${o.peerNetwork}`);
    },
  );
  common(
    gcp
      .command('unpeer')
      .description('remove your half of a peering')
      .requiredOption('--network <name>')
      .requiredOption('--name <name>'),
  ).action(async (o: { network: string; name: string; endpoint?: string }) => {
    await customer(o).removePeering(o.network, o.name);
    console.log(`removed ${o.name} from ${o.network}`);
  });
  common(gcp.command('peerings').description('the peerings of your network').requiredOption('--network <name>')).action(
    async (o: { network: string; endpoint?: string }) => {
      for (const p of await customer(o).peerings(o.network))
        console.log(`${p.name}\t${p.state}\t${p.peer}\t${p.details}`);
    },
  );
  common(
    gcp
      .command('routes')
      .description('the subnet routes your half imports from the deployment network')
      .requiredOption('--network <name>')
      .requiredOption('--name <name>', 'your half')
      .option('--region <region>', 'region', 'us-central1'),
  ).action(async (o: { network: string; name: string; region: string; endpoint?: string }) => {
    for (const r of await customer(o).routes(o.network, o.name, o.region)) console.log(r);
  });
  return gcp;
}
