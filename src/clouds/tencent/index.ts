/**
 * Tencent Cloud as Peerlink sees it: the customer names its CCN, its owner and its VPC CIDRs; the platform asks to
 * join; the customer approves. The CIDRs are typed: no public source says the platform may read a CCN it does not own.
 */
import { Type } from 'typebox';
import { defineCloud, identityOf } from '../provider.js';
import { tencentGuidance } from './guidance.js';
import { tencentShapes } from './ids.js';
import { tencentLimits } from './limits.js';

export const tencent = defineCloud({
  name: 'tencent',
  label: { en: 'Tencent Cloud', 'zh-CN': '腾讯云' },
  capabilities: {
    opens: 'platform',
    finds: 'id',
    routes: 'propagated',
    customerCidrs: 'typed',
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
    {
      key: 'customerCidrs',
      label: {
        en: 'CIDR of your VPC(s) in the CCN (the platform cannot read your CCN)',
        'zh-CN': '您在云联网中的 VPC 网段（平台无法读取您的云联网，请准确填写）',
      },
      hint: {
        en: 'The IPv4 CIDR of each of your VPCs associated with the CCN, e.g. 172.16.0.0/16 — not the deployment’s.',
        'zh-CN': '填写关联到该云联网的每个 VPC 的 IPv4 网段，例如 172.16.0.0/16，不是部署的网段。',
      },
      shape: tencentShapes.cidr,
      list: true,
    },
  ],
  identify: identityOf,
  guidance: tencentGuidance,
  // CCN instances are global: the list is not per region
  consoleUrl: (_region, lang) =>
    lang === 'zh-CN' ? 'https://console.cloud.tencent.com/vpc/ccn' : 'https://console.tencentcloud.com/vpc/ccn',
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
    CUSTOMER_CIDRS_MISMATCH: {
      en:
        'The CIDRs entered ({typed}) are not all among those of the VPCs in CCN {providerId} ({reported}). Submit ' +
        'the peering again with the CIDRs of your VPCs in the CCN.',
      zh: '填写的网段（{typed}）不全在云联网 {providerId} 中您的 VPC 网段（{reported}）之内，请使用云联网中您的 VPC 网段重新提交。',
    },
    CUSTOMER_ACCOUNT_NOT_FOUND: {
      en: 'The account ID (UIN) {accountId} does not exist. Check the UIN of the account that owns CCN {providerId}.',
      zh: '账户 ID（UIN）{accountId} 不存在，请检查云联网 {providerId} 所在账户的 ID。',
    },
    CUSTOMER_NETWORK_CLOSED: {
      en:
        'CCN {providerId} does not support associating instances of other accounts, so the deployment VPC cannot ' +
        'join it. Use a CCN that allows cross-account association.',
      zh: '云联网 {providerId} 不支持跨账号关联实例，部署 VPC 无法加入，请使用支持跨账号关联的云联网。',
    },
    DEPLOYMENT_JOINED_ELSEWHERE: {
      en:
        'The deployment VPC {vpcId} is already attached to CCN {otherConnectionId} ({state}); a VPC can join ' +
        'only one CCN.',
      zh: '部署 VPC {vpcId} 已关联云联网 {otherConnectionId}（{state}），一个 VPC 只能关联一个云联网。',
    },
  },
  // AttachCcnInstances: the CCN is not the account's, the account does not exist, the CCN takes no other account's VPC
  customerErrors: {
    ResourceNotFound: 'CUSTOMER_NETWORK_NOT_FOUND',
    'UnsupportedOperation.UinNotFound': 'CUSTOMER_ACCOUNT_NOT_FOUND',
    'UnsupportedOperation.CcnCrossAccount': 'CUSTOMER_NETWORK_CLOSED',
  },
  // API 3.0's common error family AuthFailure (SecretIdNotFound, SignatureFailure, UnauthorizedOperation …)
  platformRefusals: ['AuthFailure'],
  rateLimits: tencentLimits,
  adapter: async (options) => (await import('./adapter.js')).tencentAdapter(options),
  simulation: async () => (await import('./simulation.js')).tencentSimulation,
});
