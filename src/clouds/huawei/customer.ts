/**
 * The customer's side of Huawei Cloud through the official SDK — what the console or `hcloud VPC …` would send:
 * used by `peerlink sim huawei …`, the demo and the tests.
 */
import { v2 } from '@huaweicloud/huaweicloud-sdk-vpc';
import { huaweiClient, type HwVpcClient } from './sdk.js';

export interface HwCustomerOptions {
  endpoint: string;
  ak: string;
  sk: string;
  projectId: string;
}

type Raw = { httpStatusCode?: number; code?: string; message?: string; error_code?: string; error_msg?: string };

export /** `code`: the body's code, where the answer carries one (many Huawei errors are a status and a message). */
class HwCustomerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(`${code ?? `HTTP ${status}`}: ${message}`);
  }
}

export class HwCustomer {
  private readonly client: HwVpcClient;

  constructor(readonly o: HwCustomerOptions) {
    this.client = huaweiClient(o);
  }

  private static check<T extends Raw>(r: T): T {
    if ((r.httpStatusCode ?? 0) >= 400)
      throw new HwCustomerError(r.httpStatusCode ?? 0, r.code ?? r.error_code, r.message ?? r.error_msg ?? '');
    return r;
  }

  /** A peering request from the customer's VPC to the deployment VPC of another project; its id. */
  async createPeering(vpcId: string, accept: { vpcId: string; projectId: string }, name = 'peerlink'): Promise<string> {
    const body = new v2.CreateVpcPeeringRequestBody().withPeering(
      new v2.CreateVpcPeeringOption(
        name,
        new v2.VpcInfo(vpcId).withTenantId(this.o.projectId),
        new v2.VpcInfo(accept.vpcId).withTenantId(accept.projectId),
      ),
    );
    const r = HwCustomer.check(await this.client.createVpcPeering(new v2.CreateVpcPeeringRequest().withBody(body)));
    return r.peering?.id ?? '';
  }

  async listPeerings(): Promise<
    Array<{ id: string; status: string; request_vpc_info: { vpc_id: string }; accept_vpc_info: { vpc_id: string } }>
  > {
    const r = HwCustomer.check(
      (await this.client.listVpcPeerings(new v2.ListVpcPeeringsRequest())) as unknown as Raw & {
        peerings?: Array<{
          id: string;
          status: string;
          request_vpc_info: { vpc_id: string };
          accept_vpc_info: { vpc_id: string };
        }>;
      },
    );
    return r.peerings ?? [];
  }

  async deletePeering(id: string): Promise<void> {
    HwCustomer.check(await this.client.deleteVpcPeering(new v2.DeleteVpcPeeringRequest().withPeeringId(id)));
  }

  /** A route in the customer's route table: destination via the peering. */
  async addRoute(routeTableId: string, destination: string, peeringId: string): Promise<void> {
    const body = new v2.UpdateRoutetableReqBody().withRoutetable(
      new v2.UpdateRouteTableReq().withRoutes(
        new v2.RouteTableRouteAction().withAdd([new v2.AddRouteTableRoute('peering', destination, peeringId)]),
      ),
    );
    HwCustomer.check(
      await this.client.updateRouteTable(
        new v2.UpdateRouteTableRequest().withRoutetableId(routeTableId).withBody(body),
      ),
    );
  }

  async routes(routeTableId: string): Promise<Array<{ type: string; destination: string; nexthop: string }>> {
    const r = HwCustomer.check(
      (await this.client.showRouteTable(
        new v2.ShowRouteTableRequest().withRoutetableId(routeTableId),
      )) as unknown as Raw & {
        routetable?: { routes?: Array<{ type: string; destination: string; nexthop: string }> };
      },
    );
    return r.routetable?.routes ?? [];
  }
}
