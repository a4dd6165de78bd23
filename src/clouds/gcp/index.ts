/**
 * Google Cloud as Peerlink sees it (VPC Network Peering): the customer names its project and VPC network; the platform
 * adds its half of the peering on the deployment network; the customer adds the matching half; ACTIVE when both match.
 */
import { Type } from 'typebox';
import { RefusalError, refusal } from '../../core/errors.js';
import { defineCloud, type FormValues, type PeeringIdentity } from '../provider.js';
import { gcpGuidance } from './guidance.js';
import { gcpShapes, normalizeNetwork, normalizeProject, parseNetworkUri, peeringNameFor } from './ids.js';
import { gcpLimits } from './limits.js';

const networkLabel = { en: 'VPC network name', 'zh-CN': 'VPC 网络名称' };

/** Project and network from the form; a network URI names its project, which must be the one entered. */
function identify(values: FormValues): PeeringIdentity {
  const project = String(values.customerAccountId);
  const raw = String(values.customerVpcId);
  const uri = parseNetworkUri(raw);
  if (uri && uri.project !== project) {
    throw new RefusalError(
      refusal('ID_MALFORMED', {
        fieldKey: 'customerVpcId',
        field: networkLabel.en,
        fieldZh: networkLabel['zh-CN'],
        value: raw,
        expected: `a network of project ${project} (the project ID entered)`,
        expectedZh: `项目 ${project}（所填项目 ID）中的网络`,
      }),
      'gcp',
    );
  }
  const network = uri?.network ?? raw;
  return {
    providerPeeringId: peeringNameFor({ project, network }),
    customerAccountId: project,
    customerVpcId: network,
    customerCidrs: [],
  };
}

