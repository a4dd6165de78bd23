/**
 * How a cloud's connections work, declared by each cloud and read by the core and the reconciler — the clouds differ
 * by these flags, not by optional methods (as Kysely's dialects do).
 */
export interface Capabilities {
  /**
   * Who opens the connection. 'customer': the customer requests it in its cloud and the platform accepts it.
   * 'platform': the platform requests or creates it, and the customer approves or completes its side.
   */
  opens: 'customer' | 'platform';
  /**
   * How the platform knows which connection is the customer's. 'id': by the id the customer types (or the platform
   * assigns, where it opens). 'customer-network': found from the customer's network, while the customer's part is due.
   */
  finds: 'id' | 'customer-network';
  /**
   * 'platform': the platform adds routes to the deployment's route tables; 'propagated': the connection carries them.
   */
  routes: 'platform' | 'propagated';
  /** Where the customer's CIDRs come from: 'reported' by the cloud, or 'typed' by the customer. */
  customerCidrs: 'reported' | 'typed';
  /** Where the platform opens: the customer must approve within the approval window, or the request is withdrawn. */
  approvalWindow: boolean;
  /** The deployment's network can belong to one customer network at a time (a VPC joins a single shared network). */
  oneCustomerNetwork: boolean;
}
