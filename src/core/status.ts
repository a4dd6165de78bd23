/** The peering lifecycle (PRODUCT.md §5) as data: the statuses and which may follow which. */
export const peeringStatuses = ['pending', 'awaiting-customer', 'running', 'deleting', 'deleted', 'failed'] as const;
export type PeeringStatus = (typeof peeringStatuses)[number];

/** Which status may follow which. Anything else is a bug, and the store refuses it. */
export const transitions: Readonly<Record<PeeringStatus, readonly PeeringStatus[]>> = {
  // a customer may cancel what is still in flight: the platform withdraws or rejects its side (deleting)
  pending: ['awaiting-customer', 'running', 'failed', 'deleting'],
  'awaiting-customer': ['running', 'failed', 'deleting'],
  // running → running: the customer's network changed at the cloud and its new CIDRs passed the rules
  running: ['running', 'failed', 'deleting'],
  // a retry (a new request, a new search) takes a failed peering back to pending
  failed: ['deleting', 'pending'],
  deleting: ['deleted'],
  deleted: [],
};

export function canTransition(from: PeeringStatus, to: PeeringStatus): boolean {
  return transitions[from].includes(to);
}

/** Live peerings count against quotas and CIDR overlap; a failed one no longer holds its CIDR. */
export const liveStatuses: readonly PeeringStatus[] = ['pending', 'awaiting-customer', 'running', 'deleting'];
/** Statuses the reconciler still drives toward a final state. */
export const activeStatuses: readonly PeeringStatus[] = ['pending', 'awaiting-customer', 'running', 'deleting'];
/** Statuses a customer may end with a delete (a cancel while still in flight). */
export const deletableStatuses: readonly PeeringStatus[] = ['pending', 'awaiting-customer', 'running', 'failed'];

export function isPeeringStatus(value: unknown): value is PeeringStatus {
  return typeof value === 'string' && (peeringStatuses as readonly string[]).includes(value);
}
