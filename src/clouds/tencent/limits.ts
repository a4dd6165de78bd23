/**
 * Tencent Cloud's per-API limits, per account and region, as each API's reference states them ("A maximum of N
 * requests can be initiated per second for this API"): AttachCcnInstances and DescribeCcnAttachedInstances 100/s,
 * AcceptAttachCcnInstances and ResetAttachCcnInstances 20/s (shared/reference/provider-apis.md §4). The others we
 * call (DetachCcnInstances, DescribeCcnRoutes, DescribeVpcs) are taken at 20/s, the most common value among the VPC
 * APIs' pages (docs/CLOUDS.md). Throttled calls answer RequestLimitExceeded.
 */
import { byAction, perWindow, type Limit, type RateLimits } from '../rate-limits.js';

const buckets: Record<string, Limit> = {
  AttachCcnInstances: perWindow(100, 1),
  DescribeCcnAttachedInstances: perWindow(100, 1),
  AcceptAttachCcnInstances: perWindow(20, 1),
  ResetAttachCcnInstances: perWindow(20, 1),
  DetachCcnInstances: perWindow(20, 1),
  DescribeCcnRoutes: perWindow(20, 1),
  DescribeVpcs: perWindow(20, 1),
  other: perWindow(20, 1),
};

export const tencentLimits: RateLimits = {
  buckets,
  bucketOf: byAction(buckets),
  throttleCodes: ['RequestLimitExceeded', 'RequestLimitExceeded.UinLimitExceeded'],
};
