/**
 * Azure Resource Manager's throttling since 2024: token buckets per subscription, service principal, region and
 * kind of operation — reads 250 refilled at 25/s, writes 200 at 10/s, deletes 200 at 10/s
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling). Resource
 * providers may throttle further; none is published for Microsoft.Network peerings. A throttled call answers 429
 * (`SubscriptionRequestsThrottled`) with Retry-After.
 */
import { bucket, type RateLimits } from '../rate-limits.js';

export const azureLimits: RateLimits = {
  buckets: { reads: bucket(250, 25), writes: bucket(200, 10), deletes: bucket(200, 10) },
  bucketOf: (action) =>
    /\.(get|list\w*)$/.test(action) || action === 'token'
      ? 'reads'
      : /\.(delete|beginDelete)$/.test(action)
        ? 'deletes'
        : 'writes',
  throttleCodes: ['SubscriptionRequestsThrottled', 'TenantRequestsThrottled', 'TooManyRequests'],
};
