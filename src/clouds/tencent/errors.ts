/**
 * Tencent Cloud's VPC (API 3.0) error codes Peerlink depends on, named, and how each kind of failure is treated:
 * transient (retry with backoff), conflict (observe again) or permanent. API 3.0 answers HTTP 200 with
 * `Response.Error`; the SDK throws a coded error for those and an uncoded one when the call never reached the API.
 */
import { ProviderError } from '../provider.js';

export const codes = {
  notFound: 'ResourceNotFound',
  duplicate: 'InvalidParameterValue.Duplicate',
} as const;

const conflictCodes = new Set([
  'UnsupportedOperation.NotPendingCcnInstance',
  'UnsupportedOperation.InvalidInstanceState',
]);

export function classifyTencentError(operation: string, err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const e: { code?: string; message?: string; requestId?: string; httpCode?: number } =
    typeof err === 'object' && err !== null ? err : {};
  const code = e.code ?? (e.httpCode ? `HTTP ${e.httpCode}` : 'NetworkError');
  const message = `${e.message ?? String(err)}${e.requestId ? ` (RequestId ${e.requestId})` : ''}`;
  const options = { cause: err };
  const retry =
    !e.code ||
    code.startsWith('RequestLimitExceeded') ||
    code.startsWith('InternalError') ||
    code === 'ResourceUnavailable' ||
    code === 'ResourceInsufficient';
  if (retry) return new ProviderError('transient', operation, code, message, options);
  if (conflictCodes.has(code)) return new ProviderError('conflict', operation, code, message, options);
  return new ProviderError('permanent', operation, code, message, options);
}
