/** What the customer does on its own Huawei Cloud side (seed: 华为云平台对等连接), filled with this deployment's values. */
import type { Locale } from '../../core/errors.js';
import { sayIn, type DeploymentFacts, type Guidance } from '../provider.js';

export function huaweiGuidance(
  d: DeploymentFacts,
  peering?: { providerPeeringId: string; customerVpcId: string },
  lang?: Locale,
): Guidance {
  const say = sayIn(lang);
  const id = peering?.providerPeeringId || '<id-of-your-peering>';
  const vpc = peering?.customerVpcId || '<your-vpc-id>';
  const name = d.id.replace(/[^A-Za-z0-9_]/g, '_');
  const commands = [
    say(
      `# 1. Request a peering from your VPC to the deployment VPC in another account (same region)`,
      `# 1. 从您的 VPC 向另一个账号下的部署 VPC 发起对等连接（同一区域）`,
    ),
    `hcloud VPC CreateVpcPeering --cli-region=${d.region} --peering.name=peerlink-${d.name} \\`,
    `  --peering.request_vpc_info.vpc_id=${vpc} \\`,
    `  --peering.accept_vpc_info.vpc_id=${d.vpcId} --peering.accept_vpc_info.tenant_id=${d.platformAccountId}`,
    say(
      `# 2. Submit the peering ID, your VPC CIDR, your VPC ID and your project ID to Peerlink; it accepts and ` +
        `routes its side.`,
      `# 2. 在 Peerlink 中提交对等连接 ID、您的 VPC 网段、VPC ID 和项目 ID；它会接受连接并配置平台侧路由。`,
    ),
    say(
      `# 3. Route the deployment CIDR through the peering in your route table (next hop type: peering)`,
      `# 3. 在您的路由表中添加经该对等连接到部署网段的路由（下一跳类型：对等连接）`,
    ),
    `hcloud VPC UpdateRouteTable --cli-region=${d.region} --project_id=<your-project-id> ` +
      `--routetable_id=<your-route-table-id> \\`,
    `  --routetable.routes.add.1.type=peering --routetable.routes.add.1.destination=${d.vpcCidr} ` +
      `--routetable.routes.add.1.nexthop=${id}`,
    say(
      `# 4. Let the deployment reach your instances (adjust protocol and port)`,
      `# 4. 允许部署访问您的实例（按需调整协议和端口）`,
    ),
    `hcloud VPC CreateSecurityGroupRule --cli-region=${d.region} ` +
      `--security_group_rule.security_group_id=<your-security-group-id> \\`,
    `  --security_group_rule.direction=ingress --security_group_rule.ethertype=IPv4 ` +
      `--security_group_rule.protocol=tcp \\`,
    `  --security_group_rule.remote_ip_prefix=${d.vpcCidr}`,
  ].join('\n');
  const terraform = `provider "huaweicloud" {
  region = "${d.region}"
}

variable "vpc_id" { default = "${vpc}" }
variable "security_group_id" { type = string }

resource "huaweicloud_vpc_peering_connection" "peerlink_${name}" {
  name           = "peerlink-${d.name}"
  vpc_id         = var.vpc_id
  peer_vpc_id    = "${d.vpcId}"
  peer_tenant_id = "${d.platformAccountId}"
}

resource "huaweicloud_vpc_route" "to_deployment" {
  vpc_id      = var.vpc_id
  destination = "${d.vpcCidr}"
  type        = "peering"
  nexthop     = huaweicloud_vpc_peering_connection.peerlink_${name}.id
}

resource "huaweicloud_networking_secgroup_rule" "from_deployment" {
  direction         = "ingress"
  ethertype         = "IPv4"
  protocol          = "tcp"
  remote_ip_prefix  = "${d.vpcCidr}"
  security_group_id = var.security_group_id
}
`;
  return {
    steps: [
      {
        en:
          `In the Huawei Cloud console (region ${d.region}) open Virtual Private Cloud → VPC Peering → Create ` +
          `VPC Peering Connection, choose "Another account": peer project ID ${d.platformAccountId}, peer VPC ` +
          `ID ${d.vpcId}.`,
        'zh-CN':
          `登录华为云控制台（区域 ${d.region}），进入虚拟私有云 VPC → 对等连接 → 创建对等连接，选择「其他账户」：对端项目 ID 填 ` +
          `${d.platformAccountId}，对端 VPC ID 填 ${d.vpcId}。`,
      },
      {
        en:
          'Note the peering connection ID, your VPC CIDR and your VPC ID, and your project ID for this region ' +
          '(My Credentials → Projects). Enter them here. Huawei does not tell the accepter your CIDR: if you ' +
          'typed it wrong, correct it later and the routes follow.',
        'zh-CN':
          '记录对等连接 ID、您的 VPC 网段和 VPC ID，以及「我的凭证」中该区域的项目 ID，并在此填写。华为云不会向接收方提供您的网段：若填写有误，可稍后修改，路由会随之更新。',
      },
      {
        en:
          `Once running: in your VPC's route table add a route, destination ${d.vpcCidr}, next hop type "VPC ` +
          `peering connection", next hop ${peering?.providerPeeringId || 'the peering connection you created'}.`,
        'zh-CN':
          `运行中后：在您 VPC 的路由表中添加路由，目的地址 ${d.vpcCidr}，下一跳类型为「对等连接」，下一跳为` +
          `${peering?.providerPeeringId || '您创建的对等连接'}。`,
      },
      {
        en: `In your security group allow inbound traffic from ${d.vpcCidr}.`,
        'zh-CN': `在您的安全组中允许来自 ${d.vpcCidr} 的入方向流量。`,
      },
    ],
    commands,
    terraform,
  };
}
