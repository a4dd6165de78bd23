/**
 * Demo mode only: the customer's side of each seed flow, played in the simulator through each cloud's official SDK
 * (the same helpers as `peerlink sim <cloud> …`), so the whole flow can be walked in the console with nothing else.
 * Each request uses a fresh customer VPC (10.65.0.0/16, 10.66.0.0/16, … — outside the reserved ranges) so flows can
 * be repeated.
 */
import { EC2Client, CreateRouteCommand, CreateVpcPeeringConnectionCommand } from '@aws-sdk/client-ec2';
import type { Simulator } from '../clouds/sim/index.js';
import { AliCustomer } from '../clouds/alibaba/customer.js';
import { HwCustomer } from '../clouds/huawei/customer.js';
import { TcCustomer } from '../clouds/tencent/customer.js';
import type { ProviderName } from '../clouds/provider.js';

export interface DemoDeployment {
  provider: ProviderName;
  region: string;
  vpcId: string;
  vpcCidr: string;
  platformAccountId: string;
}
export interface DemoPeering {
  providerPeeringId: string;
  customerVpcId: string;
}
export interface DemoResult {
  values: Record<string, string | string[]>;
  note: string;
}

export interface DemoKit {
  request(d: DemoDeployment): Promise<DemoResult>;
  approve(d: DemoDeployment, p: DemoPeering): Promise<DemoResult>;
  route(d: DemoDeployment, p: DemoPeering): Promise<DemoResult>;
}

export interface DemoCustomers {
  aws: { accountId: string; accessKeyId: string; secretAccessKey: string };
  alibaba: { uid: string; accessKeyId: string; accessKeySecret: string };
  huawei: { projectId: string; region: string; ak: string; sk: string };
  tencent: { uin: string; secretId: string; secretKey: string };
}

