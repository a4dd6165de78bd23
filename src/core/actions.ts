/** What a customer may do with a peering now — so the console shows the right buttons without knowing any cloud. */
import type { Capabilities } from './capabilities.js';
import { deletableStatuses, type PeeringStatus } from './status.js';

export interface PeeringActions {
  /** delete a running or failed peering, or cancel one still in flight (the platform withdraws its side) */
  delete: boolean;
  /** a failed request the platform made, or a failed search, can be tried again */
  retry: boolean;
  /** the customer typed its CIDRs, and may correct them */
  correctCidrs: boolean;
  /** look at the cloud now */
  resync: boolean;
}

export function peeringActions(
  p: { status: PeeringStatus; providerPeeringId: string },
  capabilities: Capabilities,
): PeeringActions {
  const searching = capabilities.finds === 'customer-network' && !p.providerPeeringId;
  return {
    delete: deletableStatuses.includes(p.status),
    retry: p.status === 'failed' && (capabilities.opens === 'platform' || searching),
    correctCidrs:
      capabilities.customerCidrs === 'typed' && ['pending', 'awaiting-customer', 'running'].includes(p.status),
    resync: ['pending', 'awaiting-customer', 'running', 'deleting'].includes(p.status),
  };
}
