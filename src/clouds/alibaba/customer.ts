/**
 * The customer's side of Alibaba Cloud through the official SDK — what `aliyun vpcpeer …` / `aliyun vpc …` would send:
 * used by `peerlink sim alibaba …`, the demo and the tests. `signature: 'v2'` uses the classic query-string
 * signature instead of ACS3, so both wire styles are exercised.
 */
import * as $Vpc from '@alicloud/vpc20160428';
import { aliClient, aliRuntime, callVpcPeer, type AliVpcClient } from './sdk.js';

export interface AliCustomerOptions {
  endpoint: string;
  region: string;
  accessKeyId: string;
  accessKeySecret: string;
  signature?: 'acs3' | 'v2';
}

export interface AliConnectionSummary {
  InstanceId: string;
  Status: string;
  Vpc: { VpcId: string };
  AcceptingVpc: { VpcId: string };
  GmtExpired?: string;
}

export class AliCustomer {
  private readonly client: AliVpcClient;

  constructor(private readonly o: AliCustomerOptions) {
    this.client = aliClient(o);
  }

  private peer(action: string, body: Record<string, string | number | boolean>): Promise<Record<string, unknown>> {
    return callVpcPeer(this.client, action, body, aliRuntime());
  }

  /** CreateVpcPeerConnection from the customer's VPC (initiator) to the deployment VPC (accepter); the pcc- id. */
  async createConnection(
    vpcId: string,
    accepter: { uid: string; vpcId: string; region?: string },
    name = 'peerlink',
  ): Promise<string> {
    const out = await this.peer('CreateVpcPeerConnection', {
      VpcId: vpcId,
      AcceptingAliUid: accepter.uid,
      AcceptingVpcId: accepter.vpcId,
      AcceptingRegionId: accepter.region ?? this.o.region,
      RegionId: this.o.region,
      Name: name,
    });
    return String(out.InstanceId);
  }

  async rejectConnection(id: string): Promise<void> {
    await this.peer('RejectVpcPeerConnection', { InstanceId: id });
  }

  async deleteConnection(id: string, force = true): Promise<void> {
    await this.peer('DeleteVpcPeerConnection', { InstanceId: id, Force: force });
  }

  async listConnections(): Promise<AliConnectionSummary[]> {
    const all: AliConnectionSummary[] = [];
    let token = '';
    do {
      const out = await this.peer('ListVpcPeerConnections', {
        RegionId: this.o.region,
        MaxResults: 100,
        ...(token ? { NextToken: token } : {}),
      });
      all.push(...((out.VpcPeerConnects as AliConnectionSummary[]) ?? []));
      token = typeof out.NextToken === 'string' ? out.NextToken : '';
    } while (token);
    return all;
  }

  /** CreateRouteEntry in the customer's route table: the deployment CIDR through the peer connection. */
  async addRoute(routeTableId: string, destination: string, pccId: string): Promise<string> {
    const out = await this.client.createRouteEntry(
      new $Vpc.CreateRouteEntryRequest({
        regionId: this.o.region,
        routeTableId,
        destinationCidrBlock: destination,
        nextHopType: 'VpcPeer',
        nextHopId: pccId,
      }),
    );
    return out.body?.routeEntryId ?? '';
  }

  async routes(routeTableId: string): Promise<Array<{ destination: string; nextHop: string; status: string }>> {
    const out = await this.client.describeRouteEntryList(
      new $Vpc.DescribeRouteEntryListRequest({ regionId: this.o.region, routeTableId, maxResult: 100 }),
    );
    return (out.body?.routeEntrys?.routeEntry ?? []).map((e) => ({
      destination: e.destinationCidrBlock ?? '',
      nextHop: e.nextHops?.nextHop?.[0]?.nextHopId ?? '',
      status: e.status ?? '',
    }));
  }
}
