/**
 * Alibaba Cloud's API rate limits, per API, region and account (ParentUid): every VpcPeer 2022-01-01 action we call
 * allows 360 calls per 60 s (help.aliyun.com "api-vpcpeer-2022-01-01-quota": AcceptVpcPeerConnection,
 * CreateVpcPeerConnection, DeleteVpcPeerConnection, GetVpcPeerConnectionAttribute, ListVpcPeerConnections,
 * RejectVpcPeerConnection). For the route entries (VPC 2016-04-28) the quota page we read lists ModifyRouteEntry at
 * 300 per 60 s and does not show CreateRouteEntry, DeleteRouteEntry or DescribeRouteEntryList: they are taken at
 * the same 300 per 60 s (docs/CLOUDS.md marks it as inferred). Throttled calls answer a `Throttling…` code.
 */
import { byAction, perWindow, type Limit, type RateLimits } from '../rate-limits.js';

const vpcPeer = [
  'AcceptVpcPeerConnection',
  'CreateVpcPeerConnection',
  'DeleteVpcPeerConnection',
  'GetVpcPeerConnectionAttribute',
  'ListVpcPeerConnections',
  'RejectVpcPeerConnection',
];
const routes = ['CreateRouteEntry', 'DeleteRouteEntry', 'DescribeRouteEntryList', 'DescribeVpcs'];

const buckets: Record<string, Limit> = {
  ...Object.fromEntries(vpcPeer.map((a) => [a, perWindow(360, 60)])),
  ...Object.fromEntries(routes.map((a) => [a, perWindow(300, 60)])),
  other: perWindow(300, 60),
};

export const alibabaLimits: RateLimits = {
  buckets,
  bucketOf: byAction(buckets),
  throttleCodes: ['Throttling'],
};
