/** AWS as Peerlink sees it: the adapter, the console's facts and form, and the customer-side guidance. */
import type { CloudModule } from '../provider.js';
import { AwsAdapter } from './adapter.js';
import { awsGuidance } from './guidance.js';
import { awsShapes } from './ids.js';

export function awsCloud(adapter = new AwsAdapter()): CloudModule {
  return {
    name: 'aws',
    adapter,
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
      },
      {
        key: 'customerAccountId',
        label: { en: 'Requester VPC owner (account ID)', 'zh-CN': '请求方账号 ID' },
        shape: awsShapes.accountId,
      },
      { key: 'customerVpcId', label: { en: 'Requester VPC ID', 'zh-CN': '请求方 VPC ID' }, shape: awsShapes.vpcId },
    ],
    guidance: awsGuidance,
  };
}
