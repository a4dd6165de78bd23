/**
 * `peerlink sim azure …`: act as the customer on the simulated Azure — its administrator application in its own
 * tenant ($PEERLINK_SIM_AZURE_TENANT, _CLIENT_ID, _CLIENT_SECRET; the demo writes them to data/demo.env). The
 * delegation the customer makes (`az ad sp create`, `az role assignment create`) and its VNet's side (address space,
 * the halves on it) as commands shaped like the az CLI's.
 */
import { Command } from 'commander';
import { AzureCustomer } from './customer.js';
import { normalizeVnetId, vnetRef } from './ids.js';

function customer(o: { endpoint?: string }): AzureCustomer {
  const env = (k: string) => {
    const v = process.env[k];
    if (!v) throw new Error(`set ${k} (the demo writes it to data/demo.env)`);
    return v;
  };
  return new AzureCustomer({
    endpoint: o.endpoint ?? process.env.PEERLINK_SIM_AZURE_ENDPOINT ?? 'http://127.0.0.1:4566/azure',
    app: {
      tenantId: env('PEERLINK_SIM_AZURE_TENANT'),
      clientId: env('PEERLINK_SIM_AZURE_CLIENT_ID'),
      clientSecret: env('PEERLINK_SIM_AZURE_CLIENT_SECRET'),
    },
  });
}

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function azureSimCommand(): Command {
  const azure = new Command('azure').description(
    'act as the customer on the simulated Azure (its administrator from PEERLINK_SIM_AZURE_*)',
  );
  const common = (c: Command) =>
    c.option('--endpoint <url>', 'simulator ARM URL (default $PEERLINK_SIM_AZURE_ENDPOINT)');
  common(
    azure
      .command('sp-create')
      .description('az ad sp create --id <app>: a service principal for the platform’s application in your tenant')
      .requiredOption('--id <appId>', 'the platform application (client) ID'),
  ).action(async (o: { id: string; endpoint?: string }) => {
    await customer(o).createServicePrincipal(o.id);
    console.log(`service principal for ${o.id} created in tenant ${customer(o).tenantId}`);
  });
  common(
    azure
      .command('role-assign')
      .description('az role assignment create: give the application a role on your VNet')
      .requiredOption('--assignee <appId>', 'the platform application (client) ID')
      .option('--role <role>', 'a role allowing peering', 'Network Contributor')
      .requiredOption('--scope <vnetId>', 'your VNet’s resource ID'),
  ).action(async (o: { assignee: string; role: string; scope: string; endpoint?: string }) => {
    await customer(o).assignRole(o.assignee, o.role, normalizeVnetId(o.scope));
    console.log(`${o.role} on ${o.scope} assigned to ${o.assignee}`);
  });
  common(
    azure
      .command('vnet-update')
      .description('az network vnet update --address-prefixes: change your VNet’s address space')
      .requiredOption('--vnet <vnetId>', 'your VNet’s resource ID')
      .requiredOption('--address-prefixes <cidrs>', 'comma-separated'),
  ).action(async (o: { vnet: string; addressPrefixes: string; endpoint?: string }) => {
    await customer(o).setAddressSpace(normalizeVnetId(o.vnet), list(o.addressPrefixes));
    console.log(`${vnetRef(normalizeVnetId(o.vnet)).name}: address space ${o.addressPrefixes}`);
  });
  common(
    azure
      .command('peerings')
      .description('az network vnet peering list: the halves on your VNet')
      .requiredOption('--vnet <vnetId>', 'your VNet’s resource ID'),
  ).action(async (o: { vnet: string; endpoint?: string }) => {
    for (const h of await customer(o).halves(normalizeVnetId(o.vnet)))
      console.log(`${h.name}\t${h.state}\t${h.sync}\t${h.remote}`);
  });
  common(
    azure
      .command('peering-delete')
      .description('az network vnet peering delete: delete a half on your VNet')
      .requiredOption('--vnet <vnetId>', 'your VNet’s resource ID')
      .requiredOption('--name <name>', 'the half'),
  ).action(async (o: { vnet: string; name: string; endpoint?: string }) => {
    await customer(o).deleteHalf(normalizeVnetId(o.vnet), o.name);
    console.log(`deleted ${o.name} from ${o.vnet}`);
  });
  return azure;
}
