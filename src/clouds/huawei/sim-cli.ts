/**
 * `peerlink sim huawei …`: act as the customer on the simulated Huawei Cloud through the official SDK — the seed's
 * console steps (create the peering request, add the route) as commands.
 */
import { Command } from 'commander';
import { HwCustomer } from './customer.js';

function customer(o: { endpoint?: string }): HwCustomer {
  const ak = process.env.HUAWEICLOUD_SDK_AK;
  const sk = process.env.HUAWEICLOUD_SDK_SK;
  const projectId = process.env.HUAWEICLOUD_SDK_PROJECT_ID;
  if (!ak || !sk || !projectId)
    throw new Error(
      'set HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_PROJECT_ID (the demo writes them to ' +
        'data/demo.env)',
    );
  return new HwCustomer({
    endpoint: o.endpoint ?? process.env.PEERLINK_SIM_HUAWEI_ENDPOINT ?? 'http://127.0.0.1:4566/huawei',
    ak,
    sk,
    projectId,
  });
}

export function huaweiSimCommand(): Command {
  const hw = new Command('huawei').description(
    'act on the simulated Huawei Cloud with the official SDK (credentials from HUAWEICLOUD_SDK_AK/_SK/_PROJECT_ID)',
  );
  const common = (c: Command) =>
    c.option('--endpoint <url>', 'simulated VPC endpoint (default $PEERLINK_SIM_HUAWEI_ENDPOINT)');
  common(
    hw
      .command('create-peering')
      .description('request a peering to a VPC of another project (prints the peering id)')
      .requiredOption('--vpc-id <id>', 'your VPC')
      .requiredOption('--peer-vpc-id <id>', 'the deployment VPC')
      .requiredOption('--peer-project-id <id>', 'the platform project'),
  ).action(async (o: { vpcId: string; peerVpcId: string; peerProjectId: string; endpoint?: string }) => {
    console.log(await customer(o).createPeering(o.vpcId, { vpcId: o.peerVpcId, projectId: o.peerProjectId }));
  });
  common(hw.command('list-peerings').description('list the peerings visible to this project')).action(
    async (o: { endpoint?: string }) => {
      for (const p of await customer(o).listPeerings())
        console.log(`${p.id}\t${p.status}\t${p.request_vpc_info.vpc_id} -> ${p.accept_vpc_info.vpc_id}`);
    },
  );
  common(
    hw.command('delete-peering').description('delete a peering from this side').requiredOption('--peering-id <id>'),
  ).action(async (o: { peeringId: string; endpoint?: string }) => {
    await customer(o).deletePeering(o.peeringId);
    console.log(`deleted ${o.peeringId}`);
  });
  common(
    hw
      .command('add-route')
      .description('add a route (next hop type: peering) to a route table')
      .requiredOption('--route-table-id <id>')
      .requiredOption('--destination <cidr>')
      .requiredOption('--peering-id <id>'),
  ).action(async (o: { routeTableId: string; destination: string; peeringId: string; endpoint?: string }) => {
    await customer(o).addRoute(o.routeTableId, o.destination, o.peeringId);
    console.log(`route ${o.destination} -> ${o.peeringId} added`);
  });
  common(hw.command('routes').description('show a route table').requiredOption('--route-table-id <id>')).action(
    async (o: { routeTableId: string; endpoint?: string }) => {
      for (const r of await customer(o).routes(o.routeTableId))
        console.log(`${r.destination}\t-> ${r.nexthop}\t${r.type}`);
    },
  );
  return hw;
}
