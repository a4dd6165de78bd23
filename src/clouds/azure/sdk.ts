/**
 * The one way an ARM network client is built (adapter, customer helper, `peerlink sim azure`, tests), on
 * `@azure/arm-network` 36 — the newest release that supports Node 20 (37 and later, the modular generation, need
 * Node 22, as do the current `@azure/core-*` packages; package.json pins the Node 20 releases of those). Its client
 * takes the ARM endpoint (`endpoint`, and `$host` for its URL templates) and runs long-running operations through
 * `@azure/core-lro` pollers.
 *
 * Credentials come from `@azure/identity`: the platform application's client secret or certificate, or workload
 * identity where the process runs with one (AKS: AZURE_FEDERATED_TOKEN_FILE). A token is for one tenant, so the
 * platform holds one credential per tenant it acts in: its own and each customer's that delegated to it.
 *
 * Cross-tenant writes: a peering's PUT checks the caller's right to peer with the remote VNet
 * (`Microsoft.Network/virtualNetworks/peer/action`); when the remote VNet is in another tenant, ARM reads that right
 * from a token for that tenant sent in `x-ms-authorization-auxiliary` (core-rest-pipeline's
 * auxiliaryAuthenticationHeaderPolicy; https://learn.microsoft.com/azure/azure-resource-manager/management/
 * authenticate-multi-tenant).
 *
 * The simulator: the bearer-token and auxiliary-header policies refuse plain http:// (core-rest-pipeline 1.24), and
 * @azure/identity refuses an http:// authority host. Against a loopback http:// endpoint only (127.0.0.1, localhost,
 * [::1]), the client's pipeline — which the SDK leaves open to changes — gets the same two policies wrapped so they
 * accept that URL, as Azure's newer TypeSpec runtime allows on loopback with `allowInsecureConnection`, and the token
 * comes from the simulator's Entra-shaped token endpoint (client credentials with the secret). Every other URL keeps
 * the SDK's policies untouched. docs/DECISIONS.md §15 says why this rather than HTTPS.
 */
import { ClientCertificateCredential, ClientSecretCredential, WorkloadIdentityCredential } from '@azure/identity';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { NetworkManagementClient } from '@azure/arm-network';
import {
  auxiliaryAuthenticationHeaderPolicy,
  bearerTokenAuthenticationPolicyName,
  type PipelinePolicy,
} from '@azure/core-rest-pipeline';

export type { NetworkManagementClient };
export type { VirtualNetwork, VirtualNetworkPeering } from '@azure/arm-network';

/** ARM's audience: the token scope whatever endpoint the client is given. */
export const armScope = 'https://management.azure.com/.default';

/** The platform application's (or, for the customer helper, the customer's) credential fields. */
export interface AppCredentials {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  /** PEM: the certificate and its private key */
  certificate?: string;
}

export function isLoopbackHttp(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

/** An Entra token endpoint error, as the simulator's (and Entra's) JSON body names it. */
export class TokenError extends Error {
  constructor(
    readonly status: number,
    /** `AADSTS<n>` where the body names one, else the OAuth error */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

/**
 * The simulator's token endpoint, asked as a confidential client asks Entra ID (POST /{tenant}/oauth2/v2.0/token,
 * grant_type=client_credentials, the client secret): a stub TokenCredential for a loopback endpoint only.
 */
class LoopbackSecretCredential implements TokenCredential {
  private cached: AccessToken | null = null;

  constructor(
    private readonly endpoint: string,
    private readonly tenantId: string,
    private readonly clientId: string,
    private readonly secret: string,
  ) {}

  async getToken(scopes: string | string[]): Promise<AccessToken> {
    if (this.cached && this.cached.expiresOnTimestamp > Date.now() + 60_000) return this.cached;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.clientId,
      client_secret: this.secret,
      scope: Array.isArray(scopes) ? scopes.join(' ') : scopes,
    });
    const res = await fetch(`${this.endpoint}/${encodeURIComponent(this.tenantId)}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const json = (await res.json()) as {
      access_token?: string;
      expires_in?: number;
      error?: string;
      error_description?: string;
      error_codes?: number[];
    };
    if (!res.ok || !json.access_token) {
      const code = json.error_codes?.[0] ? `AADSTS${json.error_codes[0]}` : (json.error ?? `HTTP ${res.status}`);
      throw new TokenError(res.status, code, json.error_description ?? json.error ?? `token request failed`);
    }
    this.cached = { token: json.access_token, expiresOnTimestamp: Date.now() + (json.expires_in ?? 3600) * 1000 };
    return this.cached;
  }
}

/** A credential of the application in `tenantId` (its home tenant, or a tenant that holds its service principal). */
export function credentialFor(app: AppCredentials, tenantId: string, endpoint?: string): TokenCredential {
  if (isLoopbackHttp(endpoint)) {
    if (!app.clientSecret) throw new TokenError(400, 'invalid_client', 'the simulator takes a client secret');
    return new LoopbackSecretCredential(endpoint ?? '', tenantId, app.clientId, app.clientSecret);
  }
  if (app.certificate) return new ClientCertificateCredential(tenantId, app.clientId, { certificate: app.certificate });
  if (app.clientSecret) return new ClientSecretCredential(tenantId, app.clientId, app.clientSecret);
  // AKS workload identity: the federated token file the webhook mounts (AZURE_FEDERATED_TOKEN_FILE)
  return new WorkloadIdentityCredential({ tenantId, clientId: app.clientId });
}

/** A policy that refuses http:// URLs, made to accept a loopback one (the simulator); others pass through untouched. */
function loopbackAllowed(policy: PipelinePolicy): PipelinePolicy {
  return {
    name: policy.name,
    sendRequest(request, next) {
      const url = request.url;
      if (!isLoopbackHttp(url)) return policy.sendRequest(request, next);
      request.url = `https://${url.slice('http://'.length)}`;
      return policy.sendRequest(request, (r) => {
        r.url = url;
        return next(r);
      });
    },
  };
}

export interface ArmClientOptions {
  /** absent: https://management.azure.com */
  endpoint?: string;
  subscriptionId: string;
  credential: TokenCredential;
  /** credentials for other tenants whose resources a write names (sent as x-ms-authorization-auxiliary) */
  auxiliary?: TokenCredential[];
}

export function armClient(o: ArmClientOptions): NetworkManagementClient {
  const loopback = isLoopbackHttp(o.endpoint);
  const aux = o.auxiliary?.length
    ? auxiliaryAuthenticationHeaderPolicy({ credentials: o.auxiliary, scopes: armScope })
    : null;
  const client = new NetworkManagementClient(o.credential, o.subscriptionId, {
    ...(o.endpoint ? { endpoint: o.endpoint, $host: o.endpoint } : {}),
    credentialScopes: [armScope],
    // the HTTP client itself refuses http:// unless told; only ever for loopback
    allowInsecureConnection: loopback,
    // Peerlink's reconciler retries, with backoff; the SDK's own retries would hide throttling from it
    retryOptions: { maxRetries: 0 },
    ...(aux && !loopback ? { additionalPolicies: [{ policy: aux, position: 'perRetry' as const }] } : {}),
  });
  if (loopback) {
    const bearer = client.pipeline.getOrderedPolicies().find((p) => p.name === bearerTokenAuthenticationPolicyName);
    if (bearer) {
      client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
      client.pipeline.addPolicy(loopbackAllowed(bearer));
    }
    if (aux) client.pipeline.addPolicy(loopbackAllowed(aux));
  }
  return client;
}
