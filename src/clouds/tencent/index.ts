/** Tencent Cloud as Peerlink sees it: the customer names its CCN; the platform asks to join; the customer approves. */
import { Type } from 'typebox';
import { defineCloud, identityOf } from '../provider.js';
import { tencentGuidance } from './guidance.js';
import { tencentShapes } from './ids.js';

export const tencent = defineCloud({
  name: 'tencent',
  label: { en: 'Tencent Cloud', 'zh-CN': '腾讯云' },
  capabilities: {
    opens: 'platform',
    finds: 'id',
    routes: 'propagated',
    customerCidrs: 'reported',
    approvalWindow: true,
    oneCustomerNetwork: true,
  },
  account: {
    accountId: tencentShapes.uin,
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
      key: 'vpcId',
      label: { en: 'Deployment VPC ID (the instance asking to join your CCN)', 'zh-CN': '部署 VPC ID' },
      value: d.vpcId,
    },
    { key: 'region', label: { en: 'Region of deployment', 'zh-CN': '部署所在地域' }, value: d.region },
    {
      key: 'vpcCidr',
      label: { en: 'CIDR of deployment (security-group source)', 'zh-CN': '部署 VPC 网段' },
      value: d.vpcCidr,
    },
    {
      key: 'platformAccountId',
      label: { en: 'Platform account ID (UIN)', 'zh-CN': '平台账户 ID' },
      value: d.platformAccountId,
    },
  ],
  form: [
    {
      key: 'providerPeeringId',
      label: { en: 'CCN instance ID', 'zh-CN': '云联网实例 ID' },
      shape: tencentShapes.ccnId,
      normalize: (raw) => raw.trim().toLowerCase(),
    },
    {
      key: 'customerAccountId',
      label: { en: 'Account ID (UIN) that owns the CCN', 'zh-CN': '云联网实例所在账户 ID' },
      shape: tencentShapes.uin,
      normalize: (raw) => raw.replace(/\s/g, ''),
    },
  ],
  identify: identityOf,
  guidance: tencentGuidance,
  messages: {
    PEERING_AWAITING_CUSTOMER: {
      en:
        'Approve the request in CCN {providerId} → Associated instances: VPC {vpcId} of account {accountId}, ' +
        'before {deadline}.',
      zh: '请在 {deadline} 前进入云联网 {providerId} → 关联实例，同意账号 {accountId} 的 VPC {vpcId} 的关联申请。',
    },
    PEERING_APPROVAL_EXPIRED: {
      en:
        'The request to attach to CCN {providerId} was not approved by {deadline}; Peerlink withdrew it. Retry ' +
        'to send a new request, then approve it in time.',
      zh: '加入云联网 {providerId} 的申请未在 {deadline} 前获得同意，Peerlink 已撤回该申请。请重试以发送新申请，并及时同意。',
    },
    ROUTE_CONFLICT: {
      en:
        'Attached to CCN {providerId}, but these routes are disabled or conflict with the deployment: ' +
        '{routes}. Fix them in the CCN route table.',
      zh: '已加入云联网 {providerId}，但以下路由已禁用或与部署冲突：{routes}。请在云联网路由表中处理。',
    },
    CUSTOMER_NETWORK_NOT_FOUND: {
      en:
        'CCN {providerId} of account {accountId} was not found. Check the CCN instance ID and the account ID ' +
        '(UIN) that owns it.',
      zh: '未找到账户 {accountId} 的云联网 {providerId}，请检查云联网实例 ID 及其所在账户 ID。',
    },
    DEPLOYMENT_JOINED_ELSEWHERE: {
      en:
        'The deployment VPC {vpcId} is already attached to CCN {otherConnectionId} ({state}); a VPC can join ' +
        'only one CCN.',
      zh: '部署 VPC {vpcId} 已关联云联网 {otherConnectionId}（{state}），一个 VPC 只能关联一个云联网。',
    },
  },
  // AttachCcnInstances: the CCN (or its owner UIN) does not exist
  customerErrors: { ResourceNotFound: 'CUSTOMER_NETWORK_NOT_FOUND' },
  adapter: async (options) => (await import('./adapter.js')).tencentAdapter(options),
  simulation: async () => (await import('./simulation.js')).tencentSimulation,
});
