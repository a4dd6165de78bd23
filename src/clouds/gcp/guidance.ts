/**
 * What the customer does on its own Google Cloud side (EMQX Platform's "GCP VPC Peering Connection": create the
 * matching peering — peered VPC network "In another project", the platform's project ID and network name — then a
 * firewall rule whose source is the deployment CIDR), as gcloud commands and Terraform, filled in.
 */
import type { Locale } from '../../core/errors.js';
import { sayIn, type DeploymentFacts, type Guidance } from '../provider.js';

export function gcpGuidance(
  d: DeploymentFacts,
  peering?: { providerPeeringId: string; customerVpcId: string; customerAccountId?: string },
  lang?: Locale,
): Guidance {
  const say = sayIn(lang);
  const project = peering?.customerAccountId || '<your-project-id>';
  const network = peering?.customerVpcId || '<your-network>';
  // the customer's half may carry the platform half's name: names are per network
  const name = peering?.providerPeeringId || `peerlink-${d.vpcId}`.slice(0, 63).replace(/-+$/, '');
  const rule = `allow-peerlink-${d.vpcId}`.slice(0, 63).replace(/-+$/, '');
  const tf = d.id.replace(/[^A-Za-z0-9_]/g, '_');
  const commands = [
    say(
      `# 1. Submit your project ID and VPC network name to Peerlink: it adds its half on ${d.vpcId}`,
      `# 1. 在 Peerlink 中提交您的项目 ID 和 VPC 网络名称：它会在 ${d.vpcId} 上添加平台侧的对等互连`,
    ),
    say(`#    (INACTIVE until yours exists)`, `#    （在您的一侧建立前为 INACTIVE）`),
    say(
      `# 2. Add the matching half on your network (peered VPC network: in another project)`,
      `# 2. 在您的网络上添加您这一侧对应的对等互连（对等 VPC 网络：位于另一个项目中）`,
    ),
    `gcloud compute networks peerings create ${name} \\`,
    `  --project=${project} --network=${network} \\`,
    `  --peer-project=${d.platformAccountId} --peer-network=${d.vpcId}`,
    say(
      `# 3. Both halves show ACTIVE; the subnet routes are exchanged by the peering itself`,
      `# 3. 两侧均显示 ACTIVE；子网路由由对等互连自动交换`,
    ),
    `gcloud compute networks peerings list --project=${project} --network=${network}`,
    say(`# 4. Allow the deployment's ${d.vpcCidr} in your firewall`, `# 4. 在您的防火墙中放行部署网段 ${d.vpcCidr}`),
    `gcloud compute firewall-rules create ${rule} \\`,
    `  --project=${project} --network=${network} --direction=INGRESS \\`,
    `  --source-ranges=${d.vpcCidr} --allow=tcp,udp,icmp`,
  ].join('\n');
  const matchingHalf = say(
    `the matching half: your network toward the deployment's (in another project)`,
    `您这一侧对应的对等互连：从您的网络指向部署的网络（位于另一个项目中）`,
  );
  const terraform = `provider "google" {
  project = "${project}"
}

variable "network" {
  type    = string
  default = "${network}"
}

# ${matchingHalf}
resource "google_compute_network_peering" "peerlink_${tf}" {
  name         = "${name}"
  network      = "projects/${project}/global/networks/\${var.network}"
  peer_network = "projects/${d.platformAccountId}/global/networks/${d.vpcId}"
}

resource "google_compute_firewall" "from_deployment_${tf}" {
  name          = "${rule}"
  network       = var.network
  direction     = "INGRESS"
  source_ranges = ["${d.vpcCidr}"]

  allow {
    protocol = "tcp"
  }
  allow {
    protocol = "udp"
  }
  allow {
    protocol = "icmp"
  }
}
`;
  return {
    steps: [
      {
        en:
          'Enter your project ID and the name of the VPC network to peer (or paste its URI). Peerlink adds the ' +
          `platform’s half of the peering on the deployment network ${d.vpcId}; it stays INACTIVE until yours exists.`,
        'zh-CN':
          `填写您的项目 ID 和要对等的 VPC 网络名称（也可粘贴网络 URI）。Peerlink 在部署网络 ${d.vpcId} 上添加平台一侧的对等连接，` +
          '在您创建对应连接之前其状态为 INACTIVE。',
      },
      {
        en:
          'In the Google Cloud console open VPC network → VPC network peering → Create connection: your network, ' +
          `Peered VPC network “In another project”, project ID ${d.platformAccountId}, VPC network name ${d.vpcId}.`,
        'zh-CN':
          '在 Google Cloud 控制台进入 VPC 网络 → VPC 网络对等互连 → 创建连接：选择您的网络，对等 VPC 网络选择「在其他项目中」，' +
          `项目 ID 填 ${d.platformAccountId}，VPC 网络名称填 ${d.vpcId}。`,
      },
      {
        en: 'When both halves match, both show ACTIVE and the subnet routes are exchanged: there is no route to add.',
        'zh-CN': '两侧配置匹配后状态均变为 ACTIVE，子网路由由对等连接自动交换，无需添加路由。',
      },
      {
        en: `Add a firewall rule (ingress) on your network allowing the source ${d.vpcCidr}.`,
        'zh-CN': `在您的网络中添加入站防火墙规则，允许来源 ${d.vpcCidr}。`,
      },
    ],
    commands,
    terraform,
  };
}
