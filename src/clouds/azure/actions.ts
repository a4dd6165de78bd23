/**
 * What the platform's application needs on the customer's VNet to peer it: read it, read, write and delete the
 * peering halves on it, and peer with it (the remote side of the platform's own half). The custom role in the
 * guidance grants exactly these; the precheck asks Microsoft.Authorization for them before anything is created.
 */
export const requiredActions = [
  'Microsoft.Network/virtualNetworks/read',
  'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/read',
  'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write',
  'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/delete',
  'Microsoft.Network/virtualNetworks/peer/action',
] as const;

/** Whether an action is granted by a role's action pattern (`*` matches any run of characters; case-insensitive). */
export function grants(pattern: string, action: string): boolean {
  const re = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${re}$`, 'i').test(action);
}
