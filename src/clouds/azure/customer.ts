/**
 * The customer's side of Azure — what `az` would send from the customer's tenant: through the official client, change
 * its VNet's address space, list the peering halves on it and delete one; and, where Microsoft Graph and
 * Microsoft.Authorization (outside @azure/arm-network) would be called, the simulator's control API: create the
 * platform application's service principal and assign it a role. Used by `peerlink sim azure …`, the demo and tests.
 */
import { vnetRef } from './ids.js';
import { armClient, credentialFor, type AppCredentials, type NetworkManagementClient } from './sdk.js';

export interface AzureCustomerOptions {
  /** the simulator's ARM endpoint (`<simulator>/azure`) */
  endpoint: string;
  /** the customer's own administrator application in its tenant */
  app: AppCredentials;
}

export interface HalfView {
  name: string;
  state: string;
  sync: string;
  remote: string;
}

export class AzureCustomer {
  private readonly clients = new Map<string, NetworkManagementClient>();

  constructor(private readonly o: AzureCustomerOptions) {}

  get tenantId(): string {
    return this.o.app.tenantId;
  }

  private client(vnetId: string): NetworkManagementClient {
    const sub = vnetRef(vnetId).subscriptionId;
    let c = this.clients.get(sub);
    if (!c) {
      const credential = credentialFor(this.o.app, this.o.app.tenantId, this.o.endpoint);
      this.clients.set(sub, (c = armClient({ endpoint: this.o.endpoint, subscriptionId: sub, credential })));
    }
    return c;
  }

  private async control(op: string, body: Record<string, unknown>): Promise<void> {
    const url = `${this.o.endpoint.replace(/\/azure\/?$/, '')}/_sim/azure/${op}`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${op}: ${await res.text()}`);
  }

  /** `az ad sp create --id <appId>` in the customer's tenant. */
  createServicePrincipal(appId: string): Promise<void> {
    return this.control('service-principal', { tenantId: this.tenantId, appId });
  }

  /** `az role assignment create --assignee <appId> --role <role> --scope <scope>` in the customer's tenant. */
  assignRole(appId: string, role: string, scope: string): Promise<void> {
    return this.control('role-assignment', { tenantId: this.tenantId, appId, role, scope });
  }

  /** `az role definition create`: a custom role with these actions. */
  defineRole(name: string, actions: readonly string[]): Promise<void> {
    return this.control('role-definition', { name, actions });
  }

  /** `az network vnet update --address-prefixes …` */
  async setAddressSpace(vnetId: string, prefixes: string[]): Promise<void> {
    const v = vnetRef(vnetId);
    const c = this.client(vnetId);
    const current = await c.virtualNetworks.get(v.resourceGroup, v.name);
    await c.virtualNetworks.beginCreateOrUpdateAndWait(v.resourceGroup, v.name, {
      location: current.location,
      addressSpace: { addressPrefixes: prefixes },
    });
  }

  /** `az network vnet peering list` */
  async halves(vnetId: string): Promise<HalfView[]> {
    const v = vnetRef(vnetId);
    const out: HalfView[] = [];
    for await (const p of this.client(vnetId).virtualNetworkPeerings.list(v.resourceGroup, v.name))
      out.push({
        name: p.name ?? '',
        state: p.peeringState ?? '',
        sync: p.peeringSyncLevel ?? '',
        remote: p.remoteVirtualNetwork?.id ?? '',
      });
    return out;
  }

  /** `az network vnet peering delete` */
  async deleteHalf(vnetId: string, name: string): Promise<void> {
    const v = vnetRef(vnetId);
    await this.client(vnetId).virtualNetworkPeerings.beginDeleteAndWait(v.resourceGroup, v.name, name, {
      updateIntervalInMs: 100,
    });
  }
}