export function createDemoKit(sim: Simulator, c: DemoCustomers): DemoKit {
  let next = 65;
  const freshCidr = () => {
    if (next > 254) throw new Error('the demo ran out of customer CIDRs (10.65-254.0.0/16); restart the demo');
    return `10.${next++}.0.0/16`;
  };
  /** the customer VPC (and its route table) of a peering, by cloud */
  const vpcs = new Map<string, { routeTableId: string; cidr: string }>();
  const ec2 = (region: string) =>
    new EC2Client({
      region,
      endpoint: sim.endpoints.aws,
      credentials: { accessKeyId: c.aws.accessKeyId, secretAccessKey: c.aws.secretAccessKey },
      maxAttempts: 1,
    });
  const ali = (region: string) =>
    new AliCustomer({
      endpoint: sim.endpoints.alibaba,
      region,
      accessKeyId: c.alibaba.accessKeyId,
      accessKeySecret: c.alibaba.accessKeySecret,
    });
  const hw = () =>
    new HwCustomer({ endpoint: sim.endpoints.huawei, ak: c.huawei.ak, sk: c.huawei.sk, projectId: c.huawei.projectId });
  const tc = (region: string) =>
    new TcCustomer({
      endpoint: sim.endpoints.tencent,
      region,
      secretId: c.tencent.secretId,
      secretKey: c.tencent.secretKey,
    });

  return {
    async request(d): Promise<DemoResult> {
      const cidr = freshCidr();
      switch (d.provider) {
        case 'aws': {
          const vpc = sim.aws.createVpc({ accountId: c.aws.accountId, region: d.region }, cidr);
          const rtb = sim.aws
            .describeRouteTables({ accountId: c.aws.accountId, region: d.region })
            .find((t) => t.vpcId === vpc.id)!;
          vpcs.set(vpc.id, { routeTableId: rtb.id, cidr });
          const out = await ec2(d.region).send(
            new CreateVpcPeeringConnectionCommand({
              VpcId: vpc.id,
              PeerVpcId: d.vpcId,
              PeerOwnerId: d.platformAccountId,
            }),
          );
          const pcx = out.VpcPeeringConnection?.VpcPeeringConnectionId ?? '';
          return {
            values: { providerPeeringId: pcx, customerAccountId: c.aws.accountId, customerVpcId: vpc.id },
            note: `CreateVpcPeeringConnection: ${pcx} from ${vpc.id} (${cidr})`,
          };
        }
        case 'alibaba': {
          const vpc = sim.alibaba.createVpc({ uid: c.alibaba.uid, region: d.region }, cidr);
          vpcs.set(vpc.id, { routeTableId: vpc.routeTableId, cidr });
          const pcc = await ali(d.region).createConnection(vpc.id, { uid: d.platformAccountId, vpcId: d.vpcId });
          return {
            values: { customerVpcId: vpc.id },
            note: `CreateVpcPeerConnection: ${pcc} from initiator ${vpc.id} (${cidr})`,
          };
        }
        case 'huawei': {
          const vpc = sim.huawei.createVpc({ projectId: c.huawei.projectId, region: c.huawei.region }, cidr);
          vpcs.set(vpc.id, { routeTableId: vpc.routeTableId, cidr });
          const id = await hw().createPeering(vpc.id, { vpcId: d.vpcId, projectId: d.platformAccountId });
          return {
            values: {
              providerPeeringId: id,
              customerCidrs: [cidr],
              customerVpcId: vpc.id,
              customerAccountId: c.huawei.projectId,
            },
            note: `CreateVpcPeering: ${id} from ${vpc.id} (${cidr})`,
          };
        }
        case 'tencent': {
          const vpc = sim.tencent.createVpc({ uin: c.tencent.uin, region: d.region }, cidr);
          const ccn = await tc(d.region).createCcn(`peerlink-demo-${next}`, vpc.id);
          return {
            values: { providerPeeringId: ccn, customerAccountId: c.tencent.uin },
            note: `CreateCcn: ${ccn}, with ${vpc.id} (${cidr}) attached`,
          };
        }
      }
    },
    async approve(d, p): Promise<DemoResult> {
      if (d.provider !== 'tencent') throw new Error(`nothing to approve on ${d.provider}: the platform accepts there`);
      await tc(d.region).approve(p.providerPeeringId, d.vpcId);
      return { values: {}, note: `AcceptAttachCcnInstances: ${d.vpcId} in ${p.providerPeeringId}` };
    },
    async route(d, p): Promise<DemoResult> {
      const mine = vpcs.get(p.customerVpcId);
      switch (d.provider) {
        case 'aws':
          if (!mine) throw new Error(`VPC ${p.customerVpcId} was not made by the demo`);
          await ec2(d.region).send(
            new CreateRouteCommand({
              RouteTableId: mine.routeTableId,
              DestinationCidrBlock: d.vpcCidr,
              VpcPeeringConnectionId: p.providerPeeringId,
            }),
          );
          return { values: {}, note: `CreateRoute: ${d.vpcCidr} → ${p.providerPeeringId} in ${mine.routeTableId}` };
        case 'alibaba':
          if (!mine) throw new Error(`VPC ${p.customerVpcId} was not made by the demo`);
          await ali(d.region).addRoute(mine.routeTableId, d.vpcCidr, p.providerPeeringId);
          return {
            values: {},
            note: `CreateRouteEntry: ${d.vpcCidr} → ${p.providerPeeringId} (VpcPeer) in ${mine.routeTableId}`,
          };
        case 'huawei':
          if (!mine) throw new Error(`VPC ${p.customerVpcId} was not made by the demo`);
          await hw().addRoute(mine.routeTableId, d.vpcCidr, p.providerPeeringId);
          return {
            values: {},
            note: `UpdateRouteTable: ${d.vpcCidr} → ${p.providerPeeringId} (peering) in ${mine.routeTableId}`,
          };
        case 'tencent':
          return {
            values: {},
            note: `CCN ${p.providerPeeringId} learns ${d.vpcCidr} from the deployment VPC: nothing to add`,
          };
      }
    },
  };
}
