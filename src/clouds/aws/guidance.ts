/** What the customer runs on its own AWS side, filled with this deployment's values (aws CLI and Terraform). */
import type { Locale } from '../../core/errors.js';
import { sayIn, type DeploymentFacts, type Guidance } from '../provider.js';

export function awsGuidance(
  d: DeploymentFacts,
  peering?: { providerPeeringId: string; customerVpcId: string },
  lang?: Locale,
): Guidance {
  const say = sayIn(lang);
  const pcx = peering?.providerPeeringId ?? '<pcx-id of your request>';
  const vpc = peering?.customerVpcId ?? '<your-vpc-id>';
  const commands = [
    say(
      `# 1. Request the peering from your VPC to the deployment VPC (same region, another account)`,
      `# 1. 从您的 VPC 向部署 VPC 发起对等连接请求（同一区域，另一个账号）`,
    ),
    `aws ec2 create-vpc-peering-connection --region ${d.region} --vpc-id ${vpc} \\`,
    `  --peer-owner-id ${d.platformAccountId} --peer-vpc-id ${d.vpcId} \\`,
    `  --query VpcPeeringConnection.VpcPeeringConnectionId --output text`,
    say(
      `# 2. Submit the pcx ID, your account ID and ${vpc} to Peerlink; it accepts and routes its side.`,
      `# 2. 在 Peerlink 中提交 pcx ID、您的账号 ID 和 ${vpc}；它会接受连接并配置平台侧路由。`,
    ),
    say(
      `# 3. Route the deployment CIDR through the peering in each of your route tables`,
      `# 3. 在您的每个路由表中添加经该对等连接到部署网段的路由`,
    ),
    `aws ec2 create-route --region ${d.region} --route-table-id <your-route-table-id> \\`,
    `  --destination-cidr-block ${d.vpcCidr} --vpc-peering-connection-id ${pcx}`,
    say(
      `# 4. Let the deployment reach your instances (adjust protocol and port)`,
      `# 4. 允许部署访问您的实例（按需调整协议和端口）`,
    ),
    `aws ec2 authorize-security-group-ingress --region ${d.region} --group-id <your-security-group-id> \\`,
    `  --protocol tcp --port <port> --cidr ${d.vpcCidr}`,
  ].join('\n');
  const terraform = `provider "aws" {
  region = "${d.region}"
}

variable "vpc_id" { default = "${vpc}" }
variable "route_table_ids" { type = list(string) }
variable "security_group_id" { type = string }

resource "aws_vpc_peering_connection" "peerlink_${d.id.replace(/[^A-Za-z0-9_]/g, '_')}" {
  vpc_id        = var.vpc_id
  peer_owner_id = "${d.platformAccountId}"
  peer_vpc_id   = "${d.vpcId}"
  tags = { Name = "peerlink-${d.name}" }
}

resource "aws_route" "to_deployment" {
  for_each                  = toset(var.route_table_ids)
  route_table_id            = each.value
  destination_cidr_block    = "${d.vpcCidr}"
  vpc_peering_connection_id = aws_vpc_peering_connection.peerlink_${d.id.replace(/[^A-Za-z0-9_]/g, '_')}.id
}

resource "aws_security_group_rule" "from_deployment" {
  type              = "ingress"
  security_group_id = var.security_group_id
  protocol          = "tcp"
  from_port         = 0
  to_port           = 65535
  cidr_blocks       = ["${d.vpcCidr}"]
}
`;
  return {
    steps: [
      {
        en:
          `In the AWS console (region ${d.region}) open VPC → Peering connections → Create peering connection: ` +
          `Account "Another account" = ${d.platformAccountId}, Region "This region", VPC (Accepter) = ` +
          `${d.vpcId}.`,
        'zh-CN':
          `在 AWS 控制台（区域 ${d.region}）进入 VPC → 对等连接 → 创建对等连接：账户选择"另一个账户" ` +
          `${d.platformAccountId}，区域选择"此区域"，接受方 VPC 填 ${d.vpcId}。`,
      },
      {
        en:
          'Copy the peering connection ID (pcx-…), the requester VPC owner and the requester VPC ID, and ' +
          'submit them here.',
        'zh-CN': '记录对等连接 ID（pcx-…）、请求方 VPC 所有者和请求方 VPC ID，并在此提交。',
      },
      {
        en:
          `Once running: add a route to ${d.vpcCidr} via ` +
          `${peering?.providerPeeringId ?? 'your request’s peering connection (pcx-…)'} in your VPC's route tables.`,
        'zh-CN':
          `运行中后：在您 VPC 的路由表中添加目标 ${d.vpcCidr}、下一跳为 ` +
          `${peering?.providerPeeringId ?? '您所创建请求的对等连接（pcx-…）'} 的路由。`,
      },
      {
        en: `Open your security group to inbound traffic from ${d.vpcCidr}.`,
        'zh-CN': `在您的安全组中放行来自 ${d.vpcCidr} 的入站流量。`,
      },
    ],
    commands,
    terraform,
  };
}
