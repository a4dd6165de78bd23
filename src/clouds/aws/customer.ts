/**
 * The customer's side of AWS through the official SDK — what `aws ec2 …` would send: request a peering, route the
 * deployment CIDR through it, delete it. Used by `peerlink sim aws …`, the demo and the tests.
 */
import {
  CreateRouteCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeRouteTablesCommand,
  DescribeVpcPeeringConnectionsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { ec2Client } from './sdk.js';

export interface AwsCustomerOptions {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export class AwsCustomer {
  readonly ec2: EC2Client;

  constructor(readonly o: AwsCustomerOptions) {
    this.ec2 = ec2Client({
      region: o.region,
      endpoint: o.endpoint,
      credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey },
    });
  }

  /** CreateVpcPeeringConnection from the customer's VPC to the deployment VPC (another account); the pcx- id. */
  async requestPeering(vpcId: string, peer: { vpcId: string; ownerId: string; region?: string }): Promise<string> {
    const out = await this.ec2.send(
      new CreateVpcPeeringConnectionCommand({
        VpcId: vpcId,
        PeerVpcId: peer.vpcId,
        PeerOwnerId: peer.ownerId,
        ...(peer.region ? { PeerRegion: peer.region } : {}),
      }),
    );
    const id = out.VpcPeeringConnection?.VpcPeeringConnectionId;
    if (!id) throw new Error('CreateVpcPeeringConnection answered without an id');
    return id;
  }

  async deletePeering(id: string): Promise<void> {
    await this.ec2.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
  }

  async peerings(): Promise<Array<{ id: string; status: string; requesterVpcId: string; accepterVpcId: string }>> {
    const out = await this.ec2.send(new DescribeVpcPeeringConnectionsCommand({}));
    return (out.VpcPeeringConnections ?? []).map((p) => ({
      id: p.VpcPeeringConnectionId ?? '',
      status: p.Status?.Code ?? '',
      requesterVpcId: p.RequesterVpcInfo?.VpcId ?? '',
      accepterVpcId: p.AccepterVpcInfo?.VpcId ?? '',
    }));
  }

  /** CreateRoute in the customer's route table: the deployment CIDR through the peering. */
  async addRoute(routeTableId: string, destination: string, pcxId: string): Promise<void> {
    await this.ec2.send(
      new CreateRouteCommand({
        RouteTableId: routeTableId,
        DestinationCidrBlock: destination,
        VpcPeeringConnectionId: pcxId,
      }),
    );
  }

  async routeTables(): Promise<
    Array<{ id: string; vpcId: string; routes: Array<{ destination: string; target: string; state: string }> }>
  > {
    const out = await this.ec2.send(new DescribeRouteTablesCommand({}));
    return (out.RouteTables ?? []).map((t) => ({
      id: t.RouteTableId ?? '',
      vpcId: t.VpcId ?? '',
      routes: (t.Routes ?? []).map((r) => ({
        destination: r.DestinationCidrBlock ?? '',
        target: r.VpcPeeringConnectionId ?? r.GatewayId ?? '',
        state: r.State ?? '',
      })),
    }));
  }
}
