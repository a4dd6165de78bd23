/**
 * The Azure adapter: a VNet peering has a half on each VNet, and across tenants the platform creates both — its own
 * with its own token, the customer's with a token for the customer's tenant, where the customer gave the platform's
 * application a role on its VNet (the managed-service pattern). Each write names the other tenant's token in
 * `x-ms-authorization-auxiliary`. The connection is the platform's half, named after the customer's VNet: Connected
 * and FullyInSync is active; Initiated or Disconnected means the other half is missing (the platform completes it);
 * a sync level other than FullyInSync means the customer's address space changed, and the platform syncs once the
 * rules accept it. The peering carries the routes: the platform programs none. The sweep lists the platform
 * subscription's VNets, each with its halves, a page at a time.
 *
 * Over 300 lines on purpose: the two halves, two tenants and their tokens, and the precheck that reads the delegation
 * belong together — split, each part would need the others' clients.
 */
import { createPipelineRequest } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import type { ConnectionObservation, ConnectionPhase } from '../../core/observation.js';
import type { CustomerNetworkLook, Precheck } from '../../core/verify.js';
import { credential, ignoring, providerCall } from '../kit.js';
import { ProviderError, type AdapterOptions, type ConnectionRef, type PlatformTarget } from '../provider.js';
import { grants, requiredActions } from './actions.js';
import { classifyAzureError, codes, delegationCodes } from './errors.js';
import { canonical, halfNameFor, vnetRef } from './ids.js';
import {
  armClient,
  credentialFor,
  isLoopbackHttp,
  type AppCredentials,
  type NetworkManagementClient,
  type VirtualNetworkPeering,
} from './sdk.js';

const permissionsApiVersion = '2022-04-01';
/** core-lro polls at ARM's Retry-After where it sends one, else this often */
const pollEveryMs = 500;

const granted = (actions: readonly string[], action: string) => actions.some((a) => grants(a, action));

function phaseOf(p: VirtualNetworkPeering): ConnectionPhase {
  if (p.provisioningState === 'Deleting') return 'deleting';
  if (p.provisioningState === 'Failed') return 'failed';
  if (p.peeringState === 'Connected') return 'active';
  // Initiated while being created; Initiated or Disconnected after: the other half is missing
  if (p.peeringState === 'Initiated' && p.provisioningState === 'Updating') return 'initiating';
  return 'awaiting-acceptance';
}

const inSync = (level?: string) => !level || level === 'FullyInSync';
const staleLocally = (level?: string) => level === 'LocalNotInSync' || level === 'LocalAndRemoteNotInSync';

