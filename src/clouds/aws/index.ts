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
  messages: {},
  customerErrors: {},
  rateLimits: awsLimits,
  adapter: async (options) => (await import('./adapter.js')).awsAdapter(options),
  simulation: async () => (await import('./simulation.js')).awsSimulation,
});
