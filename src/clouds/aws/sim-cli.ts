/**
 * `peerlink sim aws …`: act as the customer (or the platform) on the simulated EC2 through the official SDK —
 * exactly what `aws ec2 …` would send.
 */
import { Command } from 'commander';
import { AwsCustomer } from './customer.js';

function customer(o: { endpoint?: string; region?: string }): AwsCustomer {
  const endpoint = o.endpoint ?? process.env.PEERLINK_SIM_AWS_ENDPOINT ?? 'http://127.0.0.1:4566/aws';
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the demo writes them to data/demo.env)');
  }
  return new AwsCustomer({
    region: o.region ?? process.env.AWS_REGION ?? 'us-east-1',
    endpoint,
    accessKeyId,
    secretAccessKey,
  });
}

interface Common {
  endpoint?: string;
  region?: string;
}

export function awsSimCommand(): Command {
  const aws = new Command('aws').description(
    'act on the simulated EC2 with the official SDK (credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)',
  );
  const common = (c: Command) =>
    c
      .option('--endpoint <url>', 'simulated EC2 endpoint (default $PEERLINK_SIM_AWS_ENDPOINT)')
      .option('--region <region>', 'region (default $AWS_REGION)');
  common(
    aws
      .command('create-peering')
      .description('request a VPC peering (prints the pcx id)')
      .requiredOption('--vpc-id <id>')
      .requiredOption('--peer-vpc-id <id>')
      .requiredOption('--peer-owner-id <account>'),
  ).action(async (o: Common & { vpcId: string; peerVpcId: string; peerOwnerId: string }) => {
    console.log(await customer(o).requestPeering(o.vpcId, { vpcId: o.peerVpcId, ownerId: o.peerOwnerId }));
  });
  common(aws.command('describe-peerings').description('list the VPC peerings visible to these credentials')).action(
    async (o: Common) => {
      for (const p of await customer(o).peerings())
        console.log(`${p.id}\t${p.status}\t${p.requesterVpcId} -> ${p.accepterVpcId}`);
    },
  );
  common(
    aws
      .command('delete-peering')
      .description('delete a VPC peering from this side')
      .requiredOption('--peering-id <pcx>'),
  ).action(async (o: Common & { peeringId: string }) => {
    await customer(o).deletePeering(o.peeringId);
    console.log(`deleted ${o.peeringId}`);
  });
  common(
    aws
      .command('add-route')
      .description('route a destination through a peering in one of your route tables')
      .requiredOption('--route-table-id <rtb>')
      .requiredOption('--destination <cidr>')
      .requiredOption('--peering-id <pcx>'),
  ).action(async (o: Common & { routeTableId: string; destination: string; peeringId: string }) => {
    await customer(o).addRoute(o.routeTableId, o.destination, o.peeringId);
    console.log(`${o.destination} -> ${o.peeringId} in ${o.routeTableId}`);
  });
  common(aws.command('route-tables').description('show the route tables of these credentials')).action(
    async (o: Common) => {
      for (const t of await customer(o).routeTables()) {
        console.log(`${t.id} (${t.vpcId})`);
        for (const r of t.routes) console.log(`  ${r.destination}\t-> ${r.target}\t${r.state}`);
      }
    },
  );
  return aws;
}
