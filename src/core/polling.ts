/**
 * How long the reconciler waits before looking again, by what it is waiting for — named, as the Terraform providers
 * name their waiters' intervals, so the policy is read in one place.
 */
export const pollAfter = {
  /** the cloud is creating, provisioning or deleting the connection (Terraform's waiters poll every 2–5 s) */
  cloudBusy: 1_000,
  /** routes the cloud is still programming or removing */
  routesProgramming: 1_000,
  /** the customer must act on its side, with no deadline of ours */
  customerAction: 5_000,
  /** the customer must approve before a deadline: at least this often, sooner when the deadline is nearer */
  approvalAtMost: 15_000,
  /** looking for a connection the customer has not created yet */
  searching: 10_000,
  /** a running peering whose customer network changed to CIDRs the rules refuse (looked at again, not synced) */
  refusedChange: 60_000,
  /**
   * an accept the cloud applies asynchronously: how long the request may still show as awaiting acceptance before the
   * accept is taken as lost and made again (the Terraform providers' accept waiters time out after 5-10 minutes)
   */
  acceptApplying: 10 * 60_000,
  /** a phase the decision does not expect (logged; looked at again) */
  unexpected: 5_000,
} as const;
