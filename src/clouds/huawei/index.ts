/**
 * Huawei Cloud as Peerlink sees it: the customer requests, types the peering, its VPC, CIDR and project; Peerlink
 * accepts.
 */
import { Type } from 'typebox';
import { defineCloud, identityOf } from '../provider.js';
import { huaweiGuidance } from './guidance.js';
import { huaweiShapes } from './ids.js';
import { huaweiLimits } from './limits.js';

const lower = (raw: string) => raw.trim().toLowerCase();

export const huawei = defineCloud({
  name: 'huawei',
  label: { en: 'Huawei Cloud', 'zh-CN': '华为云' },
  capabilities: {
    opens: 'customer',
    finds: 'id',
    routes: 'platform',
    customerCidrs: 'typed',
    approvalWindow: false,
    oneCustomerNetwork: false,
  },
  account: {
    accountId: huaweiShapes.projectId,
    credentials: Type.Object(
      {
        accessKeyId: Type.String({ minLength: 1, maxLength: 128 }),
        secretAccessKey: Type.String({ minLength: 1, maxLength: 400 }),
      },
      { additionalProperties: false },
    ),
  },
  facts: (d) => [
    { key: 'vpcId', label: { en: 'Deployment VPC ID', 'zh-CN': '部署 VPC ID' }, value: d.vpcId },
    {
      key: 'platformAccountId',
      label: { en: 'Platform account (project) ID', 'zh-CN': '平台账户 ID（对端项目 ID）' },
      value: d.platformAccountId,
    },
    { key: 'vpcCidr', label: { en: 'Deployment VPC CIDR', 'zh-CN': '部署 VPC 网段' }, value: d.vpcCidr },
    { key: 'region', label: { en: 'Region', 'zh-CN': '区域' }, value: d.region },
  ],
  form: [
    {
      key: 'providerPeeringId',
      label: { en: 'Peering connection ID', 'zh-CN': '对等连接 ID' },
      shape: huaweiShapes.peeringId,
      normalize: lower,
    },
    {
      key: 'customerCidrs',
      label: {
        en: 'Your VPC CIDR (Huawei does not report it to the accepter)',
        'zh-CN': 'VPC 网段（华为云不向接收方提供，请准确填写）',
      },
      shape: huaweiShapes.cidr,
      list: true,
    },
    {
      key: 'customerVpcId',
      label: { en: 'Your VPC ID', 'zh-CN': 'VPC ID' },
      shape: huaweiShapes.vpcId,
      normalize: lower,
    },
    {
      key: 'customerAccountId',
      label: { en: 'Your project ID (My Credentials)', 'zh-CN': '项目 ID（我的凭证 → 项目列表）' },
      hint: {
        en:
          'The project ID of the region, under My Credentials → Projects — not the user ID or account ID shown ' +
          'above it.',
        'zh-CN': '填写「我的凭证 → 项目列表」中该区域的项目 ID，不是其上方显示的用户 ID 或账号 ID。',
      },
      shape: huaweiShapes.projectId,
      normalize: lower,
    },
  ],
  identify: identityOf,
  guidance: huaweiGuidance,
  messages: {},
  consoleUrl: (region, lang) =>
    lang === 'zh-CN'
      ? `https://console.huaweicloud.com/vpc/?region=${region}#/vpc/peerings`
      : `https://console-intl.huaweicloud.com/vpc/?region=${region}&locale=en-us#/vpc/peerings`,
  customerErrors: {},
  // API Gateway's authentication error (APIGW.0301, HTTP 401 "Incorrect IAM authentication information") — Huawei
  // Cloud's "API Gateway error codes" page; docs/CLOUDS.md
  platformRefusals: ['APIGW.0301'],
  rateLimits: huaweiLimits,
  adapter: async (options) => (await import('./adapter.js')).huaweiAdapter(options),
  simulation: async () => (await import('./simulation.js')).huaweiSimulation,
});
