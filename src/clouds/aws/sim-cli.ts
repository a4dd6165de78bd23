/**
 * `peerlink sim aws …`: act as the customer (or the platform) on the simulated EC2 through the official SDK —
 * exactly what `aws ec2 …` would send.
 */
import { Command } from 'commander';
import {
  CreateVpcPeeringConnectionCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeRouteTablesCommand,
  DescribeVpcPeeringConnectionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';

function ec2(o: { endpoint?: string; region?: string }): EC2Client {
  const endpoint = o.endpoint ?? process.env.PEERLINK_SIM_AWS_ENDPOINT ?? 'http://127.0.0.1:4566/aws';
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey)
    throw new Error('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the demo writes them to data/demo.env)');
  return new EC2Client({
    region: o.region ?? process.env.AWS_REGION ?? 'us-east-1',
    endpoint,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
  });
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
  ).action(async (o: { vpcId: string; peerVpcId: string; peerOwnerId: string; endpoint?: string; region?: string }) => {
    const out = await ec2(o).send(
      new CreateVpcPeeringConnectionCommand({ VpcId: o.vpcId, PeerVpcId: o.peerVpcId, PeerOwnerId: o.peerOwnerId }),
    );
    console.log(out.VpcPeeringConnection?.VpcPeeringConnectionId);
  });
  common(aws.command('describe-peerings').description('list the VPC peerings visible to these credentials')).action(
    async (o: { endpoint?: string; region?: string }) => {
      const out = await ec2(o).send(new DescribeVpcPeeringConnectionsCommand({}));
      for (const p of out.VpcPeeringConnections ?? [])
        console.log(
          `${p.VpcPeeringConnectionId}\t${p.Status?.Code}\t${p.RequesterVpcInfo?.VpcId} -> ${p.AccepterVpcInfo?.VpcId}`,
        );
    },
  );
  common(
    aws
      .command('delete-peering')
      .description('delete a VPC peering from this side')
      .requiredOption('--peering-id <pcx>'),
  ).action(async (o: { peeringId: string; endpoint?: string; region?: string }) => {
    await ec2(o).send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: o.peeringId }));
    console.log(`deleted ${o.peeringId}`);
  });
  common(aws.command('route-tables').description('show the route tables of these credentials')).action(
    async (o: { endpoint?: string; region?: string }) => {
      const out = await ec2(o).send(new DescribeRouteTablesCommand({}));
      for (const t of out.RouteTables ?? []) {
        console.log(`${t.RouteTableId} (${t.VpcId})`);
        for (const r of t.Routes ?? [])
          console.log(`  ${r.DestinationCidrBlock}\t-> ${r.VpcPeeringConnectionId ?? r.GatewayId}\t${r.State}`);
      }
    },
  );
  return aws;
}
