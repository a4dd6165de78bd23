/**
 * The Azure simulator's state and semantics for VNet peering across tenants: Entra tenants with applications, their
 * service principals and client secrets; subscriptions, resource groups and VNets with address spaces; role
 * assignments that decide who may read a VNet and peer with it; peering halves with peeringState and
 * peeringSyncLevel; and the asynchronous operations that create and delete them. Each behaviour names its source; an
 * assumption not verified against the cloud says so.
 *
 * - A peering has a half on each VNet; each call creates one. A half is `Initiated` until the other VNet has a half
 *   pointing back, then both are `Connected`; deleting one half leaves the other `Disconnected`, and a Disconnected
 *   half must be deleted and created again ("The peering is not successfully established until the peering status
 *   for both virtual network peerings is Connected" — virtual-network-manage-peering.md; states: azure-mgmt-network
 *   VirtualNetworkPeeringState). Creating a half toward a VNet whose half toward us is Disconnected is refused
 *   (`RemotePeeringIsDisconnected`).
 * - Writing a half needs `…/virtualNetworkPeerings/write` on the local VNet and `Microsoft.Network/virtualNetworks/
 *   peer/action` on the remote one; a remote VNet in another tenant is checked with a token for that tenant from
 *   `x-ms-authorization-auxiliary` (ARM, authenticate-multi-tenant), else `LinkedAuthorizationFailed`.
 * - Address spaces of peered VNets may not overlap (`VnetAddressSpacesOverlap`). A VNet's address space may change
 *   while peered; each half keeps the remote space it last synced (`remoteAddressSpace`) beside the remote's current
 *   one (`remoteVirtualNetworkAddressSpace`): a half whose copy is stale is `LocalNotInSync`, a half whose remote's
 *   copy of this VNet is stale is `RemoteNotInSync`, both `LocalAndRemoteNotInSync`; a PUT with
 *   `syncRemoteAddressSpace=true` refreshes the copy (KnownVirtualNetworkPeeringLevel; VirtualNetworkPeeringSync.json
 *   in azure-rest-api-specs). Which half shows which level is the simulator's reading of the names, not verified.
 * - A token is issued by a tenant to an application that has a service principal there (else AADSTS700016) for the
 *   right secret (else AADSTS7000215); ARM refuses a token of another tenant than the subscription's
 *   (`InvalidAuthenticationTokenTenant`) and an action no role grants (`AuthorizationFailed`) before it looks for the
 *   resource, so a VNet the caller may not read answers 403 whether it exists or not.
 * - One write at a time per VNet (`AnotherOperationInProgress`, 409: assumed, ARM's wording for a busy resource).
 *
 * Over 300 lines on purpose: one cloud's rules in one place, read top to bottom.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { overlaps, parseIpv4Cidr } from '../../core/cidr.js';
import { grants } from './actions.js';
import { normalizeVnetId, vnetId, type VnetRef } from './ids.js';

export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Built-in roles (their actions as Azure lists them, shortened to what the network calls need) and custom ones. */
const builtInRoles: Record<string, string[]> = {
  Owner: ['*'],
  Contributor: ['*'],
  'Network Contributor': ['Microsoft.Network/*', 'Microsoft.Resources/subscriptions/resourceGroups/read'],
  Reader: ['*/read'],
};

export const peeringActions = {
  readVnet: 'Microsoft.Network/virtualNetworks/read',
  writeVnet: 'Microsoft.Network/virtualNetworks/write',
  read: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/read',
  write: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write',
  delete: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/delete',
  peer: 'Microsoft.Network/virtualNetworks/peer/action',
} as const;

export interface App {
  clientId: string;
  homeTenant: string;
  secret: string;
  name: string;
}

export interface Principal {
  tenantId: string;
  appId: string;
}

export interface RoleAssignment {
  tenantId: string;
  appId: string;
  /** a resource ID prefix, compared case-insensitively */
  scope: string;
  role: string;
}

