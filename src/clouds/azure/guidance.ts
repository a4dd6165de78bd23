/**
 * What the customer does on its own Azure side (the managed-service pattern of Atlas, Redpanda and Aiven): create a
 * service principal for the platform's multi-tenant application in its tenant, and give it a role on its VNet that
 * allows peering — a custom role with exactly the peering actions, or Network Contributor — then enter its tenant ID
 * and VNet; the platform creates both halves. Then a network security rule admitting the deployment's address space.
 * As az CLI commands and Terraform, filled in.
 */
import type { Locale } from '../../core/errors.js';
import { sayIn, type DeploymentFacts, type Guidance } from '../provider.js';
import { requiredActions } from './actions.js';
import { parseVnetId } from './ids.js';

export function azureGuidance(
  d: DeploymentFacts,
  peering?: { providerPeeringId: string; customerVpcId: string; customerAccountId?: string },
  lang?: Locale,
): Guidance {
  const say = sayIn(lang);
  const appId = d.account?.clientId ?? '<platform-application-id>';
  const platformTenant = d.account?.tenantId ?? '<platform-tenant-id>';
  const vnet = peering?.customerVpcId ? parseVnetId(peering.customerVpcId) : null;
  const subscription = vnet?.subscriptionId ?? '<your-subscription-id>';
  const group = vnet?.resourceGroup ?? '<your-resource-group>';
  const name = vnet?.name ?? '<your-vnet>';
  const scope =
    `/subscriptions/${subscription}/resourceGroups/${group}` + `/providers/Microsoft.Network/virtualNetworks/${name}`;
  const role = 'Peerlink VNet peering';
  const roleJson = JSON.stringify({
    Name: role,
    Description: 'Lets the Peerlink platform application peer this VNet with a deployment VNet',
    Actions: requiredActions,
    AssignableScopes: [`/subscriptions/${subscription}`],
  });
  const tf = d.id.replace(/[^A-Za-z0-9_]/g, '_');
  const commands = [
    say(
      `# 1. Let the platform's application act in your tenant (once per tenant)`,
      `# 1. 允许平台的应用在您的租户中操作（每个租户一次）`,
    ),
    `az ad sp create --id ${appId}`,
    say(
      `# 2. Give it a role on your VNet that allows peering: a custom role with the peering actions …`,
      `# 2. 在您的 VNet 上授予它允许对等互连的角色：仅含对等互连操作的自定义角色……`,
    ),
    `az role definition create --role-definition '${roleJson}'`,
    `az role assignment create --assignee ${appId} --role "${role}" \\`,
    `  --scope ${scope}`,
    say(
      `#    … or the built-in Network Contributor on the VNet`,
      `#    ……或 VNet 上的内置角色 Network Contributor（网络参与者）`,
    ),
    `# az role assignment create --assignee ${appId} --role "Network Contributor" --scope ${scope}`,
    say(
      `# 3. What to enter in Peerlink: your tenant ID and the VNet's resource ID`,
      `# 3. 在 Peerlink 中填写：您的租户 ID 和 VNet 的资源 ID`,
    ),
    `az account show --query tenantId -o tsv`,
    `az network vnet show --resource-group ${group} --name ${name} --query id -o tsv`,
    say(
      `# 4. Peerlink creates both halves; both show Connected and FullyInSync, and the routes come with the peering`,
      `# 4. Peerlink 创建两侧对等互连；两侧均显示 Connected 和 FullyInSync，路由随对等互连自动生效`,
    ),
    `az network vnet peering list --resource-group ${group} --vnet-name ${name} \\`,
    `  --query "[].{name:name, state:peeringState, sync:peeringSyncLevel}" -o table`,
    say(
      `# 5. Admit the deployment's ${d.vpcCidr} in the network security group of your subnets`,
      `# 5. 在您子网的网络安全组中放行部署网段 ${d.vpcCidr}`,
    ),
    `az network nsg rule create --resource-group ${group} --nsg-name <your-nsg> --name allow-peerlink \\`,
    `  --priority 200 --direction Inbound --access Allow --source-address-prefixes ${d.vpcCidr}`,
  ].join('\n');
  const terraform = `provider "azurerm" {
  features {}
  subscription_id = "${subscription}"
}

# ${say(`the platform's multi-tenant application, in your tenant`, `平台的多租户应用，位于您的租户中`)} (az ad sp create --id ${appId})
resource "azuread_service_principal" "peerlink" {
  client_id = "${appId}"
}

data "azurerm_virtual_network" "peered" {
  name                = "${name}"
  resource_group_name = "${group}"
}

resource "azurerm_role_definition" "peerlink_peering" {
  name  = "${role}"
  scope = "/subscriptions/${subscription}"

  permissions {
    actions = [
${requiredActions.map((a) => `      "${a}",`).join('\n')}
    ]
  }
  assignable_scopes = ["/subscriptions/${subscription}"]
}

resource "azurerm_role_assignment" "peerlink_${tf}" {
  scope              = data.azurerm_virtual_network.peered.id
  role_definition_id = azurerm_role_definition.peerlink_peering.role_definition_resource_id
  principal_id       = azuread_service_principal.peerlink.object_id
}

# ${say(`the deployment's ${d.vpcCidr} admitted to your subnets`, `放行部署网段 ${d.vpcCidr} 访问您的子网`)}
resource "azurerm_network_security_rule" "from_deployment_${tf}" {
  name                        = "allow-peerlink"
  resource_group_name         = "${group}"
  network_security_group_name = "<your-nsg>"
  priority                    = 200
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "${d.vpcCidr}"
  destination_address_prefix  = "*"
}
`;
  return {
    steps: [
      {
        en:
          `In your tenant, create a service principal for the platform’s application ${appId} (published by tenant ` +
          `${platformTenant}): az ad sp create --id ${appId}, or Microsoft Entra ID → Enterprise applications.`,
        'zh-CN':
          `在您的租户中为平台应用 ${appId}（发布租户 ${platformTenant}）创建服务主体：az ad sp create --id ${appId}，` +
          '或在 Microsoft Entra ID → 企业应用中添加。',
      },
      {
        en:
          'Give it a role on your VNet that allows peering: a custom role with the peering actions (below), or ' +
          'Network Contributor — scope: the VNet (Access control (IAM) → Add role assignment).',
        'zh-CN':
          '为其在您的 VNet 上分配允许对等互连的角色：包含下方对等互连操作的自定义角色，或「网络参与者」，作用域为该 VNet' +
          '（访问控制 (IAM) → 添加角色分配）。',
      },
      {
        en:
          'Enter your tenant ID and the VNet’s resource ID (VNet → Properties → Resource ID). Peerlink checks the ' +
          'role first, then your address space, then creates both halves of the peering.',
        'zh-CN':
          '填写您的租户 ID 和 VNet 的资源 ID（VNet → 属性 → 资源 ID）。Peerlink 会先检查授权，再检查您的地址空间，然后创建对等互连的两侧。',
      },
      {
        en:
          'When both halves are Connected and FullyInSync the routes are exchanged by the peering: there is no ' +
          `route to add. Admit ${d.vpcCidr} in the network security group of your subnets.`,
        'zh-CN': `两侧均为 Connected 且 FullyInSync 后，路由由对等互连自动交换，无需添加路由。请在子网的网络安全组中允许 ${d.vpcCidr}。`,
      },
    ],
    commands,
    terraform,
  };
}
