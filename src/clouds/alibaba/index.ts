/** Alibaba Cloud as Peerlink sees it: the customer names its VPC (the initiator); Peerlink finds the connection. */
import type { CloudModule } from '../provider.js';
import { AlibabaAdapter } from './adapter.js';
import { alibabaGuidance } from './guidance.js';
import { alibabaShapes } from './ids.js';

export function alibabaCloud(adapter = new AlibabaAdapter()): CloudModule {
  return {
    name: 'alibaba',
    adapter,
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
        label: { en: 'Initiator instance (your VPC ID)', 'zh-CN': '发起端实例' },
        shape: alibabaShapes.vpcId,
      },
    ],
    guidance: alibabaGuidance,
  };
}
