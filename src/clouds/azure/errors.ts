/**
 * ARM's and Entra ID's errors as `@azure/arm-network` and `@azure/identity` surface them, named, and how each kind of
 * failure is treated: transient (retry with backoff), conflict (observe again) or permanent.
 *
 * An ARM error reaches Peerlink as a RestError whose `code` is the body's `error.code` (AuthorizationFailed,
 * ResourceNotFound …) and `statusCode` the HTTP status. A token that could not be had is an AuthenticationError from
 * @azure/identity (its `errorResponse.errorCodes` carry the AADSTS number) or, against the simulator, a TokenError.
 * A call that never reached ARM is a RestError with code REQUEST_SEND_ERROR (Node's code in its cause) or an abort.
 */
import { networkCodes } from '../kit.js';
import { ProviderError } from '../provider.js';

export const codes = {
  notFound: 'NotFound',
  resourceNotFound: 'ResourceNotFound',
  resourceGroupNotFound: 'ResourceGroupNotFound',
  subscriptionNotFound: 'SubscriptionNotFound',
  /** a role the caller lacks on the VNet it names */
  authorizationFailed: 'AuthorizationFailed',
  /** the caller lacks peer/action on the remote VNet, or a token for the remote's tenant */
  linkedAuthorizationFailed: 'LinkedAuthorizationFailed',
  /** the tenant's token is not for the subscription's tenant: the VNet is in another tenant than the one entered */
  wrongTenant: 'InvalidAuthenticationTokenTenant',
  /** the application has no service principal in the tenant (`az ad sp create --id <app>` not done there) */
  noServicePrincipal: 'AADSTS700016',
  tenantNotFound: 'AADSTS90002',
  invalidSecret: 'AADSTS7000215',
  remoteDisconnected: 'RemotePeeringIsDisconnected',
  overlap: 'VnetAddressSpacesOverlap',
  busy: 'AnotherOperationInProgress',
  running: 'RUNNING',
} as const;

/** The customer's delegation is missing: its tenant has no service principal for the app, or no role on the VNet. */
export const delegationCodes: readonly string[] = [
  codes.authorizationFailed,
  codes.linkedAuthorizationFailed,
  codes.noServicePrincipal,
];

const conflictCodes = new Set<string>([codes.busy, 'Conflict', 'ReferencedResourceNotProvisioned', 'RetryableError']);
const transientCodes = new Set<string>(['TooManyRequests', 'SubscriptionRequestsThrottled', 'InternalServerError']);

interface SdkError {
  name?: string;
  code?: string;
  statusCode?: number;
  status?: number;
  message?: string;
  errorResponse?: { error?: string; errorCodes?: number[] };
  cause?: { code?: string };
}

export function classifyAzureError(operation: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const e: SdkError = typeof err === 'object' && err !== null ? err : {};
  const options = { cause: err };
  const message = e.message ?? String(err);
  if (e.name === 'AbortError' || e.name === 'TimeoutError')
    return new ProviderError('transient', operation, 'DEADLINE_EXCEEDED', message, options);
  // a token that could not be had (Entra ID, or the simulator's token endpoint)
  const aadsts = e.errorResponse?.errorCodes?.[0];
  if (e.name === 'AuthenticationError' || e.name === 'TokenError' || e.name === 'CredentialUnavailableError') {
    const code = aadsts ? `AADSTS${aadsts}` : (e.code ?? e.errorResponse?.error ?? e.name);
    const status = e.statusCode ?? e.status ?? 0;
    const kind = status === 429 || status >= 500 ? 'transient' : 'permanent';
    return new ProviderError(kind, operation, code, message, options);
  }
  const status = e.statusCode ?? 0;
  const code = e.code ?? '';
  if (status > 0) {
    if (status === 429 || status >= 500 || transientCodes.has(code))
      return new ProviderError('transient', operation, code || `HTTP ${status}`, message, options);
    if (status === 409 || conflictCodes.has(code))
      return new ProviderError('conflict', operation, code || `HTTP ${status}`, message, options);
    return new ProviderError('permanent', operation, code || `HTTP ${status}`, message, options);
  }
  const cause = e.cause?.code ?? '';
  if (code === 'REQUEST_SEND_ERROR' || networkCodes.has(code) || networkCodes.has(cause))
    return new ProviderError('transient', operation, cause || code, message, options);
  // no answer from ARM, for a reason not named above: retried, never a failed peering
  return new ProviderError('transient', operation, code || e.name || 'NetworkError', message, options);
}
