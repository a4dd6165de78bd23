/**
 * Compute Engine's rate quotas, per project and per minute (https://cloud.google.com/compute/api-quota): global
 * `*.get`/`*.list` methods count against "Read requests" (1,500 per minute), global mutations such as
 * `networks.addPeering` and `removePeering` against "Queries" (1,500 per minute); operation polling is taken as its
 * own group at the same 1,500 (docs/CLOUDS.md). Quotas refill at the start of each minute; a call over it answers
 * 403 `rateLimitExceeded` (the simulator answers 429, as Compute does for some methods).
 */
import { perWindow, type RateLimits } from '../rate-limits.js';

export const gcpLimits: RateLimits = {
  buckets: { reads: perWindow(1_500, 60), writes: perWindow(1_500, 60), operations: perWindow(1_500, 60) },
  bucketOf: (action) =>
    action.startsWith('globalOperations.') ? 'operations' : /\.(get|list\w*)$/.test(action) ? 'reads' : 'writes',
  throttleCodes: ['rateLimitExceeded', 'userRateLimitExceeded'],
};