export interface SimPeering {
  name: string;
  remoteId: string;
  provisioningState: 'Updating' | 'Succeeded' | 'Deleting' | 'Failed';
  peeringState: 'Initiated' | 'Connected' | 'Disconnected';
  /** the remote's address space as this half last synced it */
  remoteAddressSpace: string[];
  allowVirtualNetworkAccess: boolean;
  allowForwardedTraffic: boolean;
  resourceGuid: string;
}

export interface SimVnet extends VnetRef {
  /** canonical (lower-case) ID */
  id: string;
  /** as created: ARM answers with this casing */
  displayId: string;
  location: string;
  addressPrefixes: string[];
  peerings: SimPeering[];
}

export interface SimOperation {
  id: string;
  location: string;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  startedAt: Date;
  doneAt: Date;
  vnetId: string;
  error?: { code: string; message: string };
  apply: () => void;
}

export interface AzureWorldOptions {
  /** how long a peering write or delete runs (simulated time) */
  operationMs?: number;
}

export class AzureWorld {
  readonly apps = new Map<string, App>();
  readonly servicePrincipals = new Set<string>();
  readonly tenants = new Set<string>();
  readonly subscriptions = new Map<string, { tenantId: string }>();
  readonly resourceGroups = new Set<string>();
  readonly vnets = new Map<string, SimVnet>();
  readonly roles = new Map<string, string[]>(Object.entries(builtInRoles));
  roleAssignments: RoleAssignment[] = [];
  readonly operations: SimOperation[] = [];
  private readonly signingKey = randomBytes(32);

  constructor(
    readonly clock: Clock,
    readonly options: AzureWorldOptions = {},
  ) {}

  // --- directory and subscriptions -------------------------------------------------------------------------------

  createTenant(tenantId: string = randomUUID()): string {
    this.tenants.add(tenantId);
    return tenantId;
  }

  /** An application registered in its home tenant (with its service principal there) and a client secret. */
  createApp(homeTenant: string, name: string): App {
    const app = { clientId: randomUUID(), homeTenant, secret: `sim~${randomBytes(18).toString('base64url')}`, name };
    this.apps.set(app.clientId, app);
    this.createServicePrincipal(homeTenant, app.clientId);
    return app;
  }

  /** `az ad sp create --id <appId>` in `tenantId`: the multi-tenant application may now act there. */
  createServicePrincipal(tenantId: string, appId: string): void {
    if (!this.apps.has(appId))
      throw new ArmError(404, 'Request_ResourceNotFound', `Resource '${appId}' does not exist.`);
    this.servicePrincipals.add(`${tenantId}|${appId}`);
  }

  createSubscription(tenantId: string, subscriptionId: string = randomUUID()): string {
    this.tenants.add(tenantId);
    this.subscriptions.set(subscriptionId.toLowerCase(), { tenantId });
    return subscriptionId;
  }

  createResourceGroup(subscriptionId: string, name: string): void {
    this.resourceGroups.add(`${subscriptionId}/${name}`.toLowerCase());
  }

  /** `az role assignment create --assignee <appId> --role <role> --scope <scope>` in the scope's tenant. */
  assignRole(a: RoleAssignment): void {
    if (!this.roles.has(a.role)) throw new ArmError(400, 'RoleDefinitionDoesNotExist', `role ${a.role} does not exist`);
    this.roleAssignments.push({ ...a, scope: a.scope.toLowerCase() });
  }

  removeRoleAssignments(appId: string, scope: string): void {
    this.roleAssignments = this.roleAssignments.filter((r) => !(r.appId === appId && r.scope === scope.toLowerCase()));
  }

  /** `az role definition create`: a custom role with these actions. */
  defineRole(name: string, actions: string[]): void {
    this.roles.set(name, actions);
  }

  // --- tokens ----------------------------------------------------------------------------------------------------

