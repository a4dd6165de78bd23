/** Huawei Cloud as Peerlink sees it: the customer requests, types the peering, its VPC, CIDR and project; Peerlink accepts. */
import type { CloudModule } from '../provider.js';
import { HuaweiAdapter } from './adapter.js';
import { huaweiGuidance } from './guidance.js';
import { huaweiShapes } from './ids.js';

export function huaweiCloud(adapter = new HuaweiAdapter()): CloudModule {
  return {
    name: 'huawei',
    adapter,
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
      },
      {
        key: 'customerCidrs',
        label: {
          en: 'Your VPC CIDR (Huawei does not report it to the accepter)',
          'zh-CN': 'VPC 网段（华为云不向接收方提供，请准确填写）',
        },
        shape: huaweiShapes.cidr,
      },
      { key: 'customerVpcId', label: { en: 'Your VPC ID', 'zh-CN': 'VPC ID' }, shape: huaweiShapes.vpcId },
      {
        key: 'customerAccountId',
        label: { en: 'Your project ID (My Credentials)', 'zh-CN': '用户 ID（我的凭证中的项目 ID）' },
        shape: huaweiShapes.projectId,
      },
    ],
    guidance: huaweiGuidance,
  };
}
