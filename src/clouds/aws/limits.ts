/**
 * EC2's request throttling: token buckets per account and Region (https://docs.aws.amazon.com/ec2/latest/devguide/
 * ec2-api-throttling.html; shared/reference/provider-apis.md §1). Non-mutating actions (Describe*) share a bucket of
 * 100 refilled at 20/s; mutating actions (CreateRoute, DeleteRoute) one of 50 at 5/s; the resource-intensive peering
 * actions — Accept, Create, Delete and RejectVpcPeeringConnection — each have a bucket of their own, 50 at 5/s.
 * Throttled calls answer RequestLimitExceeded.
 */
import { bucket, type RateLimits } from '../rate-limits.js';

const peeringActions = new Set([
  'AcceptVpcPeeringConnection',
  'CreateVpcPeeringConnection',
  'DeleteVpcPeeringConnection',
  'RejectVpcPeeringConnection',
]);

export const awsLimits: RateLimits = {
  buckets: {
    'non-mutating': bucket(100, 20),
    mutating: bucket(50, 5),
    AcceptVpcPeeringConnection: bucket(50, 5),
    CreateVpcPeeringConnection: bucket(50, 5),
    DeleteVpcPeeringConnection: bucket(50, 5),
    RejectVpcPeeringConnection: bucket(50, 5),
  },
  bucketOf: (action) =>
    peeringActions.has(action) ? action : action.startsWith('Describe') ? 'non-mutating' : 'mutating',
  throttleCodes: ['RequestLimitExceeded'],
};
