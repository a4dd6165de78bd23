/**
 * Azure as Peerlink sees it (VNet peering across tenants): the customer gives the platform's multi-tenant application
 * a role on its VNet in its own tenant and enters its tenant ID and VNet; the platform checks the delegation and the
 * address space, then creates both halves of the peering; running when both are Connected and in sync.
 */
import { Type } from 'typebox';
import { defineCloud, type FormValues, type PeeringIdentity } from '../provider.js';
import { azureGuidance } from './guidance.js';
import { azureShapes, halfNameFor, normalizeGuid, normalizeVnetId } from './ids.js';
import { azureLimits } from './limits.js';

/**
 * The connection is the platform's half, named after the customer's VNet. The account is the customer's tenant: it is
 * where the platform acts (a token is per tenant), and the VNet's resource ID already names the subscription.
 */
function identify(values: FormValues): PeeringIdentity {
  const vnet = String(values.customerVpcId);
  return {
    providerPeeringId: halfNameFor(vnet),
    customerAccountId: String(values.customerAccountId),
    customerVpcId: vnet,
    customerCidrs: [],
  };
}

const fix =
  'az ad sp create --id {principal} (once per tenant), then az role assignment create --assignee {principal} ' +
  '--role "Network Contributor" --scope {scope}';

export const azure = defineCloud({
  name: 'azure',
  label: { en: 'Azure', 'zh-CN': 'Azure' },
  capabilities: {
    opens: 'platform',
    finds: 'id',
    routes: 'propagated',
    customerCidrs: 'reported',
    approvalWindow: false,
    oneCustomerNetwork: false,
  },
  account: {
    // the platform subscription that holds the deployment VNets
    accountId: azureShapes.subscriptionId,
    // the platform's multi-tenant application: a client secret or a certificate (PEM with its key); neither: workload
    // identity (AZURE_FEDERATED_TOKEN_FILE)
    credentials: Type.Object(
      {
        tenantId: Type.String({ pattern: azureShapes.tenantId.pattern.source }),
        clientId: Type.String({ pattern: azureShapes.tenantId.pattern.source }),
        clientSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
        certificate: Type.Optional(Type.String({ minLength: 1, maxLength: 16_000 })),
      },
      { additionalProperties: false },
    ),
    // the customer needs the application's ID (and its publisher tenant) to create its service principal
    publicCredentials: ['tenantId', 'clientId'],
    normalizeNetworkId: normalizeVnetId,
  },
  facts: (d) => [
    {
      key: 'platformTenantId',
      label: { en: 'Platform tenant ID', 'zh-CN': '平台租户 ID' },
      value: d.account?.tenantId ?? '',
    },
    {
      key: 'platformAppId',
      label: { en: 'Platform application (client) ID', 'zh-CN': '平台应用程序（客户端）ID' },
      value: d.account?.clientId ?? '',
    },
    { key: 'vpcId', label: { en: 'Deployment VNet resource ID', 'zh-CN': '部署 VNet 资源 ID' }, value: d.vpcId },
    {
      key: 'vpcCidr',
      label: { en: 'Deployment address space (NSG source)', 'zh-CN': '部署地址空间（网络安全组来源）' },
      value: d.vpcCidr,
    },
    { key: 'region', label: { en: 'Region of deployment', 'zh-CN': '部署所在区域' }, value: d.region },
  ],
  form: [
    {
      key: 'customerAccountId',
      label: { en: 'Tenant ID', 'zh-CN': '租户 ID' },
      hint: {
        en:
          'Your Microsoft Entra tenant ID (az account show --query tenantId), where you created the service ' +
          'principal.',
        'zh-CN': '您的 Microsoft Entra 租户 ID（az account show --query tenantId），即创建服务主体的租户。',
      },
      shape: azureShapes.tenantId,
      normalize: normalizeGuid,
    },
    {
      key: 'customerVpcId',
      label: { en: 'VNet resource ID', 'zh-CN': 'VNet 资源 ID' },
      hint: {
        en:
          'VNet → Properties → Resource ID (subscription, resource group and name), or ' +
          '<subscription ID>/<resource group>/<VNet name>.',
        'zh-CN': 'VNet → 属性 → 资源 ID（含订阅、资源组和名称），或 <订阅 ID>/<资源组>/<VNet 名称>。',
      },
      shape: azureShapes.vnetId,
      normalize: normalizeVnetId,
    },
  ],
  identify,
  guidance: azureGuidance,
  consoleUrl: () => 'https://portal.azure.com/#browse/Microsoft.Network%2FvirtualNetworks',
  messages: {
    DELEGATION_MISSING: {
      en:
        'Peerlink’s application {principal} may not peer your VNet {customerVpcId} in tenant {accountId}: ' +
        `{missing}. In your tenant run ${fix} (or assign the custom role from the steps), then submit again.`,
      zh:
        'Peerlink 的应用 {principal} 无权对等互连您租户 {accountId} 中的 VNet {customerVpcId}：{missing}。' +
        `请在您的租户中运行 ${fix}（或分配步骤中的自定义角色），然后重新提交。`,
    },
    CUSTOMER_NETWORK_NOT_FOUND: {
      en:
        'The VNet {customerVpcId} was not found in tenant {accountId}. Check its resource ID (az network vnet show ' +
        '--query id) and that the tenant ID is the one of its subscription (az account show --query tenantId).',
      zh:
        '在租户 {accountId} 中未找到 VNet {customerVpcId}。请检查其资源 ID（az network vnet show --query id），以及租户 ID ' +
        '是否为其订阅所属的租户（az account show --query tenantId）。',
    },
    PEERING_DELETED_BY_CUSTOMER: {
      en:
        'The peering {providerId} is {providerStatus}: its half on your VNet was deleted, and traffic no longer ' +
        'flows. Peerlink removes its own half; retry to create both halves again, or delete this peering.',
      zh:
        '对等互连 {providerId} 状态为 {providerStatus}：您 VNet 上的一侧已被删除，流量已中断。Peerlink 将删除平台一侧；' +
        '可重试以重新创建两侧，或删除此对等连接。',
    },
    PEERING_NO_CUSTOMER_CIDR: {
      en: 'Your VNet {providerId} has no address space Peerlink can peer with.',
      zh: '您的 VNet {providerId} 没有可用于对等互连的地址空间。',
    },
  },
  // the customer's delegation missing (no service principal, no role), or a VNet in another tenant than the one entered
  customerErrors: {
    AuthorizationFailed: 'DELEGATION_MISSING',
    LinkedAuthorizationFailed: 'DELEGATION_MISSING',
    AADSTS700016: 'DELEGATION_MISSING',
    InvalidAuthenticationTokenTenant: 'CUSTOMER_NETWORK_NOT_FOUND',
  },
  // ARM's AuthenticationFailed / InvalidAuthenticationToken, and Entra ID refusing the platform's client secret
  // (AADSTS7000215 invalid, AADSTS7000222 expired); AuthorizationFailed is the customer's missing delegation
  platformRefusals: [
    'AuthenticationFailed',
    'InvalidAuthenticationToken',
    'ExpiredAuthenticationToken',
    'invalid_client',
    'AADSTS7000215',
    'AADSTS7000222',
  ],
  rateLimits: azureLimits,
  adapter: async (options) => (await import('./adapter.js')).azureAdapter(options),
  simulation: async () => (await import('./simulation.js')).azureSimulation,
});
