/** What the customer does on its own Tencent Cloud side (seed: 腾讯云平台对等连接 — 云联网), filled in. */
import type { Locale } from '../../core/errors.js';
import { sayIn, type DeploymentFacts, type Guidance } from '../provider.js';

export function tencentGuidance(
  d: DeploymentFacts,
  peering?: { providerPeeringId: string; customerVpcId: string },
  lang?: Locale,
): Guidance {
  const say = sayIn(lang);
  const ccn = peering?.providerPeeringId || '<your-ccn-id>';
  const name = d.id.replace(/[^A-Za-z0-9_]/g, '_');
  const commands = [
    say(
      `# 1. Create a CCN and attach your VPC (a VPC can join only one CCN)`,
      `# 1. 创建云联网并关联您的 VPC（一个 VPC 只能加入一个云联网）`,
    ),
    `tccli vpc CreateCcn --region ${d.region} --CcnName peerlink-${d.name} --QosLevel AU`,
    `tccli vpc AttachCcnInstances --region ${d.region} --CcnId <your-ccn-id> \\`,
    `  --Instances '[{"InstanceId":"<your-vpc-id>","InstanceRegion":"${d.region}","InstanceType":"VPC"}]'`,
    say(
      `# 2. Submit the CCN ID, your account ID (UIN) and your VPC CIDR(s) to Peerlink: it asks to attach ${d.vpcId}.`,
      `# 2. 在 Peerlink 中提交云联网 ID、您的账号 ID（UIN）和 VPC 网段：它会申请关联 ${d.vpcId}。`,
    ),
    say(
      `# 3. Within the approval window, approve the request (CCN → Associated instances → Approve)`,
      `# 3. 在审批时限内同意该申请（云联网 → 关联实例 → 同意）`,
    ),
    `tccli vpc AcceptAttachCcnInstances --region ${d.region} --CcnId ${ccn} \\`,
    `  --Instances '[{"InstanceId":"${d.vpcId}","InstanceRegion":"${d.region}","InstanceType":"VPC"}]'`,
    say(
      `# 4. Check the CCN routes (the deployment's ${d.vpcCidr} must be enabled), then open your security group`,
      `# 4. 检查云联网路由（部署网段 ${d.vpcCidr} 须为启用状态），然后在安全组中放行`,
    ),
    `tccli vpc DescribeCcnRoutes --region ${d.region} --CcnId ${ccn}`,
    `tccli vpc CreateSecurityGroupPolicies --region ${d.region} --SecurityGroupId <your-sg-id> \\`,
    `  --SecurityGroupPolicySet ` +
      `'{"Ingress":[{"Protocol":"TCP","Port":"ALL","CidrBlock":"${d.vpcCidr}","Action":"ACCEPT"}]}'`,
  ].join('\n');
  const approveNote = say(
    `after submitting the CCN ID to Peerlink, approve its request for ${d.vpcId}`,
    `在 Peerlink 中提交云联网 ID 后，同意其关联 ${d.vpcId} 的申请`,
  );
  const terraform = `provider "tencentcloud" {
  region = "${d.region}"
}

variable "vpc_id" { type = string }
variable "security_group_id" { type = string }

resource "tencentcloud_ccn" "peerlink_${name}" {
  name      = "peerlink-${d.name}"
  qos       = "AU"
}

resource "tencentcloud_ccn_attachment" "own_vpc" {
  ccn_id          = tencentcloud_ccn.peerlink_${name}.id
  instance_type   = "VPC"
  instance_id     = var.vpc_id
  instance_region = "${d.region}"
}

# ${approveNote}
resource "tencentcloud_ccn_instances_accept_attach" "deployment" {
  ccn_id = tencentcloud_ccn.peerlink_${name}.id
  instances {
    instance_id     = "${d.vpcId}"
    instance_region = "${d.region}"
    instance_type   = "VPC"
  }
}

resource "tencentcloud_security_group_rule_set" "from_deployment" {
  security_group_id = var.security_group_id
  ingress {
    action     = "ACCEPT"
    cidr_block = "${d.vpcCidr}"
    protocol   = "TCP"
    port       = "ALL"
  }
}
`;
  return {
    steps: [
      {
        en:
          'In the Tencent Cloud console open Cloud Connect Network and create a CCN instance with your VPC ' +
          'associated (a VPC can join only one CCN).',
        'zh-CN': '登录腾讯云控制台，进入云联网，创建云联网实例并关联您的 VPC（一个 VPC 只能关联一个云联网）。',
      },
      {
        en:
          `Enter the CCN instance ID, the account ID (UIN) that owns it, and the CIDR of your VPC(s) in it here. ` +
          `Peerlink asks to associate the deployment VPC ${d.vpcId} with your CCN.`,
        'zh-CN':
          `在此填写云联网实例 ID、云联网所在账户 ID 以及您在该云联网中的 VPC 网段。` +
          `Peerlink 将申请把部署 VPC ${d.vpcId} 关联到您的云联网。`,
      },
      {
        en:
          `Within the approval window (10 minutes by default), open the CCN → Associated instances, find VPC ` +
          `${d.vpcId} and approve it. Otherwise the request is withdrawn and you can retry.`,
        'zh-CN': `请在审批时限内（默认 10 分钟）进入云联网 → 关联实例，找到 VPC ${d.vpcId} 并点击同意，否则申请将被撤回，您可以重试。`,
      },
      {
        en: `Once running: allow ${d.vpcCidr} in your security group.`,
        'zh-CN': `运行中后：在安全组中放行 ${d.vpcCidr}。`,
      },
    ],
    commands,
    terraform,
  };
}