export const gcp = defineCloud({
  name: 'gcp',
  label: { en: 'Google Cloud', 'zh-CN': '谷歌云' },
  capabilities: {
    opens: 'platform',
    finds: 'id',
    routes: 'propagated',
    customerCidrs: 'reported',
    approvalWindow: false,
    oneCustomerNetwork: false,
  },
  account: {
    accountId: gcpShapes.projectId,
    // a service-account key file's fields; Peerlink signs with client_email + private_key (+ private_key_id)
    credentials: Type.Object(
      {
        client_email: Type.String({ minLength: 3, maxLength: 320 }),
        private_key: Type.String({ minLength: 1, maxLength: 8_000 }),
        private_key_id: Type.Optional(Type.String({ maxLength: 128 })),
        type: Type.Optional(Type.String({ maxLength: 64 })),
        project_id: Type.Optional(Type.String({ maxLength: 128 })),
        client_id: Type.Optional(Type.String({ maxLength: 128 })),
        auth_uri: Type.Optional(Type.String({ maxLength: 512 })),
        token_uri: Type.Optional(Type.String({ maxLength: 512 })),
        auth_provider_x509_cert_url: Type.Optional(Type.String({ maxLength: 512 })),
        client_x509_cert_url: Type.Optional(Type.String({ maxLength: 512 })),
        universe_domain: Type.Optional(Type.String({ maxLength: 128 })),
      },
      { additionalProperties: false },
    ),
  },
  facts: (d) => [
    {
      key: 'platformAccountId',
      label: { en: 'Platform project ID (peer project)', 'zh-CN': '平台项目 ID（对等项目）' },
      value: d.platformAccountId,
    },
    {
      key: 'vpcId',
      label: { en: 'Deployment VPC network name (peer network)', 'zh-CN': '部署 VPC 网络名称（对等网络）' },
      value: d.vpcId,
    },
    {
      key: 'vpcCidr',
      label: { en: 'Deployment CIDR (firewall source)', 'zh-CN': '部署网段（防火墙来源）' },
      value: d.vpcCidr,
    },
    { key: 'region', label: { en: 'Region of deployment', 'zh-CN': '部署所在区域' }, value: d.region },
  ],
  form: [
    {
      key: 'customerAccountId',
      label: { en: 'Project ID', 'zh-CN': '项目 ID' },
      hint: {
        en: 'The ID of the project that owns your VPC network (not its name or number).',
        'zh-CN': '您的 VPC 网络所在项目的 ID（不是项目名称或项目编号）。',
      },
      shape: gcpShapes.projectId,
      normalize: normalizeProject,
    },
    {
      key: 'customerVpcId',
      label: networkLabel,
      hint: {
        en: 'The name of your VPC network, or its URI (projects/<project>/global/networks/<name>).',
        'zh-CN': '您的 VPC 网络名称，或其 URI（projects/<项目>/global/networks/<名称>）。',
      },
      shape: gcpShapes.network,
      normalize: normalizeNetwork,
    },
  ],
  identify,
  guidance: gcpGuidance,
  consoleUrl: () => 'https://console.cloud.google.com/networking/peering/list',
  messages: {
    PEERING_AWAITING_CUSTOMER: {
      en:
        'Peerlink added its half, {providerId}, on network {vpcId} (INACTIVE). Create the matching half in your ' +
        'project {customerAccountId}: VPC network peering → Create connection → your network {customerVpcId}, ' +
        'Peered VPC network “In another project”, project ID {accountId}, VPC network name {vpcId} — or run ' +
        'gcloud compute networks peerings create {providerId} --project={customerAccountId} ' +
        '--network={customerVpcId} --peer-project={accountId} --peer-network={vpcId}',
      zh:
        'Peerlink 已在网络 {vpcId} 上添加平台一侧的对等连接 {providerId}（INACTIVE）。请在您的项目 {customerAccountId} 中创建对应连接：' +
        'VPC 网络对等互连 → 创建连接 → 您的网络 {customerVpcId}，对等 VPC 网络选择「在其他项目中」，项目 ID {accountId}，' +
        'VPC 网络名称 {vpcId}；或运行 gcloud compute networks peerings create {providerId} ' +
        '--project={customerAccountId} --network={customerVpcId} --peer-project={accountId} --peer-network={vpcId}',
    },
    PEERING_DELETED_BY_CUSTOMER: {
      en:
        'The peering {providerId} is {providerStatus} again: the matching half in your project was removed, and ' +
        'traffic no longer flows. Peerlink removes its half; retry to add it again once yours is back, or delete ' +
        'this peering.',
      zh:
        '对等连接 {providerId} 再次变为 {providerStatus}：您项目中的对应连接已被删除，流量已中断。Peerlink 将移除平台一侧的连接；' +
        '恢复您一侧后可重试以重新添加，或删除此对等连接。',
    },
    ROUTE_CONFLICT: {
      en: 'The peering {providerId} is ACTIVE, but these of your subnet routes are not imported: {routes}.',
      zh: '对等连接 {providerId} 已为 ACTIVE，但您的以下子网路由未被导入：{routes}。',
    },
    PEERING_NO_CUSTOMER_CIDR: {
      en: 'The peering {providerId} is ACTIVE but imports no subnet route from your network: add a subnet to it.',
      zh: '对等连接 {providerId} 已为 ACTIVE，但未从您的网络导入任何子网路由：请在您的网络中添加子网。',
    },
  },
  // a half toward a network that does not exist is simply INACTIVE (NetworkPeering.state): no code means "typo"
  customerErrors: {},
  // Google's HTTP 401/403 answers: reason authError / forbidden, status UNAUTHENTICATED / PERMISSION_DENIED
  // (and invalidCredentials: the adapter's name for a service-account key that cannot sign)
  platformRefusals: [
    'authError',
    'forbidden',
    'insufficientPermissions',
    'UNAUTHENTICATED',
    'PERMISSION_DENIED',
    'invalidCredentials',
  ],
  rateLimits: gcpLimits,
  adapter: async (options) => (await import('./adapter.js')).gcpAdapter(options),
  simulation: async () => (await import('./simulation.js')).gcpSimulation,
});