  /** Client credentials at /{tenant}/oauth2/v2.0/token, as Entra ID answers them. */
  issueToken(tenantId: string, clientId: string, secret: string): { token: string; expiresIn: number } {
    if (!this.tenants.has(tenantId))
      throw new ArmError(400, 'AADSTS90002', `AADSTS90002: Tenant '${tenantId}' not found.`);
    const app = this.apps.get(clientId);
    if (!app || !this.servicePrincipals.has(`${tenantId}|${clientId}`))
      throw new ArmError(
        400,
        'AADSTS700016',
        `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${tenantId}'. ` +
          'This can happen if the application has not been installed by the administrator of the tenant or ' +
          'consented to by any user in the tenant.',
      );
    if (app.secret !== secret)
      throw new ArmError(401, 'AADSTS7000215', 'AADSTS7000215: Invalid client secret provided.');
    const claims = { tid: tenantId, appid: clientId, exp: Math.floor(Date.now() / 1000) + 3600 };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const sig = createHmac('sha256', this.signingKey).update(payload).digest('base64url');
    return { token: `${payload}.${sig}`, expiresIn: 3600 };
  }

  /** The principal a token names, if the world signed it and it has not expired (real time: the client's clock). */
  principalOf(token: string): Principal | null {
    const [payload, sig] = token.split('.');
    if (!payload || !sig) return null;
    const expected = createHmac('sha256', this.signingKey).update(payload).digest('base64url');
    if (expected !== sig) return null;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
      tid: string;
      appid: string;
      exp: number;
    };
    return claims.exp * 1000 > Date.now() ? { tenantId: claims.tid, appId: claims.appid } : null;
  }

  // --- authorization ---------------------------------------------------------------------------------------------

  /** The actions the principal holds at a scope, as Microsoft.Authorization/permissions lists them. */
  permissions(p: Principal, scope: string): string[] {
    const s = scope.toLowerCase();
    return this.roleAssignments
      .filter((r) => r.tenantId === p.tenantId && r.appId === p.appId && (s === r.scope || s.startsWith(`${r.scope}/`)))
      .flatMap((r) => this.roles.get(r.role) ?? []);
  }

  may(p: Principal, action: string, scope: string): boolean {
    return this.permissions(p, scope).some((a) => grants(a, action));
  }

  /** The subscription's tenant must be the token's; then the action (if any) must be granted at the scope. */
  authorize(p: Principal, subscriptionId: string, action: string, scope: string): void {
    const sub = this.subscriptions.get(subscriptionId.toLowerCase());
    if (!sub)
      throw new ArmError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
    if (sub.tenantId !== p.tenantId)
      throw new ArmError(
        401,
        'InvalidAuthenticationTokenTenant',
        `The access token is from the wrong issuer 'https://sts.windows.net/${p.tenantId}/'. It must match the ` +
          `tenant 'https://sts.windows.net/${sub.tenantId}/' associated with this subscription.`,
      );
    if (action && !this.may(p, action, scope))
      throw new ArmError(
        403,
        'AuthorizationFailed',
        `The client '${p.appId}' with object id '${p.appId}' does not have authorization to perform action ` +
          `'${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please ` +
          'refresh your credentials.',
      );
  }

  tenantOf(subscriptionId: string): string | undefined {
    return this.subscriptions.get(subscriptionId.toLowerCase())?.tenantId;
  }

  // --- networks --------------------------------------------------------------------------------------------------

  createVnet(ref: VnetRef, location: string, addressPrefixes: string[]): SimVnet {
    this.createResourceGroup(ref.subscriptionId, ref.resourceGroup);
    const id = vnetId(ref);
    const displayId =
      `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}` +
      `/providers/Microsoft.Network/virtualNetworks/${ref.name}`;
    const vnet: SimVnet = { ...ref, id, displayId, location, addressPrefixes: [...addressPrefixes], peerings: [] };
    this.vnets.set(id, vnet);
    return vnet;
  }

  /** The VNet, after the resource group exists; ResourceNotFound / ResourceGroupNotFound as ARM words them. */
  vnet(ref: VnetRef): SimVnet {
    this.settle();
    if (!this.resourceGroups.has(`${ref.subscriptionId}/${ref.resourceGroup}`.toLowerCase()))
      throw new ArmError(404, 'ResourceGroupNotFound', `Resource group '${ref.resourceGroup}' could not be found.`);
    const v = this.vnets.get(vnetId(ref));
    if (!v)
      throw new ArmError(
        404,
        'ResourceNotFound',
        `The Resource 'Microsoft.Network/virtualNetworks/${ref.name}' under resource group '${ref.resourceGroup}' ` +
          'was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix',
      );
    return v;
  }

  vnetsOf(subscriptionId: string): SimVnet[] {
    this.settle();
    return [...this.vnets.values()].filter((v) => v.subscriptionId.toLowerCase() === subscriptionId.toLowerCase());
  }

  /** The customer changes its VNet's address space (a VNet PUT): refused where it would overlap a peered VNet. */
  setAddressSpace(v: SimVnet, prefixes: string[]): void {
    for (const p of v.peerings) {
      const remote = this.vnets.get(p.remoteId);
      const clash = remote && this.overlap(prefixes, remote.addressPrefixes);
      if (clash)
        throw new ArmError(
          400,
          'VnetAddressSpaceOverlapsWithAlreadyPeeredVnet',
          `Address space ${clash[0]} of virtual network ${v.displayId} overlaps with address space ${clash[1]} ` +
            `of virtual network ${remote.displayId} which is already peered.`,
        );
    }
    v.addressPrefixes = [...prefixes];
  }

  private overlap(a: string[], b: string[]): [string, string] | null {
    for (const x of a)
      for (const y of b) {
        const px = parseIpv4Cidr(x);
        const py = parseIpv4Cidr(y);
        if (px.ok && py.ok && overlaps(px.span, py.span)) return [x, y];
      }
    return null;
  }

  /** The half of `remote` that points back at `local`. */
  back(local: SimVnet, remoteId: string): SimPeering | undefined {
    return this.vnets
      .get(remoteId)
      ?.peerings.find((q) => q.remoteId === local.id && q.provisioningState !== 'Deleting');
  }

  syncLevel(local: SimVnet, p: SimPeering): string {
    const remote = this.vnets.get(p.remoteId);
    if (!remote) return 'FullyInSync';
    const same = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
    const localStale = !same(p.remoteAddressSpace, remote.addressPrefixes);
    const back = this.back(local, remote.id);
    const remoteStale = !!back && !same(back.remoteAddressSpace, local.addressPrefixes);
    if (localStale && remoteStale) return 'LocalAndRemoteNotInSync';
    if (localStale) return 'LocalNotInSync';
    if (remoteStale) return 'RemoteNotInSync';
    return 'FullyInSync';
  }

  // --- peering halves --------------------------------------------------------------------------------------------

  private busy(v: SimVnet): boolean {
    return this.operations.some((op) => op.status === 'InProgress' && op.vnetId === v.id);
  }

  private start(v: SimVnet, apply: () => void): SimOperation {
    if (this.busy(v))
      throw new ArmError(
        409,
        'AnotherOperationInProgress',
        `Another operation on this or dependent resource is in progress. To retrieve status of the operation use ` +
          `uri: ${v.displayId}. Retry the operation after the operation is finished.`,
      );
    const now = this.clock.now();
    const op: SimOperation = {
      id: randomUUID(),
      location: v.location,
      status: 'InProgress',
      startedAt: now,
      doneAt: new Date(now.getTime() + (this.options.operationMs ?? 200)),
      vnetId: v.id,
      apply,
    };
    this.operations.push(op);
    return op;
  }

  /** Completes the operations whose time has come, in the order they were started. */
  settle(): void {
    const now = this.clock.now();
    for (const op of this.operations) {
      if (op.status !== 'InProgress' || now < op.doneAt) continue;
      try {
        op.apply();
        op.status = 'Succeeded';
      } catch (err) {
        if (!(err instanceof ArmError)) throw err;
        op.status = 'Failed';
        op.error = { code: err.code, message: err.message };
      }
    }
  }

  operation(id: string): SimOperation | undefined {
    this.settle();
    return this.operations.find((o) => o.id === id);
  }

  /**
   * PUT a half on `local` toward `remoteId` (authorization checked by the caller). A new half, or a sync of an
   * existing one; the operation completes it.
   */
  putPeering(
    local: SimVnet,
    name: string,
    input: { remoteId: string; allowVirtualNetworkAccess?: boolean; allowForwardedTraffic?: boolean },
    sync: boolean,
  ): { peering: SimPeering; op: SimOperation; created: boolean } {
    const remoteId = normalizeVnetId(input.remoteId);
    const remote = this.vnets.get(remoteId);
    if (!remote)
      throw new ArmError(
        400,
        'InvalidResourceReference',
        `Resource ${input.remoteId} referenced by resource ${local.displayId}/virtualNetworkPeerings/${name} was ` +
          'not found. Please make sure that the referenced resource exists.',
      );
    const existing = local.peerings.find((p) => p.name === name);
    if (existing && existing.remoteId !== remoteId)
      throw new ArmError(
        400,
        'CannotChangeRemoteVirtualNetwork',
        `Peering ${name} already points at ${existing.remoteId}; its remote virtual network cannot be changed.`,
      );
    if (!existing && local.peerings.some((p) => p.remoteId === remoteId))
      throw new ArmError(
        400,
        'VnetPeeringAlreadyExists',
        `A peering from ${local.displayId} to ${remote.displayId} already exists.`,
      );
    const clash = this.overlap(local.addressPrefixes, remote.addressPrefixes);
    if (clash)
      throw new ArmError(
        400,
        'VnetAddressSpacesOverlap',
        `Cannot create or update peering ${local.displayId}/virtualNetworkPeerings/${name}. Virtual networks ` +
          `${local.displayId} and ${remote.displayId} cannot be peered because their address spaces overlap. ` +
          `Overlapping address prefixes: ${clash[0]}, ${clash[1]}`,
      );
    const back = this.back(local, remoteId);
    if (back?.peeringState === 'Disconnected' && !existing)
      throw new ArmError(
        400,
        'RemotePeeringIsDisconnected',
        `Cannot create or update peering ${local.displayId}/virtualNetworkPeerings/${name} because remote peering ` +
          `${remote.displayId}/virtualNetworkPeerings/${back.name} referencing parent virtual network ` +
          `${local.displayId} is in Disconnected state. Update or re-create the remote peering to get it back to ` +
          'Initiated state.',
      );
    const peering: SimPeering = existing ?? {
      name,
      remoteId,
      provisioningState: 'Updating',
      peeringState: 'Initiated',
      remoteAddressSpace: [...remote.addressPrefixes],
      allowVirtualNetworkAccess: input.allowVirtualNetworkAccess ?? true,
      allowForwardedTraffic: input.allowForwardedTraffic ?? false,
      resourceGuid: randomUUID(),
    };
    const op = this.start(local, () => {
      peering.provisioningState = 'Succeeded';
      if (sync || !existing) peering.remoteAddressSpace = [...remote.addressPrefixes];
      const other = this.back(local, remoteId);
      if (other && other.peeringState !== 'Disconnected' && peering.peeringState !== 'Disconnected') {
        peering.peeringState = 'Connected';
        other.peeringState = 'Connected';
      }
    });
    peering.provisioningState = 'Updating';
    if (!existing) local.peerings.push(peering);
    return { peering, op, created: !existing };
  }

  /** DELETE a half; its remote half, if any, becomes Disconnected. */
  deletePeering(local: SimVnet, name: string): SimOperation | null {
    const p = local.peerings.find((x) => x.name === name);
    if (!p) return null;
    const op = this.start(local, () => {
      local.peerings = local.peerings.filter((x) => x !== p);
      const back = this.vnets.get(p.remoteId)?.peerings.find((q) => q.remoteId === local.id);
      if (back) back.peeringState = 'Disconnected';
    });
    p.provisioningState = 'Deleting';
    return op;
  }

  /** A half created and its operation finished at once (the benchmark's and the demo's set-up). */
  peerNow(local: SimVnet, name: string, remoteId: string): SimPeering {
    const { peering, op } = this.putPeering(local, name, { remoteId }, false);
    op.doneAt = this.clock.now();
    this.settle();
    return peering;
  }

  deleteNow(local: SimVnet, name: string): void {
    const op = this.deletePeering(local, name);
    if (op) op.doneAt = this.clock.now();
    this.settle();
  }
}
