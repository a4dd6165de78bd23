/**
 * Huawei Cloud publishes no per-API rate limit for the VPC peering and route-table APIs (the "流控信息" pages we
 * found cover other services, all per API and per user, most at 10 per second). Assumed here, conservatively: 10
 * calls per second per API, project and region (docs/CLOUDS.md lists it as an assumption). Throttled calls answer
 * HTTP 429 with an `APIGW.0308` error.
 */
import { byAction, perWindow, type Limit, type RateLimits } from '../rate-limits.js';

const apis = [
  'ListVpcPeerings',
  'CreateVpcPeering',
  'ShowVpcPeering',
  'DeleteVpcPeering',
  'AcceptVpcPeering',
  'RejectVpcPeering',
  'ShowRouteTable',
  'UpdateRouteTable',
];

const buckets: Record<string, Limit> = {
  ...Object.fromEntries(apis.map((a) => [a, perWindow(10, 1)])),
  other: perWindow(10, 1),
};

export const huaweiLimits: RateLimits = { buckets, bucketOf: byAction(buckets), throttleCodes: ['APIGW.0308'] };
