/** What the customer does on its own Alibaba Cloud side (seed: 阿里云平台对等连接), filled with this deployment's values. */
import type { Locale } from '../../core/errors.js';
import { sayIn, type DeploymentFacts, type Guidance } from '../provider.js';

export function alibabaGuidance(
  d: DeploymentFacts,
  peering?: { providerPeeringId: string; customerVpcId: string },
  lang?: Locale,
): Guidance {
  const say = sayIn(lang);
  const pcc = peering?.providerPeeringId || '<pcc-id of the connection>';
  const vpc = peering?.customerVpcId || '<your-vpc-id>';
  const name = d.id.replace(/[^A-Za-z0-9_]/g, '_');
  const commands = [
    say(
      `# 1. Create the peer connection from your VPC (initiator) to the deployment VPC (accepter), cross-account`,
      `# 1. 从您的 VPC（发起端）向部署 VPC（接收端）创建跨账号对等连接`,
    ),
    `aliyun vpcpeer CreateVpcPeerConnection --RegionId ${d.region} --VpcId ${vpc} \\`,
    `  --AcceptingAliUid ${d.platformAccountId} --AcceptingRegionId ${d.region} --AcceptingVpcId ${d.vpcId} \\`,
    `  --Name peerlink-${d.name}`,
    say(
      `# 2. Submit your VPC ID (${vpc}) to Peerlink: it finds the connection, accepts it and routes its side.`,
      `# 2. 在 Peerlink 中提交您的 VPC ID（${vpc}）：它会找到该连接、接受并配置平台侧路由。`,
    ),
    say(
      `# 3. Once running: route the deployment CIDR through the peer connection in your route table`,
      `# 3. 对等连接运行后：在您的路由表中添加经该对等连接到部署网段的路由`,
    ),
    `aliyun vpc CreateRouteEntry --RegionId ${d.region} --RouteTableId <your-vtb-id> \\`,
    `  --DestinationCidrBlock ${d.vpcCidr} --NextHopType VpcPeer --NextHopId ${pcc}`,
    say(
      `# 4. Let the deployment reach your ECS instances (adjust protocol and port)`,
      `# 4. 允许部署访问您的 ECS 实例（按需调整协议和端口）`,
    ),
    `aliyun ecs AuthorizeSecurityGroup --RegionId ${d.region} --SecurityGroupId <your-sg-id> \\`,
    `  --IpProtocol tcp --PortRange <port>/<port> --SourceCidrIp ${d.vpcCidr}`,
  ].join('\n');
  const terraform = `provider "alicloud" {
  region = "${d.region}"
}

variable "vpc_id" { default = "${vpc}" }
variable "route_table_id" { type = string }
variable "security_group_id" { type = string }

resource "alicloud_vpc_peer_connection" "peerlink_${name}" {
  peer_connection_name = "peerlink-${d.name}"
  vpc_id               = var.vpc_id
  accepting_ali_uid    = ${d.platformAccountId}
  accepting_region_id  = "${d.region}"
  accepting_vpc_id     = "${d.vpcId}"
}

resource "alicloud_route_entry" "to_deployment" {
  route_table_id        = var.route_table_id
  destination_cidrblock = "${d.vpcCidr}"
  nexthop_type          = "VpcPeer"
  nexthop_id            = alicloud_vpc_peer_connection.peerlink_${name}.id
}

resource "alicloud_security_group_rule" "from_deployment" {
  type              = "ingress"
  security_group_id = var.security_group_id
  ip_protocol       = "tcp"
  port_range        = "1/65535"
  cidr_ip           = "${d.vpcCidr}"
}
`;
  return {
    steps: [
      {
        en:
          `In the Alibaba Cloud console (region ${d.region}) open VPC → VPC Peering Connections → Create ` +
          `Peering Connection. Initiator: your VPC. Accepter account type: "Cross-account"; accepter account ` +
          `ID ${d.platformAccountId}; accepter region ${d.region}; accepter instance ${d.vpcId}.`,
        'zh-CN':
          `登录阿里云控制台（地域 ${d.region}），进入专有网络 → VPC 对等连接 → 创建对等连接。发起端实例选择您的 VPC；接收端账号类型选择「跨账号」，接收端账号 ID 填 ` +
          `${d.platformAccountId}，接收端地域为 ${d.region}，接收端实例填 ${d.vpcId}。`,
      },
      {
        en:
          'Come back here, enter the initiator instance (your VPC ID) in step 3 and press Confirm. Peerlink finds ' +
          'the connection, accepts it and adds its routes; if it is not there yet, Peerlink keeps looking and ' +
          'tells you what to check.',
        'zh-CN':
          '回到此处，在第 3 步填写发起端实例（您的 VPC ID）并点击「确定」。Peerlink 会找到该对等连接、接受并添加部署侧路由；若暂未找到，Peerlink 会持续查找并提示您需要检查的内容。',
      },
      {
        en:
          `Once running: in your VPC's route table add a custom route entry, destination ${d.vpcCidr}, next ` +
          `hop type "VPC peering connection", next hop ${peering?.providerPeeringId || 'the peering connection'}.`,
        'zh-CN':
          `运行中后：在您 VPC 的路由表中添加自定义路由条目，目标网段 ${d.vpcCidr}，下一跳类型选择「对等连接」，下一跳为` +
          `${peering?.providerPeeringId || '该对等连接'}。`,
      },
      {
        en: `In your ECS instances' security group add an inbound rule allowing ${d.vpcCidr}.`,
        'zh-CN': `在您 ECS 实例的安全组入方向添加规则，允许 ${d.vpcCidr} 访问。`,
      },
    ],
    commands,
    terraform,
  };
}
