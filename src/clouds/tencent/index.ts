/** Tencent Cloud as Peerlink sees it: the customer names its CCN; the platform asks to join; the customer approves. */
import type { CloudModule } from '../provider.js';
import { TencentAdapter } from './adapter.js';
import { tencentGuidance } from './guidance.js';
import { tencentShapes } from './ids.js';

export function tencentCloud(adapter = new TencentAdapter()): CloudModule {
  return {
    name: 'tencent',
    adapter,
    initiator: 'platform',
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
      },
      {
        key: 'customerAccountId',
        label: { en: 'Account ID (UIN) that owns the CCN', 'zh-CN': '云联网实例所在账户 ID' },
        shape: tencentShapes.uin,
      },
    ],
    guidance: tencentGuidance,
  };
}
