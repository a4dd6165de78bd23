/**
 * `peerlink sim alibaba …`: act as the customer on the simulated Alibaba Cloud through the official SDK — the
 * seed's console steps (create the peer connection, add the route entry) as commands.
 */
import { Command } from 'commander';
import { AliCustomer } from './customer.js';

function customer(o: { endpoint?: string; region?: string }): AliCustomer {
  const accessKeyId = process.env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const accessKeySecret = process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (!accessKeyId || !accessKeySecret)
    throw new Error(
      'set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (the demo writes them to data/demo.env)',
    );
  return new AliCustomer({
    endpoint: o.endpoint ?? process.env.PEERLINK_SIM_ALIBABA_ENDPOINT ?? 'http://127.0.0.1:4566',
    region: o.region ?? process.env.ALIBABA_CLOUD_REGION_ID ?? 'cn-hangzhou',
    accessKeyId,
    accessKeySecret,
  });
}

export function alibabaSimCommand(): Command {
  const ali = new Command('alibaba').description(
    'act on the simulated Alibaba Cloud with the official SDK (credentials from ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET)',
  );
  const common = (c: Command) =>
    c
      .option('--endpoint <url>', 'simulator URL (default $PEERLINK_SIM_ALIBABA_ENDPOINT)')
      .option('--region <region>', 'region (default $ALIBABA_CLOUD_REGION_ID)');
  common(
    ali
      .command('create-peering')
      .description('create a cross-account peer connection from your VPC (prints the pcc id)')
      .requiredOption('--vpc-id <id>', 'initiator: your VPC')
      .requiredOption('--accepting-uid <uid>', 'accepter account ID')
      .requiredOption('--accepting-vpc-id <id>', 'accepter instance')
      .option('--accepting-region <region>', 'accepter region (default: yours)'),
  ).action(
    async (o: {
      vpcId: string;
      acceptingUid: string;
      acceptingVpcId: string;
      acceptingRegion?: string;
      endpoint?: string;
      region?: string;
    }) => {
      console.log(
        await customer(o).createConnection(o.vpcId, {
          uid: o.acceptingUid,
          vpcId: o.acceptingVpcId,
          region: o.acceptingRegion,
        }),
      );
    },
  );
  common(ali.command('list-peerings').description('list the peer connections visible to these credentials')).action(
    async (o: { endpoint?: string; region?: string }) => {
      for (const p of await customer(o).listConnections())
        console.log(`${p.InstanceId}\t${p.Status}\t${p.Vpc.VpcId} -> ${p.AcceptingVpc.VpcId}`);
    },
  );
  common(
    ali
      .command('delete-peering')
      .description('delete a peer connection (Force: its route entries too)')
      .requiredOption('--peering-id <pcc>'),
  ).action(async (o: { peeringId: string; endpoint?: string; region?: string }) => {
    await customer(o).deleteConnection(o.peeringId);
    console.log(`deleted ${o.peeringId}`);
  });
  common(
    ali
      .command('add-route')
      .description('add a custom route entry: destination via the peer connection')
      .requiredOption('--route-table-id <vtb>')
      .requiredOption('--destination <cidr>')
      .requiredOption('--peering-id <pcc>'),
  ).action(
    async (o: { routeTableId: string; destination: string; peeringId: string; endpoint?: string; region?: string }) => {
      console.log(await customer(o).addRoute(o.routeTableId, o.destination, o.peeringId));
    },
  );
  common(ali.command('routes').description('show a route table').requiredOption('--route-table-id <vtb>')).action(
    async (o: { routeTableId: string; endpoint?: string; region?: string }) => {
      for (const r of await customer(o).routes(o.routeTableId))
        console.log(`${r.destination}\t-> ${r.nextHop || 'system'}\t${r.status}`);
    },
  );
  return ali;
}
