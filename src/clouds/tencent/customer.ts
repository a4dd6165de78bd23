/**
 * The customer's side of Tencent Cloud through the official SDK — what the console or `tccli vpc …` would send:
 * create a CCN with its VPC, approve (or reject) the platform's attach request, detach. Used by
 * `peerlink sim tencent …`, the demo and the tests.
 */
import { tencentClient, type TcVpcClient } from './sdk.js';

export interface TcCustomerOptions {
  endpoint: string;
  secretId: string;
  secretKey: string;
  region: string;
}

export class TcCustomer {
  private readonly client: TcVpcClient;

  constructor(readonly o: TcCustomerOptions) {
    this.client = tencentClient(o);
  }

  /** CreateCcn, then attach the customer's own VPC (same account: ACTIVE at once); the ccn- id. */
  async createCcn(name: string, vpcId?: string): Promise<string> {
    const out = await this.client.CreateCcn({
      CcnName: name,
      CcnDescription: 'created for Peerlink',
      QosLevel: 'AU',
      InstanceChargeType: 'POSTPAID',
      BandwidthLimitType: 'OUTER_REGION_LIMIT',
    });
    const ccnId = out.Ccn?.CcnId ?? '';
    if (vpcId) await this.attach(ccnId, vpcId);
    return ccnId;
  }

  async attach(ccnId: string, vpcId: string, region = this.o.region): Promise<void> {
    await this.client.AttachCcnInstances({
      CcnId: ccnId,
      Instances: [{ InstanceId: vpcId, InstanceRegion: region, InstanceType: 'VPC' }],
    });
  }

  /** The instances of the CCN, pending applications included. */
  async instances(
    ccnId: string,
  ): Promise<
    Array<{ InstanceId?: string; InstanceUin?: string; InstanceRegion?: string; State?: string; CidrBlock?: string[] }>
  > {
    const out = await this.client.DescribeCcnAttachedInstances({ CcnId: ccnId, Limit: 100 });
    return out.InstanceSet ?? [];
  }

  /** Approve the platform's request (seed step 5: 关联实例 → 同意). */
  async approve(ccnId: string, vpcId: string, region = this.o.region): Promise<void> {
    await this.client.AcceptAttachCcnInstances({
      CcnId: ccnId,
      Instances: [{ InstanceId: vpcId, InstanceRegion: region, InstanceType: 'VPC' }],
    });
  }

  async reject(ccnId: string, vpcId: string, region = this.o.region): Promise<void> {
    await this.client.RejectAttachCcnInstances({
      CcnId: ccnId,
      Instances: [{ InstanceId: vpcId, InstanceRegion: region, InstanceType: 'VPC' }],
    });
  }

  async detach(ccnId: string, vpcId: string, region = this.o.region): Promise<void> {
    await this.client.DetachCcnInstances({
      CcnId: ccnId,
      Instances: [{ InstanceId: vpcId, InstanceRegion: region, InstanceType: 'VPC' }],
    });
  }

  async routes(ccnId: string): Promise<
    Array<{
      RouteId?: string;
      DestinationCidrBlock?: string;
      InstanceId?: string;
      Enabled?: boolean;
      ExtraState?: string;
    }>
  > {
    return (await this.client.DescribeCcnRoutes({ CcnId: ccnId, Limit: 100 })).RouteSet ?? [];
  }

  async setRoute(ccnId: string, routeId: string, enabled: boolean): Promise<void> {
    if (enabled) await this.client.EnableCcnRoutes({ CcnId: ccnId, RouteIds: [routeId] });
    else await this.client.DisableCcnRoutes({ CcnId: ccnId, RouteIds: [routeId] });
  }
}