export function azureAdapter(options: AdapterOptions = {}) {
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const call = <T>(t: PlatformTarget, operation: string, fn: (abortSignal: AbortSignal) => Promise<T>) =>
    providerCall(t, operation, () => fn(AbortSignal.timeout(timeoutMs)), classifyAzureError, options);

  const appOf = (t: PlatformTarget): AppCredentials => ({
    tenantId: credential(t, 'tenantId'),
    clientId: credential(t, 'clientId'),
    clientSecret: t.credentials.clientSecret,
    certificate: t.credentials.certificate,
  });
  const key = (t: PlatformTarget) => [t.endpoint ?? '', t.accountId, JSON.stringify(t.credentials)].join('|');
  // one credential per application and tenant (each caches its token), one client per subscription and tenants
  const credentials = new Map<string, TokenCredential>();
  const clients = new Map<string, NetworkManagementClient>();
  const credentialIn = (t: PlatformTarget, tenant: string) => {
    const k = `${key(t)}|${tenant}`;
    let c = credentials.get(k);
    if (!c) credentials.set(k, (c = credentialFor(appOf(t), tenant, t.endpoint)));
    return c;
  };
  /** A client of `subscription` in `tenant`; `auxTenant`: the other tenant a write names. */
  const clientFor = (t: PlatformTarget, subscription: string, tenant: string, auxTenant?: string) => {
    const k = `${key(t)}|${subscription}|${tenant}|${auxTenant ?? ''}`;
    let c = clients.get(k);
    if (!c) {
      const auxiliary = auxTenant && auxTenant !== tenant ? [credentialIn(t, auxTenant)] : undefined;
      c = armClient({
        endpoint: t.endpoint,
        subscriptionId: subscription,
        credential: credentialIn(t, tenant),
        auxiliary,
      });
      clients.set(k, c);
    }
    return c;
  };
  /** The platform's side: its subscription, its tenant; writes name the customer's tenant too. */
  const platform = (t: PlatformTarget, customerTenant?: string) =>
    clientFor(t, t.accountId, appOf(t).tenantId, customerTenant);
  /** The customer's side, as delegated: the customer's subscription and tenant; writes name the platform's tenant. */
  const customer = (t: PlatformTarget, ref: ConnectionRef, write = false) =>
    clientFor(
      t,
      vnetRef(ref.customerVpcId).subscriptionId,
      ref.customerAccountId,
      write ? appOf(t).tenantId : undefined,
    );

  /** A customer-side refusal named for the catalogue entry it maps to: who lacks which right, on what. */
  function delegated<T>(t: PlatformTarget, ref: ConnectionRef, run: () => Promise<T>): Promise<T> {
    return run().catch((err: unknown) => {
      if (!(err instanceof ProviderError) || !delegationCodes.includes(err.providerCode)) throw err;
      const missing =
        err.providerCode === codes.noServicePrincipal
          ? `no service principal for the application in tenant ${ref.customerAccountId}`
          : (/action '([^']+)'/.exec(err.message)?.[1] ?? requiredActions.join(', '));
      const params = { principal: appOf(t).clientId, scope: ref.customerVpcId, missing };
      throw new ProviderError(err.kind, err.operation, err.providerCode, err.message, { cause: err, params });
    });
  }

  function observation(t: PlatformTarget, deploymentVnet: string, p: VirtualNetworkPeering, account = '') {
    const connected = p.peeringState === 'Connected';
    const o: ConnectionObservation = {
      providerId: p.name ?? '',
      phase: phaseOf(p),
      providerStatus:
        connected && !inSync(p.peeringSyncLevel) ? `Connected/${p.peeringSyncLevel}` : (p.peeringState ?? ''),
      providerMessage: `provisioningState ${p.provisioningState ?? 'unknown'}`,
      // a peering names its remote VNet, not the remote's tenant: the tenant is the one the platform acts in
      customer: {
        accountId: account,
        vpcId: canonical(p.remoteVirtualNetwork?.id),
        region: t.region,
        cidrs: p.remoteVirtualNetworkAddressSpace?.addressPrefixes ?? p.remoteAddressSpace?.addressPrefixes ?? [],
      },
      platform: { accountId: t.accountId, vpcId: canonical(deploymentVnet), region: t.region, cidrs: [] },
    };
    return connected ? { ...o, inSync: inSync(p.peeringSyncLevel) } : o;
  }

  /** A half by name; null when the VNet has none of that name. */
  async function half(t: PlatformTarget, c: NetworkManagementClient, vnet: string, name: string, operation: string) {
    const v = vnetRef(vnet);
    let found: VirtualNetworkPeering | null = null;
    await ignoring([codes.notFound], async () => {
      found = await call(t, operation, (abortSignal) =>
        c.virtualNetworkPeerings.get(v.resourceGroup, v.name, name, { abortSignal }),
      );
    });
    return found as VirtualNetworkPeering | null;
  }

  /** A poller followed to its end, within the call deadline; one still running is the cloud being busy. */
  async function finish(
    t: PlatformTarget,
    operation: string,
    poller: { pollUntilDone(o: { abortSignal: AbortSignal }): Promise<unknown> },
  ) {
    await call(t, operation, async (abortSignal) => {
      try {
        await poller.pollUntilDone({ abortSignal });
      } catch (err) {
        if (abortSignal.aborted)
          throw new ProviderError('conflict', operation, codes.running, `${operation} still running`, { cause: err });
        throw err;
      }
    });
  }

  async function put(
    t: PlatformTarget,
    c: NetworkManagementClient,
    vnet: string,
    name: string,
    remote: string,
    sync = false,
  ) {
    const v = vnetRef(vnet);
    const body: VirtualNetworkPeering = {
      remoteVirtualNetwork: { id: remote },
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: false,
      allowGatewayTransit: false,
      useRemoteGateways: false,
    };
    const op = 'virtualNetworkPeerings.createOrUpdate';
    const poller = await call(t, op, (abortSignal) =>
      c.virtualNetworkPeerings.beginCreateOrUpdate(v.resourceGroup, v.name, name, body, {
        abortSignal,
        updateIntervalInMs: pollEveryMs,
        ...(sync ? { syncRemoteAddressSpace: 'true' } : {}),
      }),
    );
    await finish(t, op, poller);
  }

  async function remove(t: PlatformTarget, c: NetworkManagementClient, vnet: string, name: string) {
    const v = vnetRef(vnet);
    const op = 'virtualNetworkPeerings.delete';
    const poller = await call(t, op, (abortSignal) =>
      c.virtualNetworkPeerings.beginDelete(v.resourceGroup, v.name, name, {
        abortSignal,
        updateIntervalInMs: pollEveryMs,
      }),
    );
    await finish(t, op, poller);
  }

  /** The caller's actions on the VNet (Microsoft.Authorization permissions): read-only, needs no role of its own. */
  async function permissionsOn(c: NetworkManagementClient, t: PlatformTarget, vnet: string): Promise<string[]> {
    const base = t.endpoint ?? 'https://management.azure.com';
    const url = `${base}${vnet}/providers/Microsoft.Authorization/permissions?api-version=${permissionsApiVersion}`;
    const res = await call(t, 'permissions.listForResource', (abortSignal) =>
      c.sendRequest(
        createPipelineRequest({ url, method: 'GET', abortSignal, allowInsecureConnection: isLoopbackHttp(url) }),
      ),
    );
    const body = JSON.parse(res.bodyAsText ?? '{}') as {
      value?: Array<{ actions?: string[]; notActions?: string[] }>;
      error?: { code?: string; message?: string };
    };
    if (res.status >= 300) {
      const e = Object.assign(new Error(body.error?.message ?? `HTTP ${res.status}`), {
        statusCode: res.status,
        code: body.error?.code,
      });
      throw classifyAzureError('permissions.listForResource', e);
    }
    const rules = body.value ?? [];
    return requiredActions.filter(
      (a) => !rules.some((r) => granted(r.actions ?? [], a) && !granted(r.notActions ?? [], a)),
    );
  }

  const notFoundCodes: readonly string[] = [
    codes.resourceNotFound,
    codes.resourceGroupNotFound,
    codes.subscriptionNotFound,
    codes.wrongTenant,
    codes.tenantNotFound,
  ];

  return {
    connections: {
      /** The platform's half by name on the deployment VNet. */
      async observe(t: PlatformTarget, ref: ConnectionRef): Promise<ConnectionObservation | null> {
        const p = await half(t, platform(t), ref.deploymentVpcId, ref.connectionId, 'virtualNetworkPeerings.get');
        return p ? observation(t, ref.deploymentVpcId, p, ref.customerAccountId) : null;
      },

      /** Every half on every VNet of the platform subscription: one virtualNetworks.listAll page at a time. */
      async *list(t: PlatformTarget): AsyncGenerator<ConnectionObservation[]> {
        const pages = platform(t).virtualNetworks.listAll().byPage();
        for (;;) {
          const next = await call(t, 'virtualNetworks.listAll', () => pages.next());
          if (next.done) return;
          yield next.value.flatMap((v) => (v.virtualNetworkPeerings ?? []).map((p) => observation(t, v.id ?? '', p)));
        }
      },

      /**
       * The customer's half first (a failure leaves ours to show it still needs closing), then the platform's; a
       * half already gone is done. A customer that withdrew the delegation keeps its half (Disconnected) — the
       * platform may no longer touch it.
       */
      async close(t: PlatformTarget, ref: ConnectionRef): Promise<void> {
        const back = halfNameFor(ref.deploymentVpcId);
        const theirs = await half(t, customer(t, ref), ref.customerVpcId, back, 'virtualNetworkPeerings.get').catch(
          (err: unknown) => {
            if (err instanceof ProviderError && [...delegationCodes, ...notFoundCodes].includes(err.providerCode))
              return null;
            throw err;
          },
        );
        if (theirs) await ignoring([codes.notFound], () => remove(t, customer(t, ref), ref.customerVpcId, back));
        await ignoring([codes.notFound], () => remove(t, platform(t), ref.deploymentVpcId, ref.connectionId));
      },
    },

    requester: {
      /**
       * The delegation first: the customer's VNet read with a token for the customer's tenant, and the actions the
       * platform's application holds there — a missing service principal or role is refused at once, naming it.
       */
      async precheck(t: PlatformTarget, ref: ConnectionRef): Promise<Precheck> {
        const c = customer(t, ref);
        const denied = (missing: string): CustomerNetworkLook => ({
          kind: 'denied',
          principal: appOf(t).clientId,
          scope: ref.customerVpcId,
          missing,
        });
        const look = async (): Promise<CustomerNetworkLook> => {
          const missing = await permissionsOn(c, t, ref.customerVpcId);
          if (missing.length > 0) return denied(`missing ${missing.join(', ')}`);
          const v = vnetRef(ref.customerVpcId);
          const vnet = await call(t, 'virtualNetworks.get', (abortSignal) =>
            c.virtualNetworks.get(v.resourceGroup, v.name, { abortSignal }),
          );
          const network = {
            accountId: ref.customerAccountId,
            vpcId: canonical(vnet.id),
            region: vnet.location ?? '',
            cidrs: vnet.addressSpace?.addressPrefixes ?? [],
          };
          return { kind: 'found', network };
        };
        const customerNetwork = await look().catch((err: unknown): CustomerNetworkLook => {
          if (!(err instanceof ProviderError)) throw err;
          if (err.providerCode === codes.noServicePrincipal)
            return denied(`no service principal for the application in tenant ${ref.customerAccountId}`);
          if (delegationCodes.includes(err.providerCode)) return denied(`missing ${requiredActions.join(', ')}`);
          if (notFoundCodes.includes(err.providerCode)) return { kind: 'not-found' };
          throw err;
        });
        return { deploymentJoined: null, customerNetwork };
      },

      /**
       * Makes the connection whole, idempotently: a Disconnected half is deleted (Azure cannot reconnect it), a
       * missing half created — the platform's, then the customer's — and a half with a stale copy of the other
       * VNet's address space synced.
       */
      async request(t: PlatformTarget, ref: ConnectionRef): Promise<void> {
        const back = halfNameFor(ref.deploymentVpcId);
        await delegated(t, ref, async () => {
          let ours = await half(t, platform(t), ref.deploymentVpcId, ref.connectionId, 'virtualNetworkPeerings.get');
          let theirs = await half(t, customer(t, ref), ref.customerVpcId, back, 'virtualNetworkPeerings.get');
          for (const h of [ours, theirs])
            if (h?.provisioningState === 'Updating' || h?.provisioningState === 'Deleting')
              throw new ProviderError(
                'conflict',
                'virtualNetworkPeerings.get',
                codes.running,
                `${h.name} is provisioning`,
              );
          if (ours?.peeringState === 'Disconnected') {
            await remove(t, platform(t), ref.deploymentVpcId, ref.connectionId);
            ours = null;
          }
          if (theirs?.peeringState === 'Disconnected') {
            await remove(t, customer(t, ref), ref.customerVpcId, back);
            theirs = null;
          }
          if (!ours)
            await put(t, platform(t, ref.customerAccountId), ref.deploymentVpcId, ref.connectionId, ref.customerVpcId);
          if (!theirs) await put(t, customer(t, ref, true), ref.customerVpcId, back, ref.deploymentVpcId);
          if (ours && theirs) {
            if (staleLocally(ours.peeringSyncLevel))
              await put(
                t,
                platform(t, ref.customerAccountId),
                ref.deploymentVpcId,
                ref.connectionId,
                ref.customerVpcId,
                true,
              );
            if (staleLocally(theirs.peeringSyncLevel))
              await put(t, customer(t, ref, true), ref.customerVpcId, back, ref.deploymentVpcId, true);
          }
        });
      },
    },
  };
}
