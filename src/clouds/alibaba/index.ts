/** Alibaba Cloud as Peerlink sees it: the customer names its VPC (the initiator); Peerlink finds the connection. */
import { Type } from 'typebox';
import { defineCloud, identityOf } from '../provider.js';
import { alibabaGuidance } from './guidance.js';
import { alibabaShapes } from './ids.js';
import { alibabaLimits } from './limits.js';

export const alibaba = defineCloud({
  name: 'alibaba',
  label: { en: 'Alibaba Cloud', 'zh-CN': '阿里云' },
  capabilities: {
    opens: 'customer',
    finds: 'customer-network',
    routes: 'platform',
    customerCidrs: 'reported',
    approvalWindow: false,
    oneCustomerNetwork: false,
  },
  account: {
    accountId: alibabaShapes.accountId,
    credentials: Type.Object(
      {
        accessKeyId: Type.String({ minLength: 1, maxLength: 128 }),
        secretAccessKey: Type.String({ minLength: 1, maxLength: 400 }),
      },
      { additionalProperties: false },
    ),
  },
  facts: (d) => [
    {
      key: 'platformAccountId',
      label: { en: 'Accepter account ID', 'zh-CN': '接收端账号 ID' },
      value: d.platformAccountId,
    },
    { key: 'vpcId', label: { en: 'Accepter instance (deployment VPC ID)', 'zh-CN': '接收端实例' }, value: d.vpcId },
    { key: 'region', label: { en: 'Accepter region', 'zh-CN': '接收端地域' }, value: d.region },
    { key: 'vpcCidr', label: { en: 'Target CIDR (deployment VPC)', 'zh-CN': '目标网段' }, value: d.vpcCidr },
  ],
  form: [
    {
      key: 'customerVpcId',
      label: { en: 'Initiator instance (your VPC ID)', 'zh-CN': '发起端实例（您的 VPC ID）' },
      shape: alibabaShapes.vpcId,
      normalize: (raw) => raw.trim().toLowerCase(),
    },
  ],
  identify: identityOf,
  guidance: alibabaGuidance,
  consoleUrl: (region, lang) =>
    lang === 'zh-CN'
      ? `https://vpc.console.aliyun.com/vpcpeer/${region}/vpcpeers`
      : `https://vpc.console.alibabacloud.com/vpcpeer/${region}/vpcpeers`,
  messages: {
    PEERING_SEARCHING: {
      en:
        'No peer connection from VPC {customerVpcId} to the deployment VPC {deploymentVpcId} was found yet. ' +
        'Check that it was created in region {region}, cross-account, with accepter account {accountId} and ' +
        'accepter VPC {deploymentVpcId}. Peerlink keeps looking until {deadline}.',
      zh:
        '尚未找到从 VPC {customerVpcId} 到部署 VPC {deploymentVpcId} 的对等连接。请确认它创建于区域 {region}，接收端账号类型为跨账号，接收端账号 ID 为 ' +
        '{accountId}，接收端实例为 {deploymentVpcId}。Peerlink 会持续查找至 {deadline}。',
    },
    PEERING_NOT_LOCATED: {
      en:
        'No peer connection from VPC {customerVpcId} to the deployment VPC {deploymentVpcId} appeared by ' +
        '{deadline}. Check region {region}, accepter account {accountId} and accepter VPC {deploymentVpcId}, ' +
        'then submit again.',
      zh:
        '截至 {deadline} 仍未找到从 VPC {customerVpcId} 到部署 VPC {deploymentVpcId} 的对等连接。请检查区域 {region}、接收端账号 ' +
        '{accountId} 和接收端实例 {deploymentVpcId} 后重新提交。',
    },
  },
  customerErrors: {},
  // Alibaba Cloud's common errors (InvalidAccessKeyId.NotFound / .Inactive, SignatureDoesNotMatch, Forbidden.RAM)
  platformRefusals: ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'IncompleteSignature', 'Forbidden.RAM'],
  rateLimits: alibabaLimits,
  adapter: async (options) => (await import('./adapter.js')).alibabaAdapter(options),
  simulation: async () => (await import('./simulation.js')).alibabaSimulation,
});
