/**
 * How Huawei Cloud's VPC answers are classified. The VPC service documents few peering codes, so classification goes
 * by HTTP status first (429, 5xx: transient; 409: the state moved or the peering is still active; other 4xx:
 * permanent), then keeps whatever code the body carries: a VPC error `{code, message}`, an API-gateway error
 * `{error_code, error_msg}`, or a Neutron-style `{NeutronError}`.
 */
import { ProviderError } from '../provider.js';

/** The API gateway's throttling code (HTTP 429). */
export const throttledCode = 'APIGW.0308';

/**
 * Peerlink's own code, not Huawei's: the route table already sends the destination to another next hop (found by
 * reading the table before writing it; the VPC API documents no code for this).
 */
export const routeTakenCode = 'RouteTaken';

export interface HuaweiBody {
  httpStatusCode?: number;
  code?: string;
  message?: string;
  error_code?: string;
  error_msg?: string;
  NeutronError?: { type?: string; message?: string };
}

export function classifyHuaweiResponse(operation: string, body: HuaweiBody): ProviderError {
  const status = body.httpStatusCode ?? 0;
  const code = body.code ?? body.error_code ?? body.NeutronError?.type ?? `HTTP ${status}`;
  const message = body.message ?? body.error_msg ?? body.NeutronError?.message ?? `HTTP ${status}`;
  if (status === 429 || status >= 500 || code === throttledCode)
    return new ProviderError('transient', operation, code, message);
  if (status === 409) return new ProviderError('conflict', operation, code, message);
  return new ProviderError('permanent', operation, code, message);
}

/**
 * Besides our own, only transport failures reach the SDK's catch (refused, reset, timed out): the cloud never answered.
 */
export function classifyHuaweiTransport(operation: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const e: { errorMsg?: string; message?: string; code?: string } = typeof err === 'object' && err !== null ? err : {};
  return new ProviderError('transient', operation, e.code ?? 'NetworkError', e.errorMsg ?? e.message ?? String(err), {
    cause: err,
  });
}
