/**
 * Compute Engine's errors as `@google-cloud/compute` (REST transport) surfaces them, named, and how each kind of
 * failure is treated: transient (retry with backoff), conflict (observe again) or permanent.
 *
 * An HTTP error reaches Peerlink as a GaxiosError whose message is Google's JSON error body
 * `{"error":{"code":404,"message":"…","errors":[{"reason":"notFound",…}],"status":"NOT_FOUND"}}`; the cloud's code
 * Peerlink keeps is `errors[0].reason` (Compute's own vocabulary: notFound, rateLimitExceeded, backendError …). A
 * failed long-running operation carries `error.errors[0].code` instead. A call that never reached the API carries
 * Node's or gax's code; a service-account key that cannot sign fails before any call.
 */
import { networkCodes } from '../kit.js';
import { ProviderError } from '../provider.js';

export const codes = {
  notFound: 'notFound',
  alreadyExists: 'alreadyExists',
  /**
   * "There is a peering operation in progress on the local or peer network. Try again later." — HTTP 400; Compute
   * allows one peering operation at a time per network. Google's reason for it is not documented: Peerlink (like the
   * Terraform provider's IsPeeringOperationInProgress, transport/error_retry_predicates.go) recognises the message.
   */
  operationInProgress: 'peeringOperationInProgress',
  invalidCredentials: 'invalidCredentials',
} as const;

const inProgress = /There is a (peering|route) operation in progress/;
const transientReasons = new Set([
  'rateLimitExceeded',
  'userRateLimitExceeded',
  'backendError',
  'internalError',
  'resourceNotReady',
]);
/** gRPC codes gax itself raises (a deadline it enforced, a cancelled or unavailable call). */
const transientRpcCodes = new Set([1, 4, 8, 14]);

interface GoogleBody {
  error?: { code?: number; message?: string; status?: string; errors?: Array<{ reason?: string; message?: string }> };
}

interface SdkError {
  code?: string | number;
  status?: number;
  message?: string;
  name?: string;
}

/** Google's JSON error body, where the error carries one. */
function bodyOf(e: SdkError): GoogleBody['error'] | undefined {
  const text = e.message ?? '';
  if (!text.startsWith('{')) return undefined;
  try {
    return (JSON.parse(text) as GoogleBody).error;
  } catch {
    return undefined;
  }
}

/** An error Peerlink raises for a long-running operation that ended with an error (Operation.error.errors[]). */
export function operationError(
  operation: string,
  errors: ReadonlyArray<{ code?: string | null; message?: string | null }>,
): ProviderError {
  const first = errors[0] ?? {};
  const code = first.code ?? 'OPERATION_FAILED';
  const message = errors.map((e) => e.message ?? e.code ?? '').join('; ');
  const kind = inProgress.test(message) ? 'conflict' : 'permanent';
  return new ProviderError(kind, operation, kind === 'conflict' ? codes.operationInProgress : code, message);
}

export function classifyGcpError(operation: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const e: SdkError = typeof err === 'object' && err !== null ? err : {};
  const options = { cause: err };
  const body = bodyOf(e);
  const status = body?.code ?? (typeof e.status === 'number' ? e.status : 0);
  const message = body?.message ?? e.message ?? String(err);
  if (body || status) {
    const reason = body?.errors?.[0]?.reason ?? body?.status ?? `HTTP ${status}`;
    if (status === 400 && inProgress.test(message))
      return new ProviderError('conflict', operation, codes.operationInProgress, message, options);
    if (status === 429 || status >= 500 || transientReasons.has(reason))
      return new ProviderError('transient', operation, reason, message, options);
    return new ProviderError('permanent', operation, reason, message, options);
  }
  const code = typeof e.code === 'string' ? e.code : '';
  // a key that cannot sign (not PEM, wrong algorithm) or a credential without client_email/private_key
  if (code.startsWith('ERR_OSSL') || /private_key|client_email|PEM|DECODER/i.test(message))
    return new ProviderError('permanent', operation, codes.invalidCredentials, message, options);
  if (networkCodes.has(code) || (typeof e.code === 'number' && transientRpcCodes.has(e.code)))
    return new ProviderError('transient', operation, code || `RPC ${String(e.code)}`, message, options);
  // no answer from the API, for a reason not named above: retried, never a failed peering
  return new ProviderError('transient', operation, code || e.name || 'NetworkError', message, options);
}
