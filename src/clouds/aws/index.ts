/**
 * AWS as Peerlink sees it: the customer requests a VPC peering, types its id; the platform verifies, accepts, routes.
 */
import { Type } from 'typebox';
import { defineCloud, identityOf } from '../provider.js';
import { awsGuidance } from './guidance.js';
import { awsShapes, normalizeAccountId, normalizeId } from './ids.js';
import { awsLimits } from './limits.js';

export const aws = defineCloud({
  name: 'aws',
  label: { en: 'AWS', 'zh-CN': 'AWS' },
  capabilities: {
    opens: 'customer',
    finds: 'id',
    routes: 'platform',
    customerCidrs: 'reported',
    approvalWindow: false,
    oneCustomerNetwork: false,
  },
  account: {
    accountId: awsShapes.accountId,
    credentials: Type.Object(
      {
        accessKeyId: Type.String({ minLength: 16, maxLength: 128 }),
        secretAccessKey: Type.String({ minLength: 1, maxLength: 400 }),
        sessionToken: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
      },
      { additionalProperties: false },
    ),
  },
  facts: (d) => [
    { key: 'region', label: { en: 'Region of deployment', 'zh-CN': '部署所在区域' }, value: d.region },
    { key: 'vpcId', label: { en: 'VPC ID of deployment', 'zh-CN': '部署 VPC ID' }, value: d.vpcId },
    { key: 'vpcCidr', label: { en: 'CIDR of deployment', 'zh-CN': '部署 VPC 网段' }, value: d.vpcCidr },
    {
      key: 'platformAccountId',
      label: { en: 'Platform account ID', 'zh-CN': '平台账号 ID' },
      value: d.platformAccountId,
    },
  ],
  form: [
    {
      key: 'providerPeeringId',
      label: { en: 'Peering connection ID', 'zh-CN': '对等连接 ID' },
      shape: awsShapes.peeringId,
      normalize: normalizeId,
    },
    {
      key: 'customerAccountId',
      label: { en: 'Requester VPC owner (account ID)', 'zh-CN': '请求方账号 ID' },
      shape: awsShapes.accountId,
      normalize: normalizeAccountId,
    },
    {
      key: 'customerVpcId',
      label: { en: 'Requester VPC ID', 'zh-CN': '请求方 VPC ID' },
      shape: awsShapes.vpcId,
      normalize: normalizeId,
    },
  ],
  identify: identityOf,
  guidance: awsGuidance,
  messages: {
    // AWS fails a request whose CIDRs overlap and shows it only to the requester: "not found" is then misleading
    PEERING_NOT_FOUND: {
      en:
        'Peering connection {providerId} was not found in region {region} for account {accountId}. If the ID is ' +
        'right: AWS hides a failed request from the accepter, most often because the requester VPC’s CIDR ' +
        'overlaps {deploymentCidr} or a reserved range. If your AWS console shows the request as Failed, delete ' +
        'it and request again from a VPC whose CIDR follows the rules; otherwise check the ID and that the ' +
        'request targets the deployment account.',
      zh:
        '在区域 {region} 的账号 {accountId} 下未找到对等连接 {providerId}。如果 ID 无误：AWS 会对接收方隐藏失败的请求，' +
        '常见原因是请求方 VPC 的网段与 {deploymentCidr} 或平台保留网段重叠。如果您的 AWS 控制台显示该请求为“失败”，' +
        '请删除它，并从网段符合规则的 VPC 重新发起请求；否则请检查 ID 以及请求的接收方账号。',
    },
  },
  consoleUrl: (region) =>
    `https://${region}.console.aws.amazon.com/vpcconsole/home?region=${region}#PeeringConnections:`,
  customerErrors: {},
  // EC2's common client errors (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html)
  platformRefusals: ['AuthFailure', 'UnauthorizedOperation', 'InvalidClientTokenId', 'SignatureDoesNotMatch'],
  rateLimits: awsLimits,
  adapter: async (options) => (await import('./adapter.js')).awsAdapter(options),
  simulation: async () => (await import('./simulation.js')).awsSimulation,
});
